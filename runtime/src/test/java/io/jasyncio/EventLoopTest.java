package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Ready callbacks, iterations, stop, run/close life cycle (SEMANTICS 5, 11, 64-66). */
class EventLoopTest extends LoopTestBase {

    @Test
    void callSoon_runsCallbacksFirstInFirstOut() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // more than the initial ring capacity
            int n = i;
            loop.callSoon(() -> order.add(n));
        }
        runOnce();
        assertEquals(range(300), order);
    }

    @Test
    void callSoon_keepsOrderWhenTheQueueWrapsAndGrows() {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            loop.callSoon(() -> {
                loop.callSoon(() -> order.add(n + "a"));
                loop.callSoon(() -> order.add(n + "b"));
            });
        }
        runOnce(); // the head is now at 200 of 256; 400 callbacks are queued across the wrap
        runOnce();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(i + "a");
            expected.add(i + "b");
        }
        assertEquals(expected, order);
    }

    @Test
    void callSoon_callbacksAddedDuringAnIterationRunInTheNextOne() {
        List<String> log = new ArrayList<>();
        loop.callSoon(() -> {
            log.add("a");
            loop.callSoon(() -> log.add("a2"));
        });
        loop.callSoon(() -> {
            log.add("b");
            loop.callSoon(() -> log.add("b2"));
        });
        loop.callSoon(() -> log.add("c"));
        runOnce();
        assertEquals(List.of("a", "b", "c"), log);
        runOnce();
        assertEquals(List.of("a", "b", "c", "a2", "b2"), log);
    }

    @Test
    void callSoon_rejectsNull() {
        assertThrows(NullPointerException.class, () -> loop.callSoon(null));
    }

    @Test
    void stop_letsTheCurrentBatchFinish() {
        List<String> log = new ArrayList<>();
        loop.callSoon(() -> {
            log.add("a");
            loop.stop();
            loop.callSoon(() -> log.add("next"));
        });
        loop.callSoon(() -> log.add("b"));
        loop.runForever();
        assertEquals(List.of("a", "b"), log);
        assertFalse(loop.isRunning());
        runOnce(); // what the stopped iteration scheduled is still pending
        assertEquals(List.of("a", "b", "next"), log);
    }

    @Test
    void stop_beforeRunForeverGivesExactlyOneIteration() {
        List<Integer> log = new ArrayList<>();
        Runnable[] chain = new Runnable[1];
        chain[0] = () -> {
            log.add(log.size());
            loop.callSoon(chain[0]);
        };
        loop.callSoon(chain[0]);
        loop.stop();
        loop.runForever();
        assertEquals(List.of(0), log);
        loop.stop();
        loop.runForever();
        assertEquals(List.of(0, 1), log);
    }

    @Test
    void stop_beforeRunForeverDoesNotWaitForTimers() {
        List<String> log = new ArrayList<>();
        loop.callLater(5.0, () -> log.add("timer"));
        loop.stop();
        loop.runForever();
        assertEquals(List.of(), log);
        assertEquals(0.0, loop.time());
    }

    @Test
    void isRunning_isTrueOnlyInsideRunForever() {
        List<Boolean> seen = new ArrayList<>();
        loop.callSoon(() -> seen.add(loop.isRunning()));
        assertFalse(loop.isRunning());
        runOnce();
        assertFalse(loop.isRunning());
        assertEquals(List.of(true), seen);
    }

    @Test
    void handleCancel_beforeItRunsMeansItNeverRuns() {
        List<String> log = new ArrayList<>();
        Handle h = loop.callSoon(() -> log.add("cancelled one"));
        loop.callSoon(() -> log.add("other"));
        assertFalse(h.cancelled());
        h.cancel();
        assertTrue(h.cancelled());
        h.cancel(); // again: no effect
        runOnce();
        assertEquals(List.of("other"), log);
    }

    @Test
    void handleCancel_byAnEarlierCallbackOfTheSameBatch() {
        List<String> log = new ArrayList<>();
        Handle[] b = new Handle[1];
        loop.callSoon(() -> b[0].cancel());
        b[0] = loop.callSoon(() -> log.add("b"));
        loop.callSoon(() -> log.add("c"));
        runOnce();
        assertEquals(List.of("c"), log);
    }

    @Test
    void handleCancel_afterItRanHasNoEffect() {
        List<String> log = new ArrayList<>();
        Handle h = loop.callSoon(() -> log.add("ran"));
        runOnce();
        h.cancel();
        assertTrue(h.cancelled());
        runOnce();
        assertEquals(List.of("ran"), log);
    }

    @Test
    void callback_thatThrowsIsReportedAndTheLoopGoesOn() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        List<String> log = new ArrayList<>();
        loop.callSoon(() -> log.add("before"));
        loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(() -> log.add("after"));
        loop.callSoon(() -> loop.callSoon(() -> log.add("next iteration")));
        runIterations(2);
        assertEquals(List.of("before", "after", "next iteration"), log);
        LogRecord r = reported.takeOne();
        assertSame(boom, r.getThrown());
        Reported.failIfNotContains(r, "Exception in callback");
    }

    @Test
    void callback_throwingAJvmFatalErrorEscapesTheLoop() {
        OutOfMemoryError fatal = new OutOfMemoryError("simulated");
        List<String> log = new ArrayList<>();
        loop.callSoon(() -> log.add("a"));
        loop.callSoon(() -> {
            throw fatal;
        });
        loop.callSoon(() -> log.add("c"));
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, loop::runForever);
        assertSame(fatal, e);
        assertFalse(loop.isRunning());
        assertEquals(List.of("a"), log);
        runOnce(); // the loop is usable again; the rest of the batch is still queued
        assertEquals(List.of("a", "c"), log);
    }

    @Test
    void runUntilComplete_returnsTheResultOfAFuture() {
        Future<String> f = loop.createFuture();
        loop.callLater(2.0, () -> f.setResult("v"));
        assertEquals("v", loop.runUntilComplete(f));
        assertEquals(2.0, loop.time());
        assertFalse(loop.isRunning());
    }

    @Test
    void runUntilComplete_throwsTheFutureExceptionUnchanged() {
        Future<String> f = loop.createFuture();
        IllegalStateException boom = new IllegalStateException("boom");
        loop.callSoon(() -> f.setException(boom));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f)));
    }

    @Test
    void runUntilComplete_returnsWhileOtherWorkIsStillScheduled() {
        // (a callback that re-queues itself at once would stall virtual time: it only jumps when the loop is idle)
        Runnable[] forever = new Runnable[1];
        forever[0] = () -> loop.callLater(0.25, forever[0]);
        loop.callSoon(forever[0]);
        loop.callLater(100.0, () -> seq.expectUnreached());
        Future<Integer> f = loop.createFuture();
        loop.callLater(1.0, () -> f.setResult(1));
        assertEquals(1, loop.runUntilComplete(f));
        assertEquals(1.0, loop.time());
    }

    @Test
    void runUntilComplete_ofAFutureAlreadyDoneReturnsAfterOneIteration() {
        Future<String> f = loop.createFuture();
        f.setResult("done");
        List<String> log = new ArrayList<>();
        loop.callSoon(() -> {
            log.add("1");
            loop.callSoon(() -> log.add("2"));
        });
        assertEquals("done", loop.runUntilComplete(f));
        assertEquals(List.of("1"), log);
    }

    @Test
    void runUntilComplete_throwsIfTheLoopStopsFirst() {
        Future<Integer> f = loop.createFuture();
        loop.callSoon(loop::stop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
        assertEquals("Event loop stopped before Future completed.", e.getMessage());
        assertFalse(f.done());
        // the stopper of the failed call is gone: completing f later does not stop another run
        loop.callSoon(() -> f.setResult(1));
        loop.callLater(5.0, loop::stop);
        loop.runForever();
        assertEquals(5.0, loop.time());
    }

    @Test
    void runUntilComplete_rejectsAFutureOfAnotherLoop() {
        EventLoop other = track(new EventLoop(TimeSource.virtual()));
        Future<Integer> f = other.createFuture();
        assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(f));
        assertFalse(loop.isRunning());
    }

    @Test
    void runUntilComplete_insideTheRunningLoopThrows() {
        AtomicReference<Throwable> nestedRun = new AtomicReference<>();
        AtomicReference<Throwable> nestedForever = new AtomicReference<>();
        Future<Integer> other = loop.createFuture();
        loop.callSoon(() -> {
            nestedRun.set(catching(() -> loop.runUntilComplete(other)));
            nestedForever.set(catching(loop::runForever));
        });
        runOnce();
        assertTrue(nestedRun.get() instanceof IllegalStateException, String.valueOf(nestedRun.get()));
        assertTrue(nestedForever.get() instanceof IllegalStateException, String.valueOf(nestedForever.get()));
        assertEquals("This event loop is already running", nestedForever.get().getMessage());
        assertFalse(loop.isRunning());
        assertFalse(loop.isClosed());
    }

    @Test
    void runForever_whileAnotherLoopRunsOnThisThreadThrows() {
        EventLoop other = track(new EventLoop(TimeSource.virtual()));
        Future<Integer> otherFuture = other.createFuture();
        otherFuture.setResult(1);
        AtomicReference<Throwable> forever = new AtomicReference<>();
        AtomicReference<Throwable> untilComplete = new AtomicReference<>();
        loop.callSoon(() -> {
            forever.set(catching(other::runForever));
            untilComplete.set(catching(() -> other.runUntilComplete(otherFuture)));
        });
        runOnce();
        assertTrue(forever.get() instanceof IllegalStateException, String.valueOf(forever.get()));
        assertEquals("Cannot run the event loop while another loop is running", forever.get().getMessage());
        assertTrue(untilComplete.get() instanceof IllegalStateException, String.valueOf(untilComplete.get()));
        assertFalse(other.isRunning());
        assertEquals(1, other.runUntilComplete(otherFuture)); // and it still works on its own
    }

    @Test
    void runUntilComplete_whileAnotherLoopRunsDoesNotConsumeTheCoroutine() {
        EventLoop other = track(new EventLoop(TimeSource.virtual()));
        Body<String> coro = Body.of(() -> "ran");
        AtomicReference<Throwable> refused = new AtomicReference<>();
        loop.callSoon(() -> refused.set(catching(() -> other.runUntilComplete(coro))));
        runOnce();
        assertTrue(refused.get() instanceof IllegalStateException, String.valueOf(refused.get()));
        // asyncio checks for a running loop before ensure_future(); here the refused call left a task behind
        assertEquals(List.of(), other.liveTasks());
        assertEquals("ran", other.runUntilComplete(coro));
    }

    @Test
    void close_isIdempotent() {
        assertFalse(loop.isClosed());
        loop.close();
        assertTrue(loop.isClosed());
        loop.close();
        assertTrue(loop.isClosed());
    }

    @Test
    void close_whileRunningThrows() {
        AtomicReference<Throwable> e = new AtomicReference<>();
        loop.callSoon(() -> e.set(catching(loop::close)));
        runOnce();
        assertTrue(e.get() instanceof IllegalStateException, String.valueOf(e.get()));
        assertFalse(loop.isClosed());
        List<String> log = new ArrayList<>();
        loop.callSoon(() -> log.add("still works"));
        runOnce();
        assertEquals(List.of("still works"), log);
    }

    @Test
    void close_thenTheLoopRefusesWork() {
        Future<Integer> f = loop.createFuture();
        loop.close();
        List<Runnable> refused = List.of(
                () -> loop.callSoon(() -> { }),
                () -> loop.callLater(1.0, () -> { }),
                () -> loop.callAt(1.0, () -> { }),
                () -> loop.callSoonThreadsafe(() -> { }),
                () -> loop.createTask(Asyncio.sleep(0)),
                loop::runForever,
                () -> loop.runUntilComplete(f));
        for (Runnable r : refused) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertEquals("Event loop is closed", e.getMessage());
        }
        assertFalse(loop.isRunning());
    }

    @Test
    void close_reportsTaskExceptionsNobodyRetrieved() {
        IllegalStateException lost = new IllegalStateException("lost");
        Task<Object> t = loop.createTask(Body.of(() -> {
            throw lost;
        }));
        runOnce();
        assertTrue(t.done());
        assertEquals(List.of(), reported.take()); // not before the loop closes
        loop.close();
        LogRecord r = reported.takeOne();
        assertSame(lost, r.getThrown());
        Reported.failIfNotContains(r, "Task exception was never retrieved");
    }

    @Test
    void aFailedTaskNobodyReferencesIsReportedOnceCollected() {
        // asyncio reports from Future.__del__; here the loop reports at its next iteration after the collector
        // cleared the task, without waiting for close()
        IllegalStateException lost = new IllegalStateException("collected");
        loop.createTask(Body.of(() -> {
            throw lost;
        }));
        runOnce(); // the task fails and is dropped: nothing refers to it any more
        List<LogRecord> reports = List.of();
        for (int attempt = 0; attempt < 20 && reports.isEmpty(); attempt++) {
            System.gc(); // a full collection clears weak references; a few tries cover a busy collector
            runOnce();
            reports = reported.take();
        }
        assertEquals(1, reports.size(), "not reported after 20 collections");
        assertSame(lost, reports.get(0).getThrown());
        Reported.failIfNotContains(reports.get(0), "Task exception was never retrieved");
        loop.close();
        assertEquals(List.of(), reported.take()); // and not a second time
    }

    @Test
    void close_doesNotReportTaskExceptionsThatWereRetrieved() {
        IllegalStateException read = new IllegalStateException("read");
        Task<Object> t = loop.createTask(Body.of(() -> {
            throw read;
        }));
        Task<Object> t2 = loop.createTask(Body.of(() -> {
            throw new IllegalStateException("thrown by result()");
        }));
        runOnce();
        assertSame(read, t.exception());
        assertThrows(IllegalStateException.class, t2::result);
        loop.close();
        assertEquals(List.of(), reported.take());
    }

    @Test
    void toString_showsStateAndCounts() {
        loop.callSoon(() -> { });
        loop.callSoon(() -> { });
        TimerHandle h = loop.callLater(1.0, () -> { });
        assertEquals("<EventLoop running=false closed=false ready=2 timers=1>", loop.toString());
        h.cancel();
        assertTrue(loop.toString().contains("timers=0"), loop.toString());
        List<String> inside = new ArrayList<>();
        loop.callSoon(() -> inside.add(loop.toString()));
        runOnce();
        assertTrue(inside.get(0).contains("running=true"), inside.get(0));
        loop.close();
        assertTrue(loop.toString().contains("closed=true"), loop.toString());
    }

    static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(i);
        }
        return l;
    }

    static Throwable catching(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
