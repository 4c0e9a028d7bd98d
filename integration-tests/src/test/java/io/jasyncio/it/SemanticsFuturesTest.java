package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Future;
import io.jasyncio.InvalidStateException;
import io.jasyncio.Task;
import io.jasyncio.TimeSource;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** SEMANTICS.md items 15-23 (futures), with woven {@code @Async} code. */
class SemanticsFuturesTest extends AsyncTestBase {

    // ---- 15. A new future is neither done nor cancelled; result() throws invalid-state ----------------------

    @Async
    Coroutine<Void> initialState() {
        Future<String> f = getRunningLoop().createFuture();
        assertFalse(f.done());
        assertFalse(f.cancelled());
        InvalidStateException r = assertThrows(InvalidStateException.class, f::result);
        assertTrue(r.getMessage().contains("Result is not set"), r.getMessage());
        assertThrows(InvalidStateException.class, f::exception);
        assertTrue(r instanceof IllegalStateException);
        assertSame(getRunningLoop(), f.getLoop());
        return done();
    }

    /** F {@code test_initial_state}, {@code test_result}: {@code InvalidStateError} on a pending future. */
    @Test
    void semantics15_aNewFutureIsPendingAndResultThrowsInvalidState() {
        runTest(initialState());
    }

    // ---- 16. setResult/setException on a done or cancelled future throw; cancel() of a done one is false ------

    @Async
    Coroutine<Void> doneRefusesChanges() {
        EventLoop loop = getRunningLoop();
        Future<String> f = loop.createFuture();
        f.setResult("first");
        assertThrows(InvalidStateException.class, () -> f.setResult("second"));
        assertThrows(InvalidStateException.class, () -> f.setException(new RuntimeException()));
        assertFalse(f.cancel());
        assertFalse(f.cancel("late"));
        assertFalse(f.cancelled());
        assertEquals("first", f.result(), "nothing changed");

        Future<String> failed = loop.createFuture();
        RuntimeException e = new RuntimeException("failed");
        failed.setException(e);
        assertThrows(InvalidStateException.class, () -> failed.setResult("x"));
        assertFalse(failed.cancel());
        assertSame(e, failed.exception());

        Future<String> cancelled = loop.createFuture();
        assertTrue(cancelled.cancel());
        assertThrows(InvalidStateException.class, () -> cancelled.setResult("x"));
        assertThrows(InvalidStateException.class, () -> cancelled.setException(new RuntimeException()));
        assertFalse(cancelled.cancel(), "cancel() of a cancelled future returns false");
        assertTrue(cancelled.cancelled());
        return done();
    }

    /** F {@code test_result}, {@code test_cancel}. */
    @Test
    void semantics16_aDoneOrCancelledFutureRefusesSetResultSetExceptionAndCancel() {
        runTest(doneRefusesChanges());
    }

    // ---- 17. On a cancelled future, result() and exception() throw the cancellation with the message -----------

    @Async
    Coroutine<Void> cancelledFuture() {
        Future<String> f = getRunningLoop().createFuture();
        assertTrue(f.cancel("my message"));
        assertTrue(f.cancelled());
        assertTrue(f.done());
        assertEquals("my message", assertThrows(CancelledError.class, f::result).getMessage());
        assertEquals("my message", assertThrows(CancelledError.class, f::exception).getMessage());
        try {
            await(f);
            fail("awaiting a cancelled future throws");
        } catch (CancelledError e) {
            assertEquals("my message", e.getMessage());
        }
        Future<String> g = getRunningLoop().createFuture();
        g.cancel();
        assertNull(assertThrows(CancelledError.class, g::result).getMessage());
        return done();
    }

    /** F {@code test_cancel}, {@code test_future_cancel_message_getter}. */
    @Test
    void semantics17_aCancelledFutureThrowsTheCancellationWithItsMessage() {
        runTest(cancelledFuture());
    }

    // ---- 18. exception() is null after success ----------------------------------------------------------

    @Async
    Coroutine<Integer> succeeds() {
        await(sleep(0));
        return done(7);
    }

    @Async
    Coroutine<Void> exceptionAfterSuccess() {
        Future<Integer> f = getRunningLoop().createFuture();
        f.setResult(42);
        assertNull(f.exception());
        assertEquals(42, f.result());
        Future<Integer> nullResult = getRunningLoop().createFuture();
        nullResult.setResult(null);
        assertNull(nullResult.exception());
        assertNull(nullResult.result());
        Task<Integer> t = createTask(succeeds());
        await(t);
        assertNull(t.exception());
        assertEquals(7, t.result());
        return done();
    }

    /** F {@code test_exception}. */
    @Test
    void semantics18_exceptionIsNullAfterSuccess() {
        runTest(exceptionAfterSuccess());
    }

    // ---- 19. Done-callbacks: scheduled with callSoon, never inline, in order, also on a done future --------

    @Async
    Coroutine<Void> callbacksScheduled() {
        EventLoop loop = getRunningLoop();
        List<String> log = new ArrayList<>();
        Future<String> f = loop.createFuture();
        f.addDoneCallback(x -> log.add("a:" + x.result()));
        f.addDoneCallback(x -> log.add("b"));
        loop.callSoon(() -> log.add("soon-before"));
        f.addDoneCallback(x -> log.add("c"));
        f.setResult("r");
        loop.callSoon(() -> log.add("soon-after"));
        assertEquals(List.of(), log, "done-callbacks are never called inline");
        await(sleep(0));
        assertEquals(List.of("soon-before", "a:r", "b", "c", "soon-after"), log);

        log.clear();
        f.addDoneCallback(x -> log.add("d"));
        f.addDoneCallback(x -> log.add("e"));
        assertEquals(List.of(), log, "a callback added to a done future is not called inline either");
        await(sleep(0));
        assertEquals(List.of("d", "e"), log);

        log.clear();
        Future<String> failed = loop.createFuture();
        failed.addDoneCallback(x -> log.add("failed:" + x.exception().getMessage()));
        Future<String> cancelled = loop.createFuture();
        cancelled.addDoneCallback(x -> log.add("cancelled:" + x.cancelled()));
        failed.setException(new RuntimeException("e"));
        cancelled.cancel();
        await(sleep(0));
        assertEquals(List.of("failed:e", "cancelled:true"), log);
        return done();
    }

    /** F {@code test_callbacks_invoked_on_set_result}, {@code test_callbacks_invoked_on_set_exception}. */
    @Test
    void semantics19_doneCallbacksAreScheduledInOrderNeverInline() {
        runTest(callbacksScheduled());
    }

    // ---- 20. removeDoneCallback returns how many; mutating the list while scheduling is safe ---------------

    @Async
    Coroutine<Void> removeCallbacks() {
        EventLoop loop = getRunningLoop();
        List<String> log = new ArrayList<>();
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> a = x -> log.add("a");
        Consumer<Future<String>> b = x -> log.add("b");
        Consumer<Future<String>> c = x -> log.add("c");
        f.addDoneCallback(a);
        f.addDoneCallback(b);
        f.addDoneCallback(c);
        f.addDoneCallback(b);
        assertEquals(0, f.removeDoneCallback(x -> log.add("never added")));
        assertEquals(2, f.removeDoneCallback(b));
        assertEquals(0, f.removeDoneCallback(b));
        f.setResult("r");
        await(sleep(0));
        assertEquals(List.of("a", "c"), log);

        Future<String> only = loop.createFuture();
        only.addDoneCallback(a);
        assertEquals(1, only.removeDoneCallback(a));
        only.setResult("r");
        await(sleep(0));
        assertEquals(List.of("a", "c"), log, "the removed only callback did not run");
        return done();
    }

    /** F {@code test_remove_done_callback}. */
    @Test
    void semantics20_removeDoneCallbackReturnsHowManyItRemoved() {
        runTest(removeCallbacks());
    }

    @Async
    Coroutine<Void> mutationWhileScheduling() {
        EventLoop loop = getRunningLoop();
        List<Object> log = new ArrayList<>();
        Future<String> f = loop.createFuture();
        Consumer<Future<String>> b = x -> log.add("b");
        Consumer<Future<String>> late = x -> log.add("late");
        f.addDoneCallback(x -> {
            log.add("a");
            log.add(x.removeDoneCallback(b)); // already scheduled: nothing to remove
            x.addDoneCallback(late); // the future is done: scheduled at once, for the next iteration
        });
        f.addDoneCallback(b);
        f.addDoneCallback(b);
        f.setResult("r");
        await(sleep(0));
        // Python 3.11 and 3.13 printed ['a', ('removed', 0), 'b', 'b'] for the same callbacks
        assertEquals(List.of("a", 0, "b", "b"), log);
        await(sleep(0));
        assertEquals(List.of("a", 0, "b", "b", "late"), log);
        return done();
    }

    /** F {@code test_schedule_callbacks_list_mutation_1}: a callback that removes others while they are scheduled. */
    @Test
    void semantics20_changingTheCallbacksWhileTheyAreScheduledIsSafe() {
        runTest(mutationWhileScheduling());
    }

    // ---- 21. Awaiting a done future returns at once without suspending ------------------------------------

    @Async
    Coroutine<Void> awaitDone() {
        EventLoop loop = getRunningLoop();
        boolean[] ran = {false};
        Task<Integer> t = createTask(succeeds());
        await(t);
        loop.callSoon(() -> ran[0] = true);
        Future<String> ok = loop.createFuture();
        ok.setResult("ok");
        assertEquals("ok", await(ok));
        Future<String> failed = loop.createFuture();
        IllegalArgumentException e = new IllegalArgumentException("failed");
        failed.setException(e);
        try {
            await(failed);
            fail("a failed future throws");
        } catch (IllegalArgumentException thrown) {
            assertSame(e, thrown);
        }
        Future<String> cancelled = loop.createFuture();
        cancelled.cancel("gone");
        try {
            await(cancelled);
            fail("a cancelled future throws");
        } catch (CancelledError thrown) {
            assertEquals("gone", thrown.getMessage());
        }
        assertEquals(7, await(t), "a done task too");
        assertFalse(ran[0], "none of these awaits suspended: the callback queued before them has not run");
        await(sleep(0));
        assertTrue(ran[0]);
        return done();
    }

    /** F {@code test_yield_from_twice} / {@code Future.__await__}: a done future does not yield. */
    @Test
    void semantics21_awaitingADoneFutureReturnsAtOnce() {
        runTest(awaitDone());
    }

    // ---- 22. "Exception was never retrieved" only if never read and not cancelled; a pending task at close -----

    @Async
    Coroutine<Void> fails(RuntimeException e) {
        await(sleep(0));
        throw e;
    }

    @Async
    Coroutine<Void> sleepsLong() {
        await(sleep(10));
        return done();
    }

    @Async
    Coroutine<Void> makeFailures(EventLoop loop, List<Object> keep, RuntimeException unread,
            RuntimeException unreadTask) {
        Future<String> f1 = loop.createFuture();
        f1.setException(unread); // never read: reported
        Future<String> f2 = loop.createFuture();
        f2.setException(new RuntimeException("read by exception()"));
        f2.exception();
        Future<String> f3 = loop.createFuture();
        f3.setException(new RuntimeException("read by result()"));
        try {
            f3.result();
        } catch (RuntimeException expected) {
            // read
        }
        Future<String> f4 = loop.createFuture();
        f4.setException(new RuntimeException("awaited"));
        try {
            await(f4);
        } catch (RuntimeException expected) {
            // read
        }
        Future<String> f5 = loop.createFuture();
        f5.cancel("cancelled futures are not reported");
        Task<Void> t1 = createTask(fails(unreadTask), "unread-task"); // never awaited: reported
        Task<Void> t2 = createTask(fails(new RuntimeException("awaited task")));
        Task<Void> t3 = createTask(sleepsLong());
        await(sleep(0));
        t3.cancel(); // cancelled, never awaited: not reported
        try {
            await(t2);
        } catch (RuntimeException expected) {
            // read
        }
        await(sleep(0));
        assertTrue(t1.done() && t3.cancelled());
        keep.addAll(List.of(f1, f2, f3, f4, f5, t1, t2, t3));
        return done();
    }

    /**
     * F {@code test_tb_logger_exception_unretrieved} (reported), {@code test_tb_logger_exception_retrieved},
     * {@code test_tb_logger_abandoned} (not reported). The loop reports what is still unread when it closes.
     */
    @Test
    void semantics22_onlyAnExceptionNeverReadOfAFutureNotCancelledIsReported() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reported = new ArrayList<>();
        own.setExceptionHandler((l, ctx) -> reported.add(ctx));
        List<Object> keep = new ArrayList<>();
        RuntimeException unread = new RuntimeException("unread future");
        RuntimeException unreadTask = new RuntimeException("unread task");
        try {
            own.runUntilComplete(makeFailures(own, keep, unread, unreadTask));
            assertEquals(List.of(), reported, "nothing is reported while the futures are still referenced");
        } finally {
            own.close();
        }
        assertEquals(2, reported.size(), () -> "reported: " + reported);
        List<Throwable> exceptions = new ArrayList<>();
        for (ExceptionContext ctx : reported) {
            exceptions.add(ctx.exception());
            assertTrue(ctx.message().contains("exception was never retrieved"), ctx.message());
            if (ctx.exception() == unreadTask) {
                assertTrue(ctx.message().startsWith("Task exception was never retrieved"), ctx.message());
                assertTrue(ctx.message().contains("unread-task"), "the report names the task: " + ctx.message());
                assertSame(keep.get(5), ctx.future());
            } else {
                assertSame(unread, ctx.exception());
                assertTrue(ctx.message().startsWith("Future exception was never retrieved"), ctx.message());
                assertSame(keep.get(0), ctx.future());
            }
        }
        assertTrue(exceptions.contains(unread) && exceptions.contains(unreadTask), exceptions::toString);
    }

    @Async
    Coroutine<String> leavesPendingTasks(List<Task<?>> left) {
        left.add(createTask(sleepsLong(), "sleeper"));
        Future<String> never = getRunningLoop().createFuture();
        left.add(createTask(awaitsForever(never), "waiter"));
        await(sleep(0));
        return done("main done");
    }

    @Async
    Coroutine<String> awaitsForever(Future<String> never) {
        return done(await(never));
    }

    /**
     * T {@code test_log_destroyed_pending_task} ({@code 'Task was destroyed but it is pending!'}). A jasyncio loop
     * holds its pending tasks strongly, so they are never collected while it lives: closing the loop reports each
     * task still pending.
     */
    @Test
    void semantics22_aTaskStillPendingWhenItsLoopClosesIsReported() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reported = new ArrayList<>();
        own.setExceptionHandler((l, ctx) -> reported.add(ctx));
        List<Task<?>> left = new ArrayList<>();
        try {
            assertEquals("main done", own.runUntilComplete(leavesPendingTasks(left)));
            assertEquals(List.of(), reported);
        } finally {
            own.close();
        }
        assertEquals(2, reported.size(), () -> "reported: " + reported);
        List<Object> futures = new ArrayList<>();
        for (ExceptionContext ctx : reported) {
            assertTrue(ctx.message().startsWith("Task was destroyed but it is pending"), ctx.message());
            assertNull(ctx.exception());
            assertTrue(ctx.message().contains(((Task<?>) ctx.future()).getName()), ctx.message());
            futures.add(ctx.future());
        }
        assertTrue(futures.containsAll(left) && left.containsAll(futures), () -> futures + " vs " + left);
        for (Task<?> t : left) {
            assertFalse(t.done(), "closing the loop does not complete its tasks");
        }
    }

    // ---- 23. A task's result cannot be set from outside ----------------------------------------------------

    @Async
    Coroutine<Void> setOnTask() {
        Task<Integer> t = createTask(succeeds());
        UnsupportedOperationException r = assertThrows(UnsupportedOperationException.class, () -> t.setResult(1));
        assertTrue(r.getMessage().contains("setResult"), r.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> t.setException(new RuntimeException()));
        assertFalse(t.done(), "the task is not disturbed");
        assertEquals(7, await(t), "the result comes from the coroutine");
        assertThrows(UnsupportedOperationException.class, () -> t.setResult(1), "also once done");
        assertEquals(7, t.result());
        assertNull(t.exception());
        return done();
    }

    /** T {@code test_task_set_methods}: {@code RuntimeError: Task does not support set_result operation}. */
    @Test
    void semantics23_aTasksResultCannotBeSetFromOutside() {
        runTest(setOnTask());
    }
}
