package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Future;
import io.jasyncio.ReturnWhen;
import io.jasyncio.Task;
import io.jasyncio.TimeSource;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SEMANTICS.md items 24-31 (cancellation), with woven {@code @Async} code. */
class SemanticsCancellationTest extends AsyncTestBase {

    @Async
    Coroutine<Integer> sleepsTen(List<String> log) {
        try {
            log.add("sleeping");
            await(sleep(10));
            log.add("woke");
            return done(12);
        } finally {
            log.add("finally");
        }
    }

    // ---- 24. cancel() of a pending task is true; thrown at the current or next await -----------------------

    @Async
    Coroutine<Void> cancelSleeping() {
        List<String> log = new ArrayList<>();
        Task<Integer> t = createTask(sleepsTen(log));
        await(sleep(1));
        assertTrue(t.cancel());
        assertFalse(t.done(), "the cancellation is delivered by the loop, not inline");
        try {
            await(t);
            fail("the task was cancelled");
        } catch (CancelledError expected) {
            // asyncio: CancelledError
        }
        assertEquals(List.of("sleeping", "finally"), log, "thrown at the await; finally ran");
        assertTrue(t.cancelled());
        assertFalse(t.cancel());
        assertEquals(1.0, getRunningLoop().time(), "the cancelled sleep did not run its 10 seconds");
        return done();
    }

    /** T {@code test_cancel}: the task is cancelled while it sleeps. */
    @Test
    void semantics24_cancelOfASleepingTaskThrowsAtItsAwait() {
        runTest(cancelSleeping());
    }

    @Async
    Coroutine<Integer> yieldsTwice(List<String> log) {
        await(sleep(0));
        log.add("after first");
        await(sleep(0));
        log.add("after second");
        return done(12);
    }

    @Async
    Coroutine<Void> cancelYielding() {
        List<String> log = new ArrayList<>();
        Task<Integer> t = createTask(yieldsTwice(log));
        await(sleep(0)); // start the task: it yields in its first sleep(0)
        assertTrue(t.cancel());
        try {
            await(t);
            fail("the task was cancelled");
        } catch (CancelledError expected) {
            // as asyncio
        }
        assertEquals(List.of(), log, "the cancellation is thrown at the await it was yielding in");
        assertTrue(t.cancelled());
        assertFalse(t.cancel());
        return done();
    }

    /** T {@code test_cancel_yield}: a task cancelled while it yields. */
    @Test
    void semantics24_cancelOfAYieldingTaskThrowsAtThatYield() {
        runTest(cancelYielding());
    }

    private Task<?> self;

    @Async
    Coroutine<Integer> cancelsItself(List<String> log) {
        assertTrue(self.cancel(), "cancel() of the running (pending) task is true");
        log.add("still running after cancel()");
        try {
            await(sleep(100));
            log.add("unreached");
        } catch (CancelledError e) {
            log.add("cancelled at the next await");
            throw e;
        } finally {
            log.add("finally");
        }
        return done(12);
    }

    @Async
    Coroutine<Void> cancelCurrent() {
        List<String> log = new ArrayList<>();
        Task<Integer> t = createTask(cancelsItself(log));
        self = t;
        assertFalse(t.cancelled());
        try {
            await(t);
            fail("the task cancelled itself");
        } catch (CancelledError expected) {
            // as asyncio
        }
        assertEquals(List.of("still running after cancel()", "cancelled at the next await", "finally"), log);
        assertTrue(t.done());
        assertTrue(t.cancelled());
        assertFalse(t.cancel());
        assertEquals(0.0, getRunningLoop().time(), "the sleep(100) was cancelled at once");
        return done();
    }

    /** T {@code test_cancel_current_task}: the sleep after a self-cancel is cancelled immediately. */
    @Test
    void semantics24_codeBetweenCancelAndTheNextAwaitStillRuns() {
        runTest(cancelCurrent());
    }

    // ---- 25. cancel() of a done task is false; cancelling itself then returning ends cancelled ----------------

    @Async
    Coroutine<Integer> cancelsItselfThenReturns() {
        assertTrue(self.cancel());
        return done(12);
    }

    @Async
    Coroutine<Integer> plain() {
        return done(1);
    }

    @Async
    Coroutine<Void> failsAtOnce() {
        throw new IllegalStateException("failed");
    }

    @Async
    Coroutine<Void> cancelAtEnd() {
        Task<Integer> finished = createTask(plain());
        Task<Void> failed = createTask(failsAtOnce());
        await(sleep(0));
        assertFalse(finished.cancel(), "cancel() of a finished task is false");
        assertFalse(failed.cancel(), "cancel() of a failed task is false");
        assertEquals(1, finished.result());
        assertFalse(failed.cancelled());
        assertEquals("failed", failed.exception().getMessage());

        Task<Integer> t = createTask(cancelsItselfThenReturns());
        self = t;
        try {
            await(t);
            fail("a task that cancelled itself and then returned ends cancelled");
        } catch (CancelledError expected) {
            // as asyncio
        }
        assertTrue(t.done());
        assertTrue(t.cancelled());
        assertThrows(CancelledError.class, t::result);
        assertFalse(t.cancel());
        return done();
    }

    /** T {@code test_cancel_at_end}. */
    @Test
    void semantics25_cancelOfADoneTaskIsFalseAndSelfCancelThenReturnEndsCancelled() {
        runTest(cancelAtEnd());
    }

    // ---- 26. A repeated cancel() while cancelling returns true and raises cancelling() ---------------------

    @Async
    Coroutine<Void> repeatedCancel() {
        List<String> log = new ArrayList<>();
        Task<Integer> t = createTask(sleepsTen(log));
        assertEquals(0, t.cancelling());
        await(sleep(0));
        assertTrue(t.cancel());
        assertEquals(1, t.cancelling());
        assertTrue(t.cancel(), "asyncio 3.11+ returns True again");
        assertEquals(2, t.cancelling());
        try {
            await(t);
            fail("cancelled");
        } catch (CancelledError expected) {
            // as asyncio
        }
        // Python 3.11 and 3.13 printed: True 1 True 2, then 2 once the task was cancelled
        assertEquals(2, t.cancelling());
        assertEquals(List.of("sleeping", "finally"), log, "two requests, one cancellation");
        return done();
    }

    /** T {@code test_cancelling}. */
    @Test
    void semantics26_aRepeatedCancelReturnsTrueAndCountsInCancelling() {
        runTest(repeatedCancel());
    }

    // ---- 27. Cancelling a task cancels the future or task it is waiting on -------------------------------

    @Async
    Coroutine<Integer> awaitsFuture(Future<String> f) {
        await(f);
        return done(12);
    }

    @Async
    Coroutine<Void> cancelWaitingOnFuture() {
        Future<String> f = getRunningLoop().createFuture();
        Task<Integer> t = createTask(awaitsFuture(f));
        await(sleep(0));
        assertTrue(t.cancel("m"));
        assertTrue(f.cancelled(), "cancelling the task cancels the future it waits on, at once");
        assertEquals("m", assertThrows(CancelledError.class, f::result).getMessage(),
                "Python printed ('m',) for the inner future");
        try {
            await(t);
            fail("cancelled");
        } catch (CancelledError e) {
            assertEquals("m", e.getMessage());
        }
        assertTrue(t.cancelled());

        Future<String> g = getRunningLoop().createFuture();
        Task<Integer> u = createTask(awaitsFuture(g));
        await(sleep(0));
        assertTrue(g.cancel()); // test_cancel_inner_future: the inner future is cancelled
        try {
            await(u);
            fail("cancelled");
        } catch (CancelledError expected) {
            // as asyncio
        }
        assertTrue(g.cancelled());
        assertTrue(u.cancelled());
        return done();
    }

    /** T {@code test_cancel_inner_future}. */
    @Test
    void semantics27_cancellingATaskCancelsTheFutureItWaitsOn() {
        runTest(cancelWaitingOnFuture());
    }

    private Task<?> nestedTask;

    @Async
    Coroutine<Void> nested(Future<String> fut) {
        await(fut);
        return done();
    }

    @Async
    Coroutine<Void> blocksOnNested(Future<String> fut) {
        nestedTask = createTask(nested(fut));
        await(sleep(0));
        self.cancel(); // request the current task to be cancelled
        await(nestedTask); // block on the nested task, which should be immediately cancelled
        return done();
    }

    @Async
    Coroutine<Void> cancelAwaitedTask() {
        Future<String> fut = getRunningLoop().createFuture();
        Task<Void> task = createTask(blocksOnNested(fut));
        self = task;
        try {
            await(task);
            fail("cancelled");
        } catch (CancelledError expected) {
            // as asyncio
        }
        assertTrue(task.cancelled());
        assertTrue(nestedTask.cancelled());
        assertTrue(fut.cancelled());
        return done();
    }

    /** T {@code test_cancel_awaited_task} (bpo-34872): the cancelled task blocks on a task after its cancel(). */
    @Test
    void semantics27_aTaskCancelledWhileRunningCancelsTheTaskItThenAwaits() {
        runTest(cancelAwaitedTask());
    }

    // ---- 28. The cancellation may be caught: the task finishes normally, cancelling() stays 1 ----------------

    @Async
    Coroutine<Integer> catching(Future<String> fut1, Future<String> fut2) {
        await(fut1);
        try {
            await(fut2);
        } catch (CancelledError e) {
            return done(42);
        }
        return done(0);
    }

    @Async
    Coroutine<Void> cancelCaught() {
        EventLoop loop = getRunningLoop();
        Future<String> fut1 = loop.createFuture();
        Future<String> fut2 = loop.createFuture();
        Task<Integer> t = createTask(catching(fut1, fut2));
        await(sleep(0));
        fut1.setResult(null);
        await(sleep(0));
        await(sleep(0));
        assertTrue(t.cancel());
        assertTrue(fut2.cancelled());
        assertEquals(42, await(t));
        assertFalse(t.cancelled());
        // Python 3.11 and 3.13 printed: 42 False 1 True (result, cancelled(), cancelling(), inner cancelled())
        assertEquals(1, t.cancelling());
        return done();
    }

    /** T {@code test_cancel_task_catching}. */
    @Test
    void semantics28_aCaughtCancellationLetsTheTaskFinishNormally() {
        runTest(cancelCaught());
    }

    @Async
    Coroutine<String> ignoring(Future<String> fut1, Future<String> fut2, Future<String> fut3) {
        await(fut1);
        try {
            await(fut2);
        } catch (CancelledError e) {
            assertEquals(1, currentTask().uncancel(), "uncancel() returns the requests left");
            // fall through, as `except CancelledError: pass`
        }
        return done(await(fut3));
    }

    @Async
    Coroutine<Void> cancelIgnored() {
        EventLoop loop = getRunningLoop();
        Future<String> fut1 = loop.createFuture();
        Future<String> fut2 = loop.createFuture();
        Future<String> fut3 = loop.createFuture();
        Task<String> t = createTask(ignoring(fut1, fut2, fut3));
        await(sleep(0));
        fut1.setResult(null);
        await(sleep(0));
        await(sleep(0));
        assertTrue(t.cancel());
        t.cancel(); // a second request: uncancel() in the task leaves 1
        assertTrue(fut2.cancelled());
        await(sleep(0));
        assertFalse(t.done(), "the task caught the cancellation and now waits on fut3");
        fut3.setResult("42");
        assertEquals("42", await(t));
        assertFalse(fut3.cancelled());
        assertFalse(t.cancelled());
        assertEquals(1, t.cancelling(), "cancelling() stays until uncancel() brings it down");
        return done();
    }

    /** T {@code test_cancel_task_ignoring}. */
    @Test
    void semantics28_aTaskIgnoringTheCancellationGoesOnAwaiting() {
        runTest(cancelIgnored());
    }

    // ---- 29. cancel(msg) reaches whoever awaits the task --------------------------------------------------

    @Async
    Coroutine<Void> sleepTen() {
        await(sleep(10));
        return done();
    }

    @Async
    Coroutine<Void> cancelWithMessageThenResult() {
        Task<Void> task = createTask(sleepTen());
        await(sleep(0));
        task.cancel("my message");
        await(Asyncio.wait(List.of(task), ReturnWhen.ALL_COMPLETED)); // Object.wait hides a static import
        task.result(); // throws CancelledError('my message') out of this coroutine, as in the Python test
        return done();
    }

    /**
     * T {@code test_cancel_with_message_then_future_result}: {@code exc.args == ('my message',)} for the
     * exception out of {@code run_until_complete}.
     */
    @Test
    void semantics29_theCancelMessageReachesTheResultOfTheTask() {
        CancelledError e = assertThrows(CancelledError.class, () -> runTest(cancelWithMessageThenResult()));
        assertEquals("my message", e.getMessage());
    }

    @Async
    Coroutine<Void> awaitsTask(Task<Void> inner) {
        await(inner);
        return done();
    }

    @Async
    Coroutine<Void> messageThroughAChain() {
        Task<Void> a = createTask(sleepTen());
        Task<Void> b = createTask(awaitsTask(a));
        await(sleep(0));
        a.cancel("bye");
        try {
            await(b);
            fail("cancelled");
        } catch (CancelledError e) {
            // Python 3.11 and 3.13 printed: chain: ('bye',) True
            assertEquals("bye", e.getMessage());
        }
        assertTrue(b.cancelled());
        try {
            await(a);
            fail("cancelled");
        } catch (CancelledError e) {
            assertEquals("bye", e.getMessage());
        }
        return done();
    }

    /** T {@code test_cancel_with_message_then_future_exception}, through a task awaiting the cancelled one. */
    @Test
    void semantics29_theCancelMessageReachesEveryAwaiter() {
        runTest(messageThroughAChain());
    }

    // ---- 30. uncancel() decrements; reaching 0 clears a pending cancel -------------------------------------

    @Async
    Coroutine<Void> uncancelsOnce(List<String> log) {
        try {
            await(sleep(10));
        } catch (CancelledError e) {
            log.add("first sleep cancelled");
            currentTask().uncancel();
            await(sleep(10));
            log.add("unreached");
        }
        return done();
    }

    @Async
    Coroutine<Void> uncancelBasic() {
        List<String> log = new ArrayList<>();
        Task<Void> t = createTask(uncancelsOnce(log));
        await(sleep(0.01));
        assertTrue(t.cancel()); // cancel the first sleep
        assertEquals(1, t.cancelling());
        assertFalse(t.cancelled(), "the task is still not complete");
        await(sleep(0.01));
        assertEquals(List.of("first sleep cancelled"), log);
        assertEquals(0, t.cancelling(), "after uncancel()");
        assertFalse(t.cancelled());
        assertTrue(t.cancel()); // cancel the second sleep
        assertEquals(1, t.cancelling());
        try {
            await(t);
            fail("cancelled");
        } catch (CancelledError expected) {
            // as asyncio
        }
        assertTrue(t.cancelled());
        t.uncancel(); // no longer effective once the task is complete
        assertTrue(t.cancelled());
        assertTrue(t.done());
        assertEquals(List.of("first sleep cancelled"), log);
        return done();
    }

    /** T {@code test_uncancel_basic}. */
    @Test
    void semantics30_uncancelDecrementsTheCancellingCount() {
        runTest(uncancelBasic());
    }

    @Async
    Coroutine<Void> uncancelResetsMustCancel() {
        Future<String> fut = getRunningLoop().createFuture();
        Task<Integer> task = createTask(awaitsFuture(fut));
        await(sleep(0)); // get the task waiting for fut
        fut.setResult(null); // make the task runnable
        assertTrue(task.cancel()); // enter the cancelled state
        assertEquals(1, task.cancelling());
        assertEquals(0, task.uncancel()); // undo the cancellation
        assertEquals(0, task.cancelling());
        assertEquals(12, await(task), "the withdrawn cancellation is not delivered");
        assertFalse(task.cancelled());

        Future<String> fut2 = getRunningLoop().createFuture();
        Task<Integer> twice = createTask(awaitsFuture(fut2));
        await(sleep(0));
        fut2.setResult(null);
        twice.cancel();
        twice.cancel();
        assertEquals(1, twice.uncancel(), "one request is left: the cancellation stays");
        try {
            await(twice);
            fail("still cancelled");
        } catch (CancelledError expected) {
            // one request was left
        }
        assertTrue(twice.cancelled());
        return done();
    }

    /** T {@code test_uncancel_resets_must_cancel}: {@code res == 42} after cancel() then uncancel(). */
    @Test
    void semantics30_uncancelToZeroWithdrawsAPendingCancel() {
        runTest(uncancelResetsMustCancel());
    }

    // ---- 31. JVM-fatal errors thrown in a task escape the loop; the task records them ----------------------

    private static final class Fatal extends StackOverflowError {
        private static final long serialVersionUID = 1L;

        Fatal(String m) {
            super(m);
        }
    }

    @Async
    Coroutine<Void> overflows(StackOverflowError e) {
        await(sleep(1));
        throw e;
    }

    @Async
    Coroutine<Void> awaitsOverflow(List<Task<Void>> tasks, StackOverflowError e) {
        Task<Void> child = createTask(overflows(e), "fatal");
        tasks.add(child);
        try {
            await(child);
        } catch (Throwable t) {
            fail("a JVM-fatal error must not reach the awaiter through the loop: " + t);
        }
        return done();
    }

    /** Not in CPython's suite (its analogue: SystemExit and KeyboardInterrupt escape {@code run_until_complete}). */
    @Test
    void semantics31_aVirtualMachineErrorInATaskEscapesTheLoopAndTheTaskRecordsIt() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reported = new ArrayList<>();
        own.setExceptionHandler((l, ctx) -> reported.add(ctx));
        StackOverflowError e = new Fatal("test");
        List<Task<Void>> tasks = new ArrayList<>();
        try {
            Throwable thrown = assertThrows(Throwable.class,
                    () -> own.runUntilComplete(awaitsOverflow(tasks, e)));
            assertSame(e, thrown, "escapes unchanged");
            assertEquals(1.0, own.time());
            Task<Void> child = tasks.get(0);
            assertTrue(child.done());
            assertSame(e, child.exception(), "the task records the error");
            assertFalse(own.isRunning());
            assertEquals(List.of(), reported, "nothing reported: the error escaped");
        } finally {
            own.close();
        }
    }

    @Async
    Coroutine<Void> overflowsInMain() {
        await(sleep(0));
        throw new StackOverflowError("test");
    }

    @Test
    void semantics31_aVirtualMachineErrorOfTheMainTaskEscapesRunUntilComplete() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        try {
            Task<Void> main = own.createTask(overflowsInMain());
            StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> own.runUntilComplete(main));
            assertEquals("test", thrown.getMessage());
            assertTrue(main.done());
            assertSame(thrown, main.exception());
        } finally {
            own.close();
        }
    }
}
