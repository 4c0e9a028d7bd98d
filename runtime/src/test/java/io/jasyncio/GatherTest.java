package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Asyncio.gather (SEMANTICS 32-37). gather needs a running loop, so each is made inside a task. */
class GatherTest extends LoopTestBase {

    /** Runs {@code body} in a task of {@link #loop} and returns what it returns (exceptions propagate). */
    private <V> V inLoop(Callable<V> body) {
        return loop.runUntilComplete(Body.of(body));
    }

    @Test
    void gather_resultsAreInArgumentOrderNotCompletionOrder() {
        Future<List<String>> g = inLoop(() -> Asyncio.gather(
                Asyncio.sleep(3.0, "a"), Asyncio.sleep(1.0, "b"), Asyncio.sleep(2.0, "c")));
        assertEquals(List.of("a", "b", "c"), loop.runUntilComplete(g));
        assertEquals(3.0, loop.time());
    }

    @Test
    void gather_acceptsCoroutinesTasksAndFutures() {
        Future<String> f = loop.createFuture();
        Task<String> t = loop.createTask(Asyncio.sleep(2.0, "task"));
        loop.callLater(1.0, () -> f.setResult("future"));
        Future<List<String>> g = inLoop(() -> Asyncio.gather(List.of(f, t, Asyncio.sleep(0.5, "coroutine"))));
        assertEquals(List.of("future", "task", "coroutine"), loop.runUntilComplete(g));
    }

    @Test
    void gather_ofACoroutineAlreadyInATaskRefusesIt() {
        // only this gather's own tasks are reused: a coroutine another task holds cannot run twice
        Body<String> c = Body.of(() -> "mine");
        Task<String> t = loop.createTask(c);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inLoop(() -> Asyncio.gather(c)));
        assertTrue(e.getMessage().contains("already awaited"), e.getMessage());
        assertEquals("mine", loop.runUntilComplete(t));
        assertEquals(1, c.runs);
    }

    @Test
    void gather_firstExceptionPropagatesAtOnceAndTheOthersKeepRunning() {
        IllegalStateException boom = new IllegalStateException("boom");
        Task<String> slow = loop.createTask(Asyncio.sleep(5.0, "slow"));
        Future<List<Object>> g = inLoop(() -> Asyncio.<Object>gather(slow, Awaiting.of(Asyncio.sleep(1.0, "x")),
                failingAfter(2.0, boom)));
        assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(g)));
        assertEquals(2.0, loop.time());
        assertFalse(slow.done()); // not cancelled
        assertEquals("slow", loop.runUntilComplete(slow));
        assertEquals(5.0, loop.time());
    }

    @Test
    void gather_laterExceptionsAreMarkedRetrievedToo() {
        Future<List<Object>> g = inLoop(() -> Asyncio.gather(
                failingAfter(1.0, new IllegalStateException("first")),
                failingAfter(2.0, new IllegalStateException("second"))));
        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(g));
        loop.runUntilComplete(Asyncio.sleep(5.0));
        loop.close();
        assertEquals(List.of(), reported.take()); // neither is reported as never retrieved
    }

    @Test
    void gather_withReturnExceptionsPutsExceptionsAndCancellationsInTheResults() {
        IllegalStateException boom = new IllegalStateException("boom");
        Task<Object> cancelled = loop.createTask(Asyncio.sleep(10.0, (Object) "never"));
        cancelled.cancel("c");
        Future<List<Object>> g = inLoop(() -> Asyncio.gather(
                List.of(Asyncio.sleep(1.0, (Object) "ok"), failingAfter(0.5, boom), cancelled), true));
        List<Object> results = loop.runUntilComplete(g);
        assertEquals(3, results.size());
        assertEquals("ok", results.get(0));
        assertSame(boom, results.get(1));
        assertTrue(results.get(2) instanceof CancelledError, String.valueOf(results.get(2)));
        assertEquals("c", ((CancelledError) results.get(2)).getMessage());
        assertEquals(1.0, loop.time());
    }

    @Test
    void gather_ofACancelledChildThrowsCancelledErrorButIsNotCancelledItself() {
        Task<String> child = loop.createTask(Asyncio.sleep(10.0, "x"));
        Task<String> sibling = loop.createTask(Asyncio.sleep(20.0, "y"));
        Future<List<String>> g = inLoop(() -> Asyncio.gather(child, sibling));
        loop.callLater(1.0, () -> child.cancel("child"));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(g));
        assertEquals("child", e.getMessage());
        assertFalse(g.cancelled()); // T test_one_cancellation
        assertTrue(g.done());
        assertEquals(1.0, loop.time());
        assertEquals("y", loop.runUntilComplete(sibling)); // the sibling was not cancelled
    }

    @Test
    void gather_ofNothingIsAnEmptyListAtOnce() {
        Future<List<Object>> g = inLoop(() -> Asyncio.gather());
        assertTrue(g.done());
        assertEquals(List.of(), g.result());
        Future<List<Object>> g2 = inLoop(() -> Asyncio.gather(List.of(), true));
        assertEquals(List.of(), g2.result());
    }

    @Test
    void gather_ofTheSameCoroutineTwiceRunsItOnce() {
        Body<Integer> body = Body.of(() -> 7);
        Future<List<Integer>> g = inLoop(() -> Asyncio.gather(body, body));
        assertEquals(List.of(7, 7), loop.runUntilComplete(g));
        assertEquals(1, body.runs);
    }

    @Test
    void gather_ofTheSameFutureTwice() {
        Future<Integer> f = loop.createFuture();
        loop.callLater(1.0, () -> f.setResult(5));
        Future<List<Integer>> g = inLoop(() -> Asyncio.gather(f, f));
        assertEquals(List.of(5, 5), loop.runUntilComplete(g));
    }

    @Test
    void cancel_ofTheGatherCancelsEveryChild() {
        Task<String> a = loop.createTask(Asyncio.sleep(10.0, "a"));
        Future<String> f = loop.createFuture();
        Future<List<String>> g = inLoop(() -> Asyncio.gather(a, f, Asyncio.sleep(20.0, "c")));
        assertTrue(g.cancel("m"));
        assertTrue(f.cancelled());
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(g));
        assertEquals("m", e.getMessage());
        assertTrue(a.cancelled());
        assertEquals(0.0, loop.time());
        assertFalse(g.cancel());
    }

    @Test
    void cancel_ofTheGatherWithReturnExceptionsStillThrowsCancelledError() {
        // asyncio: awaiting the gather raises CancelledError('m') whatever return_exceptions says (bpo-32684)
        Task<String> a = loop.createTask(Asyncio.sleep(10.0, "a"));
        Future<List<Object>> g = inLoop(() -> Asyncio.gather(List.of(a, Asyncio.sleep(20.0, "b")), true));
        assertTrue(g.cancel("m"));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(g));
        assertEquals("m", e.getMessage());
        assertTrue(a.cancelled());
    }

    @Test
    void cancel_ofAGatherWhoseChildrenAreAllDoneReturnsFalse() {
        Future<String> f = loop.createFuture();
        Future<List<String>> g = inLoop(() -> Asyncio.gather(f));
        f.setResult("v"); // the gather learns it only in the next iteration
        assertFalse(g.done());
        assertFalse(g.cancel());
        assertEquals(List.of("v"), loop.runUntilComplete(g));
    }

    @Test
    void gather_outsideARunningLoopThrows() {
        assertThrows(IllegalStateException.class, () -> Asyncio.gather(Asyncio.sleep(0)));
    }

    @Test
    void gather_ofAFutureOfAnotherLoopThrows() {
        EventLoop other = track(new EventLoop(TimeSource.virtual()));
        Future<String> foreign = other.createFuture();
        assertThrows(IllegalArgumentException.class, () -> inLoop(() -> Asyncio.gather(foreign)));
    }

    @Test
    void gather_refusedMidwayLeavesNoTraceOnTheChildrenBeforeTheRefusedOne() {
        // gather registers each child as it goes: when a later one is refused, the gather is dropped. A failed
        // child before it is not marked retrieved by the dropped gather (reported at close as never retrieved), a
        // pending one completes with nobody notified, and a coroutine before it still ran as its task.
        EventLoop other = track(new EventLoop(TimeSource.virtual()));
        Future<String> foreign = other.createFuture();
        Future<String> failed = loop.createFuture();
        IllegalStateException boom = new IllegalStateException("boom");
        failed.setException(boom);
        Future<String> pending = loop.createFuture();
        Body<String> c = Body.of(() -> "ran");
        assertThrows(IllegalArgumentException.class,
                () -> inLoop(() -> Asyncio.<String>gather(failed, pending, c, foreign)));
        assertEquals(1, c.runs);
        pending.setException(new IllegalStateException("pending failed too"));
        runOnce();
        assertEquals(List.of(), reported.take(), "nothing reported while the futures are alive");
        loop.close();
        List<java.util.logging.LogRecord> records = reported.take();
        assertEquals(2, records.size(), records::toString); // both exceptions: never retrieved
    }

    @Test
    void gather_withReturnExceptionsOfManyFailingTasksReportsNothing() {
        List<Coroutine<Object>> children = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            children.add(failingAfter(1.0, new IllegalStateException("failure " + i)));
        }
        Future<List<Object>> g = inLoop(() -> Asyncio.gather(children, true));
        List<Object> results = loop.runUntilComplete(g);
        assertEquals(1100, results.size());
        loop.close();
        // every exception was read by the gather; asyncio reports none
        List<LogRecord> reports = reported.take();
        assertEquals(0, reports.size(), () -> reports.size() + " reports, the first: " + reports.get(0).getMessage());
    }

    /** A coroutine that sleeps {@code delay}, then throws {@code e}. */
    private static Coroutine<Object> failingAfter(double delay, RuntimeException e) {
        return Awaiting.then(() -> Asyncio.sleep(delay), v -> {
            throw e;
        });
    }
}
