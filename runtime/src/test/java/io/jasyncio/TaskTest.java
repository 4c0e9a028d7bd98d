package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Tasks, sleep and cancellation, driven by hand-written frames (SEMANTICS 3, 4, 9, 10, 12, 14, 23-30). */
class TaskTest extends LoopTestBase {

    @Test
    void createTask_runsTheFirstStepInTheNextIterationAfterCallbacksAlreadyQueued() {
        loop.callSoon(() -> seq.expect(1));
        Body<Void> body = Body.run(() -> seq.expect(2));
        Task<Void> t = loop.createTask(body);
        loop.callSoon(() -> seq.expect(3));
        assertEquals(0, body.runs); // creating the task runs none of the body
        assertFalse(t.done());
        runOnce();
        seq.finish(4);
        assertTrue(t.done());
        assertEquals(1, body.runs);
    }

    @Test
    void task_resultIsTheCoroutineResult() {
        Task<String> t = loop.createTask(Body.of(() -> "value"));
        assertEquals("value", loop.runUntilComplete(t));
        assertEquals("value", t.result());
        assertNull(t.exception());
    }

    @Test
    void task_exceptionIsTheCoroutineExceptionUnchanged() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Task<String> t = loop.createTask(Body.of(() -> {
            throw boom;
        }));
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> loop.runUntilComplete(t)));
        assertSame(boom, t.exception());
        assertFalse(t.cancelled());
    }

    @Test
    void runUntilComplete_wrapsACoroutineInATask() {
        assertEquals("x", loop.runUntilComplete(Asyncio.sleep(1.0, "x")));
        assertEquals(1.0, loop.time());
    }

    @Test
    void createTask_ofACoroutineAlreadyInATaskThrows() {
        Coroutine<Void> c = Asyncio.sleep(0);
        loop.createTask(c);
        assertThrows(IllegalStateException.class, () -> loop.createTask(c));
        runIterations(2);
    }

    @Test
    void sleepZero_yieldsExactlyOneIteration() {
        // asyncio, with the same probe: [False, False, True, True]
        Task<?>[] t = new Task<?>[1];
        List<Boolean> done = probeEachIteration(4, () -> t[0].done());
        t[0] = loop.createTask(Asyncio.sleep(0));
        runIterations(4);
        assertEquals(List.of(false, false, true, true), done);
        assertEquals(0.0, loop.time());
    }

    @Test
    void sleepNegativeOrZeroDuration_yieldsExactlyOneIterationToo() {
        for (Coroutine<?> c : List.of(Asyncio.sleep(-1.0), Asyncio.sleep(Duration.ZERO),
                Asyncio.sleep(Duration.ofSeconds(-3), "r"))) {
            Task<?>[] t = new Task<?>[1];
            List<Boolean> done = probeEachIteration(3, () -> t[0].done());
            t[0] = loop.createTask(c);
            runIterations(3);
            assertEquals(List.of(false, false, true), done, c.toString());
        }
        assertEquals(0.0, loop.time());
    }

    @Test
    void sleep_returnsItsResultAtExactlyTheDelay() {
        Task<String> t = loop.createTask(Asyncio.sleep(2.5, "x"));
        double[] doneAt = {-1};
        t.addDoneCallback(f -> doneAt[0] = loop.time());
        List<Boolean> doneBefore = new ArrayList<>();
        loop.callAt(2.4999, () -> doneBefore.add(t.done()));
        assertEquals("x", loop.runUntilComplete(t));
        assertEquals(2.5, doneAt[0]);
        assertEquals(List.of(false), doneBefore);
    }

    @Test
    void sleep_withDuration() {
        assertEquals("y", loop.runUntilComplete(Asyncio.sleep(Duration.ofMillis(1500), "y")));
        assertEquals(1.5, loop.time());
        assertNull(loop.runUntilComplete(Asyncio.sleep(Duration.ofSeconds(2))));
        assertEquals(3.5, loop.time());
    }

    @Test
    void sleep_rejectsNaN() {
        assertThrows(IllegalArgumentException.class, () -> Asyncio.sleep(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Asyncio.sleep(Double.NaN, "x"));
    }

    @Test
    void cancel_ofASleepingTaskEndsItCancelledWithTheMessageAtOnce() {
        Task<String> t = loop.createTask(Asyncio.sleep(10.0, "x"));
        runOnce(); // the task sleeps
        assertTrue(loop.toString().contains("timers=1"), loop.toString());
        assertTrue(t.cancel("stop it"));
        assertTrue(loop.toString().contains("timers=0"), loop.toString()); // the timer is gone
        assertFalse(t.done()); // the cancellation is delivered at the task's next step
        assertEquals(1, t.cancelling());
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("stop it", e.getMessage());
        assertTrue(t.cancelled());
        assertEquals(0.0, loop.time()); // did not wait for the sleep
        assertEquals("stop it", assertThrows(CancelledError.class, t::result).getMessage());
    }

    @Test
    void cancel_beforeTheFirstStepMeansTheBodyNeverRuns() {
        Body<String> body = Body.of(() -> "ran");
        Task<String> t = loop.createTask(body);
        assertTrue(t.cancel("early"));
        assertFalse(t.done());
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("early", e.getMessage());
        assertEquals(0, body.runs);
        assertTrue(t.cancelled());
    }

    @Test
    void cancel_ofADoneTaskReturnsFalse() {
        Task<String> ok = loop.createTask(Asyncio.sleep(0.0, "ok"));
        loop.runUntilComplete(ok);
        assertFalse(ok.cancel());
        assertEquals("ok", ok.result());
        assertEquals(0, ok.cancelling());

        Task<String> cancelled = loop.createTask(Asyncio.sleep(1.0, "never"));
        cancelled.cancel();
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(cancelled));
        assertFalse(cancelled.cancel());
    }

    @Test
    void cancel_repeatedWhilePendingReturnsTrueAndCountsRequests() {
        Task<String> t = loop.createTask(Asyncio.sleep(10.0, "x"));
        runOnce();
        assertTrue(t.cancel("one"));
        assertTrue(t.cancel("two"));
        assertEquals(2, t.cancelling());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.cancelled());
    }

    @Test
    void uncancel_afterTheSleepWasCancelledStillEndsTheTaskCancelled() {
        // asyncio 3.11-3.13: cancel() cancels the sleep's future, which uncancel() cannot undo: the task ends
        // cancelled at once ('m',)
        Task<String> t = loop.createTask(Asyncio.sleep(10.0, "x"));
        runOnce();
        t.cancel("m");
        assertEquals(0, t.uncancel());
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("m", e.getMessage());
        assertTrue(t.cancelled());
    }

    @Test
    void cancel_ofATaskAwaitingACompletionStageCancelsTheStageToo() {
        CompletableFuture<String> never = new CompletableFuture<>();
        Task<String> t = loop.createTask(new Awaiting<String>(() -> never));
        runOnce(); // suspended on the stage
        assertTrue(t.cancel("stop"));
        assertEquals(0, t.uncancel()); // delivered already: uncancel() cannot withdraw it
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("stop", e.getMessage());
        assertTrue(never.isCancelled());
        runOnce(); // the stage's own cancellation, posted to the loop, reaches nobody
        assertTrue(t.cancelled());
    }

    @Test
    void sleepZero_awaitedYieldsOneIterationThenTheAwaiterGetsItsResult() {
        Awaiting<String> awaiter = Awaiting.of(Asyncio.sleep(0.0, "r"));
        Task<String> t = loop.createTask(awaiter);
        runOnce(); // the first step suspends in sleep(0)
        assertFalse(t.done());
        runOnce(); // the next iteration resumes the awaiting frame with the sleep's result
        assertEquals("r", t.result());
        assertEquals(1, awaiter.resumptions);
    }

    @Test
    void cancel_duringAnAwaitedSleepZeroIsThrownAtTheAwait() {
        Awaiting<String> awaiter = Awaiting.of(Asyncio.sleep(0.0, "r"));
        Task<String> t = loop.createTask(awaiter);
        runOnce();
        assertTrue(t.cancel("m"));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("m", e.getMessage());
        assertEquals(1, awaiter.resumptions); // the awaiting frame was resumed with the CancelledError
    }

    @Test
    void uncancel_beforeTheCancellationIsDeliveredWithdrawsIt() {
        // a task cancelled while queued (not waiting on anything): SEMANTICS 30, T test_uncancel_resets_must_cancel
        Task<String> t = loop.createTask(Asyncio.sleep(0.0, "x"));
        runOnce(); // in sleep(0): queued for the next iteration
        t.cancel();
        assertEquals(0, t.uncancel());
        assertEquals(0, t.uncancel()); // never below zero
        assertEquals("x", loop.runUntilComplete(t));
        assertFalse(t.cancelled());
    }

    @Test
    void cancel_ofItselfThenReturningEndsTheTaskCancelled() {
        // T test_cancel_at_end
        Task<Integer> t = loop.createTask(Body.of(() -> {
            assertTrue(Asyncio.currentTask().cancel("self"));
            return 1;
        }));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("self", e.getMessage());
        assertTrue(t.cancelled());
    }

    @Test
    void cancel_ofItselfIsDeliveredAtTheNextSuspension() {
        Coroutine<Void> sleep = Asyncio.sleep(10.0);
        Awaiting<Void> frame = new Awaiting<>(() -> {
            Asyncio.currentTask().cancel("at next await");
            return sleep;
        });
        Task<Void> t = loop.createTask(frame);
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("at next await", e.getMessage());
        assertEquals(0.0, loop.time());
        assertEquals(1, frame.resumptions); // the cancellation reached the awaiting frame
    }

    @Test
    void task_namesAreTaskNUnlessGiven() {
        Task<Void> first = loop.createTask(Asyncio.sleep(0));
        Task<Void> second = loop.createTask(Asyncio.sleep(0));
        Task<Void> named = loop.createTask(Asyncio.sleep(0), "worker");
        assertEquals("Task-1", first.getName());
        assertEquals("Task-2", second.getName());
        assertEquals("worker", named.getName());
        second.setName("renamed");
        assertEquals("renamed", second.getName());
        assertEquals("<Task renamed pending>", second.toString());
        runIterations(2);
        assertTrue(first.done() && second.done() && named.done());
        assertEquals("<Task worker finished result=null>", named.toString());
    }

    @Test
    void task_toStringWithAnyName() {
        Task<Void> t = loop.createTask(Asyncio.sleep(0), "costs $1");
        assertEquals("<Task costs $1 pending>", t.toString());
        t.setName("C:\\tmp");
        assertEquals("<Task C:\\tmp pending>", t.toString());
        runIterations(2);
    }

    @Test
    void setResultAndSetException_onATaskThrowAndChangeNothing() {
        Task<String> t = loop.createTask(Asyncio.sleep(1.0, "real"));
        assertThrows(UnsupportedOperationException.class, () -> t.setResult("fake"));
        assertThrows(UnsupportedOperationException.class, () -> t.setException(new RuntimeException()));
        assertFalse(t.done());
        assertEquals("real", loop.runUntilComplete(t));
    }

    @Test
    void currentTask_isTheRunningTaskAndNullBetweenTasks() {
        List<Object> seen = new ArrayList<>();
        Task<?>[] t = new Task<?>[1];
        t[0] = loop.createTask(Body.run(() -> seen.add(Asyncio.currentTask() == t[0])));
        loop.callSoon(() -> seen.add(Asyncio.currentTask()));
        runOnce();
        assertEquals(List.of(true), seen.subList(0, 1));
        assertEquals(2, seen.size());
        assertNull(seen.get(1));
        assertNull(Asyncio.currentTask());
    }

    @Test
    void allTasks_listsTheTasksNotDoneYet() {
        Task<Void> quick = loop.createTask(Asyncio.sleep(0));
        Task<Void> slow = loop.createTask(Asyncio.sleep(5.0));
        List<List<Task<?>>> seen = new ArrayList<>();
        loop.callSoon(() -> seen.add(Asyncio.allTasks()));
        loop.callLater(1.0, () -> seen.add(Asyncio.allTasks()));
        loop.runUntilComplete(slow);
        assertEquals(2, seen.size());
        assertEquals(2, seen.get(0).size());
        assertTrue(seen.get(0).contains(quick) && seen.get(0).contains(slow));
        assertEquals(List.of(slow), seen.get(1));
    }

    @Test
    void await_ofAPendingFutureResumesInTheIterationAfterItCompletes() {
        Future<String> f = loop.createFuture();
        Awaiting<String> frame = Awaiting.of(f);
        Task<String> t = loop.createTask(frame);
        runOnce(); // the task now waits on f
        assertFalse(t.done());
        loop.callSoon(() -> f.setResult("v"));
        runOnce(); // f completes
        assertFalse(t.done());
        runOnce(); // the task resumes
        assertTrue(t.done());
        assertEquals("v", t.result());
        assertEquals(1, frame.resumptions);
    }

    @Test
    void await_ofADoneFutureDoesNotSuspend() {
        Future<String> f = loop.createFuture();
        f.setResult("v");
        Awaiting<String> frame = Awaiting.of(f);
        Task<String> t = loop.createTask(frame);
        runOnce();
        assertTrue(t.done());
        assertEquals("v", t.result());
        assertEquals(0, frame.resumptions);
    }

    @Test
    void await_ofAFailedFutureThrowsItsExceptionUnchanged() {
        Future<String> f = loop.createFuture();
        IllegalStateException boom = new IllegalStateException("boom");
        Task<String> t = loop.createTask(Awaiting.of(f));
        loop.callLater(1.0, () -> f.setException(boom));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t)));
    }

    @Test
    void cancel_ofATaskWaitingOnAFutureCancelsThatFutureWithTheMessage() {
        Future<String> f = loop.createFuture();
        Task<String> t = loop.createTask(Awaiting.of(f));
        runOnce();
        assertTrue(t.cancel("because"));
        assertTrue(f.cancelled());
        assertEquals("because", assertThrows(CancelledError.class, f::result).getMessage());
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("because", e.getMessage());
        assertTrue(t.cancelled());
    }

    @Test
    void cancel_ofATaskWhoseFutureIsAlreadyDoneStillCancelsTheTask() {
        Future<String> f = loop.createFuture();
        Task<String> t = loop.createTask(Awaiting.of(f));
        runOnce();
        f.setResult("too late"); // the task is queued to resume
        assertTrue(t.cancel("m"));
        assertFalse(f.cancelled());
        assertEquals("m", assertThrows(CancelledError.class, () -> loop.runUntilComplete(t)).getMessage());
    }

    @Test
    void await_ofItsOwnTaskThrows() {
        Task<?>[] self = new Task<?>[1];
        self[0] = loop.createTask(new Awaiting<Object>(() -> self[0]));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(self[0]));
        assertTrue(e.getMessage().contains("cannot await on itself"), e.getMessage());
    }

    @Test
    void await_ofAFutureOfAnotherLoopThrows() {
        EventLoop other = track(new EventLoop(TimeSource.virtual()));
        Future<String> foreign = other.createFuture();
        Task<String> t = loop.createTask(Awaiting.of(foreign));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("different loop"), e.getMessage());
    }
}
