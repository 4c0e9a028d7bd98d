package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.taskGroup;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.timeoutAt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.ExceptionGroup;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TimeSource;
import io.jasyncio.Timeout;
import io.jasyncio.TimeoutException;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * SEMANTICS.md items 47-59: timeout scopes and task groups, ported from CPython's
 * {@code Lib/test/test_asyncio/test_timeouts.py} (TO) and {@code test_taskgroups.py} (TG), 3.12 and 3.13.
 * Python's {@code 1 / 0} is an {@link ArithmeticException} here, {@code KeyError} an {@link IllegalStateException},
 * {@code ValueError} an {@link IllegalArgumentException}.
 */
class SemanticsTimeoutsAndTaskGroupsTest extends AsyncTestBase {

    // ---- helpers ---------------------------------------------------------------------------------------------

    @Async
    Coroutine<Void> raiseAfter(double delay, RuntimeException e) {
        await(sleep(delay));
        throw e;
    }

    @Async
    <T> Coroutine<T> valueAfter(double delay, T value) {
        await(sleep(delay));
        return done(value);
    }

    private static List<Class<?>> types(ExceptionGroup eg) {
        List<Class<?>> types = new ArrayList<>();
        for (Throwable t : eg.exceptions()) {
            types.add(t.getClass());
        }
        return types;
    }

    // ---- 47: an expired scope cancels the task and throws TimeoutException at its end ------------------------

    /** TO {@code test_timeout_basic}, {@code test_waiter_cancelled}, {@code test_timeout_exception_cause}. */
    @Async
    Coroutine<Void> timeoutBasic() {
        Timeout[] cm = new Timeout[1];
        boolean[] cancelled = {false};
        try {
            await(timeout(0.01, t -> {
                cm[0] = t;
                expect(1);
                try {
                    await(sleep(10));
                } catch (CancelledError e) {
                    expect(2);
                    cancelled[0] = true;
                    assertTrue(t.expired(), "expiring: the deadline passed, the scope has not ended yet");
                    throw e;
                }
                expectUnreached();
                return done("unreached");
            }));
            expectUnreached();
        } catch (TimeoutException e) {
            expect(3);
            assertInstanceOf(CancelledError.class, e.getCause(), "the cause is the scope's cancellation");
        }
        assertTrue(cancelled[0]);
        assertTrue(cm[0].expired());
        assertEquals(0.01, getRunningLoop().time(), 1e-9);
        assertEquals(0, currentTask().cancelling(), "the scope undid its own cancel");
        // the task goes on normally: its next await does not throw
        await(sleep(1));
        finish(4);
        return done();
    }

    @Test
    void semantics47_expiredTimeoutThrowsTimeoutExceptionAndIsExpired() {
        runTest(timeoutBasic());
    }

    /** TO {@code test_timeout_at_basic}. */
    @Async
    Coroutine<Void> timeoutAtBasic() {
        double deadline = getRunningLoop().time() + 0.01;
        Timeout[] cm = new Timeout[1];
        TimeoutException e = null;
        try {
            await(timeoutAt(deadline, t -> {
                cm[0] = t;
                await(sleep(10));
                return done();
            }));
        } catch (TimeoutException expected) {
            e = expected;
        }
        assertNotNull(e, "timeoutAt must throw TimeoutException");
        assertTrue(cm[0].expired());
        assertEquals(OptionalDouble.of(deadline), cm[0].when());
        assertEquals(deadline, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Test
    void semantics47_timeoutAtExpiresAtItsDeadline() {
        runTest(timeoutAtBasic());
    }

    /** TO {@code test_timeout_not_called}: a body done before the deadline returns its value, not expired. */
    @Async
    Coroutine<Void> timeoutNotCalled() {
        Timeout[] cm = new Timeout[1];
        String r = await(timeout(10, t -> {
            cm[0] = t;
            await(sleep(0.01));
            return done("x");
        }));
        double t1 = getRunningLoop().time();
        assertEquals("x", r);
        assertFalse(cm[0].expired());
        assertTrue(cm[0].when().getAsDouble() > t1);
        // the deadline's timer was cancelled with the scope: nothing fires at t=10
        await(sleep(20));
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics47_timeoutNotReachedGivesTheBodysValue() {
        runTest(timeoutNotCalled());
    }

    /** TO {@code test_foreign_exception_passed}, {@code test_foreign_exception_on_timeout}: other failures pass as they are. */
    @Async
    Coroutine<Void> foreignExceptions() {
        Timeout[] cm = new Timeout[1];
        IllegalStateException key = new IllegalStateException("key");
        Throwable seen = null;
        try {
            await(timeout(0.01, t -> {
                cm[0] = t;
                throw key;
            }));
        } catch (IllegalStateException e) {
            seen = e;
        }
        assertSame(key, seen);
        assertFalse(cm[0].expired());
        // a failure raised while the body handles the timeout's cancellation wins over the timeout
        ArithmeticException zero = new ArithmeticException("/ by zero");
        seen = null;
        try {
            await(timeout(0.01, t -> {
                cm[0] = t;
                await(nestedThrowing(zero));
                return done();
            }));
        } catch (ArithmeticException e) {
            seen = e;
        } catch (TimeoutException e) {
            expectUnreached();
        }
        assertSame(zero, seen);
        assertTrue(cm[0].expired());
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics47_otherExceptionsPassThroughTheScope() {
        runTest(foreignExceptions());
    }

    // ---- 48: a zero or past deadline fires at the next suspension; no deadline disables it --------------------

    @Async
    Coroutine<Void> expiresAtOnce(double delay, double sleepFor) {
        double t0 = getRunningLoop().time();
        Timeout[] cm = new Timeout[1];
        boolean thrown = false;
        try {
            await(timeout(delay, t -> {
                cm[0] = t;
                assertFalse(t.expired(), "nothing fires before the body suspends");
                await(sleep(sleepFor));
                expectUnreached();
                return done();
            }));
        } catch (TimeoutException e) {
            thrown = true;
        }
        double t1 = getRunningLoop().time();
        assertTrue(thrown, "timeout(" + delay + ") around sleep(" + sleepFor + ") must time out");
        assertTrue(cm[0].expired());
        assertEquals(t0, t1, "it fired at the first suspension, without waiting for the sleep");
        assertTrue(cm[0].when().getAsDouble() <= t1);
        return done();
    }

    /**
     * TO {@code test_timeout_zero}, {@code test_timeout_zero_sleep_zero}, {@code test_timeout_in_the_past_sleep_zero};
     * and a body that never suspends is not timed out: Python 3.12 and 3.13 print for
     * {@code async with asyncio.timeout(0) as cm: pass}: {@code expired False <Timeout [finished]>}.
     */
    @Async
    Coroutine<Void> zeroAndPastDeadlines() {
        await(sleep(5)); // loop time 5: a delay of -11 is then a deadline in the past
        await(expiresAtOnce(0, 10));
        await(expiresAtOnce(0, 0));
        await(expiresAtOnce(-11, 0));
        Timeout[] cm = new Timeout[1];
        String r = await(timeout(0, t -> {
            cm[0] = t;
            return done("no suspension");
        }));
        assertEquals("no suspension", r);
        assertFalse(cm[0].expired());
        await(sleep(0)); // the scope's pending call is gone: the task is not cancelled here
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics48_zeroOrPastDeadlineFiresAtTheNextSuspension() {
        runTest(zeroAndPastDeadlines());
    }

    /** TO {@code test_timeout_disabled}, {@code test_timeout_at_disabled}. */
    @Async
    Coroutine<Void> disabledTimeouts() {
        Timeout[] cm = new Timeout[2];
        await(timeout(Double.POSITIVE_INFINITY, t -> {
            cm[0] = t;
            await(sleep(100));
            return done();
        }));
        await(timeoutAt(Double.POSITIVE_INFINITY, t -> {
            cm[1] = t;
            await(sleep(100));
            return done();
        }));
        assertEquals(200.0, getRunningLoop().time(), 1e-9);
        for (Timeout t : cm) {
            assertFalse(t.expired());
            assertEquals(OptionalDouble.empty(), t.when());
        }
        return done();
    }

    @Test
    void semantics48_noDeadlineDisablesTheTimeout() {
        runTest(disabledTimeouts());
    }

    // ---- 49: reschedule() moves the deadline -----------------------------------------------------------------

    /** TO {@code test_reschedule}, ported line by line. */
    @Async
    Coroutine<Void> reschedule() {
        EventLoop loop = getRunningLoop();
        Future<Timeout> fut = loop.createFuture();
        double deadline1 = loop.time() + 10;
        double deadline2 = deadline1 + 20;
        Task<Void> task = createTask(timeoutAt(deadline1, cm -> {
            fut.setResult(cm);
            await(sleep(50));
            return done();
        }));
        Timeout cm = await(fut);
        assertEquals(OptionalDouble.of(deadline1), cm.when());
        cm.reschedule(deadline2);
        assertEquals(OptionalDouble.of(deadline2), cm.when());
        cm.reschedule(OptionalDouble.empty());
        assertEquals(OptionalDouble.empty(), cm.when());
        task.cancel();
        boolean cancelled = false;
        try {
            await(task);
        } catch (CancelledError e) {
            cancelled = true;
        }
        assertTrue(cancelled);
        assertFalse(cm.expired());
        return done();
    }

    @Test
    void semantics49_rescheduleMovesTheDeadline() {
        runTest(reschedule());
    }

    /** Where a moved deadline fires: earlier, later, in the past (next suspension), or none. */
    @Async
    Coroutine<Void> rescheduleFires() {
        EventLoop loop = getRunningLoop();
        // earlier: a 10 s timeout moved to 1 s from now
        try {
            await(timeout(10, t -> {
                t.reschedule(loop.time() + 1);
                await(sleep(5));
                return done();
            }));
            expectUnreached();
        } catch (TimeoutException e) {
            assertEquals(1.0, loop.time(), 1e-9);
        }
        // later: a 1 s timeout moved to 5 s from now lets a 3 s sleep finish
        String r = await(timeout(1, t -> {
            await(sleep(0.5));
            t.reschedule(OptionalDouble.of(loop.time() + 5));
            await(sleep(3));
            return done("later");
        }));
        assertEquals("later", r);
        assertEquals(4.5, loop.time(), 1e-9);
        // in the past: fires at the next suspension
        double before = loop.time();
        try {
            await(timeout(10, t -> {
                await(sleep(1));
                t.reschedule(loop.time() - 100);
                assertFalse(t.expired());
                await(sleep(5));
                return done();
            }));
            expectUnreached();
        } catch (TimeoutException e) {
            assertEquals(before + 1, loop.time(), 1e-9);
        }
        // none: POSITIVE_INFINITY disables it
        r = await(timeout(1, t -> {
            t.reschedule(Double.POSITIVE_INFINITY);
            assertEquals(OptionalDouble.empty(), t.when());
            await(sleep(3));
            return done("none");
        }));
        assertEquals("none", r);
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics49_rescheduledDeadlineFiresWhereItWasMoved() {
        runTest(rescheduleFires());
    }

    /** TO {@code test_timeout_expiring}, {@code test_timeout_expired}: once the deadline passed, no reschedule. */
    @Async
    Coroutine<Void> rescheduleRefused() {
        Timeout[] cm = new Timeout[1];
        // expiring: the body swallows the cancellation, so the scope ends normally (no TimeoutException)
        String r = await(timeout(0.01, t -> {
            cm[0] = t;
            boolean cancelled = false;
            try {
                await(sleep(1));
            } catch (CancelledError e) {
                cancelled = true;
            }
            assertTrue(cancelled);
            assertTrue(t.expired());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.reschedule(0.02));
            assertTrue(e.getMessage().contains("expiring"), e.getMessage());
            return done("swallowed");
        }));
        assertEquals("swallowed", r);
        assertEquals(0, currentTask().cancelling());
        // expired
        try {
            await(timeout(0.01, t -> {
                cm[0] = t;
                await(sleep(1));
                return done("unreached");
            }));
            expectUnreached();
        } catch (TimeoutException expected) {
            // as Python
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm[0].reschedule(0.02));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        return done();
    }

    @Test
    void semantics49_rescheduleRefusedOnceTheDeadlinePassed() {
        runTest(rescheduleRefused());
    }

    // ---- 50: a foreign cancel stays a cancellation; the task is not left cancelled --------------------------

    /** TO {@code test_foreign_cancel_doesnt_timeout_if_not_expired}. */
    @Async
    Coroutine<Void> foreignCancel() {
        Timeout[] cm = new Timeout[1];
        Task<Void> task = createTask(timeout(10, t -> {
            cm[0] = t;
            currentTask().cancel("foreign");
            await(sleep(10));
            return done();
        }));
        CancelledError e = null;
        try {
            await(task);
        } catch (CancelledError expected) {
            e = expected;
        }
        assertNotNull(e, "a foreign cancel must stay a cancellation");
        assertEquals("foreign", e.getMessage());
        assertTrue(task.cancelled());
        assertFalse(cm[0].expired());
        assertEquals(0.0, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Test
    void semantics50_foreignCancelBeforeTheDeadlineStaysACancellation() {
        runTest(foreignCancel());
    }

    /**
     * A foreign cancel delivered together with the deadline's: the scope expired, but another cancel request is
     * pending, so the cancellation goes on. Python 3.12 and 3.13, with {@code loop.call_at(cm.when(), lambda:
     * t.cancel("foreign"))} inside {@code async with asyncio.timeout_at(loop.time() + 1) as cm}, print
     * {@code CancelledError CancelledError() True} (caught CancelledError, task cancelled).
     */
    @Async
    Coroutine<Void> foreignCancelAtTheDeadline() {
        EventLoop loop = getRunningLoop();
        Timeout[] cm = new Timeout[1];
        Task<?>[] self = new Task<?>[1];
        Task<Void> task = createTask(timeoutAt(loop.time() + 1, t -> {
            cm[0] = t;
            self[0] = currentTask();
            // scheduled after the scope's own timer for the same time: runs right after it (item 7)
            loop.callAt(t.when().getAsDouble(), () -> self[0].cancel("foreign"));
            await(sleep(10));
            return done();
        }));
        boolean cancelled = false;
        try {
            await(task);
        } catch (CancelledError e) {
            cancelled = true;
        } catch (TimeoutException e) {
            expectUnreached();
        }
        assertTrue(cancelled);
        assertTrue(task.cancelled());
        assertTrue(cm[0].expired());
        return done();
    }

    @Test
    void semantics50_foreignCancelWithTheDeadlineStaysACancellation() {
        runTest(foreignCancelAtTheDeadline());
    }

    /** TO {@code test_outer_task_is_not_cancelled}. */
    @Async
    Coroutine<Void> outerNotCancelled() {
        Task<Void> task = createTask(outerWithTimeout());
        await(task);
        assertFalse(task.cancelled());
        assertTrue(task.done());
        assertEquals(0, task.cancelling());
        return done();
    }

    @Async
    Coroutine<Void> outerWithTimeout() {
        boolean thrown = false;
        try {
            await(timeout(0.001, t -> {
                await(sleep(10));
                return done();
            }));
        } catch (TimeoutException e) {
            thrown = true;
        }
        assertTrue(thrown);
        await(sleep(1)); // not cancelled: this sleep completes
        assertEquals(1.001, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Test
    void semantics50_outerTaskIsNotLeftCancelled() {
        runTest(outerNotCancelled());
    }

    /** TO {@code test_cancel_in_timeout_after_cancellation}: a cancel inside a later scope is still a cancel. */
    @Async
    Coroutine<Void> cancelInTimeoutAfterCancellation() {
        try {
            currentTask().cancel();
            await(sleep(1));
            expectUnreached();
        } catch (CancelledError e) {
            // swallowed, cancelling() stays 1
        }
        boolean cancelled = false;
        try {
            await(timeout(1.0, t -> {
                currentTask().cancel();
                await(sleep(2));
                return done();
            }));
        } catch (CancelledError e) {
            cancelled = true;
        }
        assertTrue(cancelled);
        assertEquals(2, currentTask().cancelling());
        currentTask().uncancel();
        currentTask().uncancel();
        return done();
    }

    @Test
    void semantics50_cancelInsideTimeoutAfterAnEarlierCancellation() {
        runTest(cancelInTimeoutAfterCancellation());
    }

    // ---- 51: nested timeouts: only the one that expired throws ---------------------------------------------

    /** TO {@code test_nested_timeouts}: both expire at once; the inner one lets the cancellation through. */
    @Async
    Coroutine<Void> nestedTimeouts() {
        double deadline = getRunningLoop().time() + 0.01;
        Timeout[] cm = new Timeout[2];
        boolean[] cancelled = {false};
        boolean thrown = false;
        try {
            await(timeoutAt(deadline, cm1 -> {
                cm[0] = cm1;
                try {
                    await(timeoutAt(deadline, cm2 -> {
                        cm[1] = cm2;
                        await(sleep(10));
                        return done();
                    }));
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
                return done();
            }));
        } catch (TimeoutException e) {
            thrown = true;
        }
        assertTrue(thrown, "the outer scope throws TimeoutException");
        assertTrue(cancelled[0], "the inner scope let the cancellation through");
        assertTrue(cm[0].expired());
        assertTrue(cm[1].expired());
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics51_nestedTimeoutsOnlyTheOutermostThrows() {
        runTest(nestedTimeouts());
    }

    /** TO {@code test_nested_timeouts_loop_busy} (without the busy loop): inner expires, then the outer. */
    @Async
    Coroutine<Void> innerThenOuter() {
        EventLoop loop = getRunningLoop();
        double t0 = loop.time();
        Timeout[] cm = new Timeout[2];
        try {
            await(timeout(0.1, outer -> {
                cm[0] = outer;
                try {
                    await(timeout(0.01, inner -> {
                        cm[1] = inner;
                        await(sleep(1));
                        return done();
                    }));
                    expectUnreached();
                } catch (TimeoutException e) {
                    expect(1);
                    assertFalse(outer.expired(), "only the inner one expired");
                    assertEquals(t0 + 0.01, loop.time(), 1e-9);
                }
                await(sleep(10)); // interrupted by the outer scope
                expectUnreached();
                return done();
            }));
            expectUnreached();
        } catch (TimeoutException e) {
            expect(2);
        }
        assertEquals(t0 + 0.1, loop.time(), 1e-9);
        assertTrue(cm[0].expired());
        assertTrue(cm[1].expired());
        // an inner timeout handled by the body leaves the outer scope unexpired
        Timeout[] outerCm = new Timeout[1];
        String r = await(timeout(10, outer -> {
            outerCm[0] = outer;
            try {
                await(timeout(1, inner -> {
                    await(sleep(5));
                    return done();
                }));
            } catch (TimeoutException e) {
                return done("inner timed out");
            }
            return done("unreached");
        }));
        assertEquals("inner timed out", r);
        assertFalse(outerCm[0].expired());
        assertEquals(0, currentTask().cancelling());
        finish(3);
        return done();
    }

    @Test
    void semantics51_innerTimeoutHandledThenOuterExpires() {
        runTest(innerThenOuter());
    }

    /**
     * TO {@code test_nested_timeout_in_finally}: a timeout in the cleanup of an expired one. Python 3.12 and 3.13
     * print {@code inner in finally TimeoutError} then {@code outer TimeoutError 0} (cancelling() back to 0).
     */
    @Async
    Coroutine<Void> timeoutInFinally() {
        boolean outerTimedOut = false;
        boolean[] innerTimedOut = {false};
        try {
            await(timeout(0.01, outer -> {
                try {
                    await(sleep(1));
                } finally {
                    try {
                        await(timeout(0.01, inner -> {
                            await(sleep(10));
                            return done();
                        }));
                    } catch (TimeoutException e) {
                        innerTimedOut[0] = true;
                    }
                }
                return done();
            }));
        } catch (TimeoutException e) {
            outerTimedOut = true;
        }
        assertTrue(innerTimedOut[0]);
        assertTrue(outerTimedOut);
        assertEquals(0.02, getRunningLoop().time(), 1e-9);
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics51_timeoutInTheCleanupOfAnExpiredOne() {
        runTest(timeoutInFinally());
    }

    // ---- 52: scopes need a task and cannot be reused ---------------------------------------------------------
    // jasyncio's scopes are functions that make their Timeout/TaskGroup, so "entered twice" cannot be written;
    // what can: the scope's coroutine awaited twice, and its Timeout/TaskGroup used after the scope ended.

    /**
     * TO {@code test_timeout_finished}, {@code test_timeout_expired}, {@code test_repr_finished},
     * {@code test_repr_expired}; TG {@code test_taskgroup_finished}.
     */
    @Async
    Coroutine<Void> escapedScopes() {
        Timeout[] cm = new Timeout[1];
        await(timeout(0.01, t -> {
            cm[0] = t;
            return done();
        }));
        // Python: RuntimeError "Cannot change state of finished Timeout"; repr "<Timeout [finished]>"
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm[0].reschedule(0.02));
        assertTrue(e.getMessage().contains("finished"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cm[0].reschedule(OptionalDouble.empty()));
        assertEquals("<Timeout [finished]>", cm[0].toString());
        // TO test_timeout_expired, test_repr_expired: an expired one refuses too
        try {
            await(timeout(0.01, t -> {
                cm[0] = t;
                assertTrue(t.toString().startsWith("<Timeout [active] when="), t.toString()); // test_repr_active
                await(sleep(1));
                return done();
            }));
            expectUnreached();
        } catch (TimeoutException expected) {
            // as Python
        }
        e = assertThrows(IllegalStateException.class, () -> cm[0].reschedule(0.02));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertEquals("<Timeout [expired]>", cm[0].toString());

        TaskGroup[] tg = new TaskGroup[1];
        await(taskGroup(g -> {
            tg[0] = g;
            g.createTask(sleep(0));
            return done();
        }));
        Coroutine<Void> coro = sleep(0);
        e = assertThrows(IllegalStateException.class, () -> tg[0].createTask(coro));
        assertTrue(e.getMessage().contains("is finished"), e.getMessage());
        await(coro); // it was not taken: it can still be awaited
        return done();
    }

    @Test
    void semantics52_timeoutAndTaskGroupRefuseUseAfterTheirScope() {
        runTest(escapedScopes());
    }

    /** TO {@code test_timeout_double_enter}, TG {@code test_taskgroup_double_enter}: a scope runs once. */
    @Async
    Coroutine<Void> scopeAwaitedTwice() {
        int[] entered = {0};
        Coroutine<String> t = timeout(1, cm -> {
            entered[0]++;
            return done("t");
        });
        assertEquals("t", await(t));
        IllegalStateException e = null;
        try {
            await(t);
        } catch (IllegalStateException expected) {
            e = expected;
        }
        assertNotNull(e, "a timeout scope must not run twice");
        Coroutine<String> g = taskGroup(tg -> {
            entered[0]++;
            return done("g");
        });
        assertEquals("g", await(g));
        e = null;
        try {
            await(g);
        } catch (IllegalStateException expected) {
            e = expected;
        }
        assertNotNull(e, "a task group scope must not run twice");
        assertEquals(2, entered[0]);
        return done();
    }

    @Test
    void semantics52_scopeCannotBeEnteredTwice() {
        runTest(scopeAwaitedTwice());
    }

    /** TO {@code test_timeout_without_task}: given to runUntilComplete, a scope runs in the task made for it. */
    @Test
    void semantics52_scopeRunByRunUntilCompleteIsInATask() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        try {
            Task<?>[] seen = new Task<?>[2];
            String r = own.runUntilComplete(timeout(1, t -> {
                seen[0] = currentTask();
                await(sleep(0.5));
                return done("timeout ran");
            }));
            assertEquals("timeout ran", r);
            assertNotNull(seen[0]);
            assertThrows(TimeoutException.class, () -> own.runUntilComplete(timeout(1, t -> {
                await(sleep(2));
                return done();
            })));
            List<Task<Integer>> ts = own.runUntilComplete(taskGroup(tg -> {
                seen[1] = currentTask();
                Task<Integer> a = tg.createTask(valueAfter(1, 40));
                Task<Integer> b = tg.createTask(valueAfter(2, 2));
                return done(List.of(a, b));
            }));
            assertEquals(42, ts.get(0).result() + ts.get(1).result());
            assertNotNull(seen[1]);
            assertEquals(3.5, own.time(), 1e-9);
        } finally {
            own.close();
        }
    }

    // ---- 53: leaving a task group waits for every child ------------------------------------------------------

    /** TG {@code test_taskgroup_01}, {@code test_taskgroup_02}. */
    @Async
    Coroutine<Void> groupWaits() {
        EventLoop loop = getRunningLoop();
        List<Task<Integer>> ts = await(taskGroup(g -> {
            Task<Integer> t1 = g.createTask(valueAfter(0.1, 42));
            Task<Integer> t2 = g.createTask(valueAfter(0.2, 11));
            return done(List.of(t1, t2));
        }));
        assertEquals(0.2, loop.time(), 1e-9);
        assertEquals(42, ts.get(0).result());
        assertEquals(11, ts.get(1).result());

        String r = await(taskGroup(g -> {
            Task<Integer> t1 = g.createTask(valueAfter(0.1, 42));
            await(sleep(0.15));
            assertEquals(42, t1.result());
            Task<Integer> t2 = g.createTask(valueAfter(0.2, 11), "t2");
            assertEquals("t2", t2.getName());
            return done("body " + t1.result());
        }));
        assertEquals("body 42", r);
        assertEquals(0.2 + 0.35, loop.time(), 1e-9);
        return done();
    }

    @Test
    void semantics53_leavingATaskGroupWaitsForEveryChild() {
        runTest(groupWaits());
    }

    /** TG {@code test_taskgroup_03}: a child cancelled explicitly is just cancelled; the group goes on. */
    @Async
    Coroutine<Void> childCancelledExplicitly() {
        Task<?>[] ts = new Task<?>[2];
        await(taskGroup(g -> {
            Task<Integer> t1 = g.createTask(valueAfter(1, 42));
            ts[0] = t1;
            await(sleep(0.15));
            t1.cancel();
            ts[1] = g.createTask(valueAfter(0.2, 11));
            return done();
        }));
        assertTrue(ts[0].cancelled());
        assertEquals(11, ts[1].result());
        assertEquals(0.35, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Test
    void semantics53_aChildCancelledByTheUserDoesNotFailTheGroup() {
        runTest(childCancelledExplicitly());
    }

    /** TG {@code test_taskgroup_24}: a child adds tasks to the group while the group waits for it. */
    @Async
    Coroutine<Void> childAddsTasks() {
        List<Task<Integer>> added = new ArrayList<>();
        await(taskGroup(g -> {
            g.createTask(root(g, added));
            return done();
        }));
        assertEquals(2, added.size());
        assertEquals(1, added.get(0).result());
        assertEquals(2, added.get(1).result());
        assertEquals(0.3, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Async
    Coroutine<Void> root(TaskGroup g, List<Task<Integer>> added) {
        await(sleep(0.1));
        added.add(g.createTask(valueAfter(0.1, 1)));
        added.add(g.createTask(valueAfter(0.2, 2)));
        return done();
    }

    @Test
    void semantics53_childrenCanAddTasksWhileTheGroupWaits() {
        runTest(childAddsTasks());
    }

    // ---- 54: the first child failure cancels siblings and body; failures come as one ExceptionGroup ----------

    /**
     * TG {@code test_cancel_children_on_child_error}. Python 3.12 and 3.13 print for it {@code str(eg)}:
     * {@code unhandled errors in a TaskGroup (3 sub-exceptions)} (the three foo1 fail in the same iteration).
     */
    @Async
    Coroutine<Void> cancelChildrenOnChildError() {
        int[] num = {0};
        boolean[] t2Cancel = {false};
        boolean[] runnerCancel = {false};
        Task<Void> runner = createTask(taskGroup(g -> {
            g.createTask(raiseAfter(0.1, new ArithmeticException("/ by zero")));
            g.createTask(raiseAfter(0.1, new ArithmeticException("/ by zero")));
            g.createTask(raiseAfter(0.1, new ArithmeticException("/ by zero")));
            g.createTask(foo2(num, t2Cancel));
            try {
                await(sleep(10));
            } catch (CancelledError e) {
                runnerCancel[0] = true;
                throw e;
            }
            num[0] += 10;
            return done();
        }));
        ExceptionGroup eg = null;
        try {
            await(runner);
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg, "the group must throw an ExceptionGroup");
        assertEquals(List.of(ArithmeticException.class, ArithmeticException.class, ArithmeticException.class),
                types(eg));
        assertEquals("unhandled errors in a TaskGroup (3 sub-exceptions)", eg.getMessage());
        assertEquals("unhandled errors in a TaskGroup", eg.groupMessage());
        assertEquals(0, num[0]);
        assertTrue(t2Cancel[0]);
        assertTrue(runnerCancel[0]);
        assertFalse(runner.cancelled());
        assertEquals(0.1, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Async
    Coroutine<Void> foo2(int[] num, boolean[] cancelledFlag) {
        try {
            await(sleep(5));
        } catch (CancelledError e) {
            cancelledFlag[0] = true;
            throw e;
        }
        num[0] += 1;
        return done();
    }

    @Test
    void semantics54_childFailureCancelsSiblingsAndBody() {
        runTest(cancelChildrenOnChildError());
    }

    /**
     * Python's {@code except*}: handle one kind, rethrow the rest, nesting kept. Python 3.12 prints for the same
     * group (ValueError a, KeyError b, and a nested group of KeyError and ValueError "inner"):
     * <pre>
     * ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('a'), KeyError('b'),
     *     ExceptionGroup('unhandled errors in a TaskGroup', [KeyError('inner'), ValueError('inner')])])
     * unhandled errors in a TaskGroup (3 sub-exceptions)
     * matched ExceptionGroup('...', [ValueError('a'), ExceptionGroup('...', [ValueError('inner')])])
     * rest ExceptionGroup('...', [KeyError('b'), ExceptionGroup('...', [KeyError('inner')])])
     * sub ExceptionGroup('...', [KeyError('b'), ExceptionGroup('...', [KeyError('inner')])])
     * none None
     * self True
     * </pre>
     */
    @Async
    Coroutine<Void> splitAndSubgroup() {
        IllegalArgumentException a = new IllegalArgumentException("a");
        IllegalStateException b = new IllegalStateException("b");
        IllegalStateException innerK = new IllegalStateException("inner");
        IllegalArgumentException innerV = new IllegalArgumentException("inner");
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                g.createTask(raiseAfter(0.1, a));
                g.createTask(raiseAfter(0.1, b));
                g.createTask(taskGroup(inner -> {
                    inner.createTask(raiseAfter(0.1, innerK));
                    inner.createTask(raiseAfter(0.1, innerV));
                    return done();
                }));
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals("unhandled errors in a TaskGroup (3 sub-exceptions)", eg.getMessage());
        assertSame(a, eg.exceptions().get(0));
        assertSame(b, eg.exceptions().get(1));
        ExceptionGroup nested = (ExceptionGroup) eg.exceptions().get(2);
        assertEquals(List.of(innerK, innerV), nested.exceptions());
        assertEquals("unhandled errors in a TaskGroup (2 sub-exceptions)", nested.getMessage());

        ExceptionGroup.Split s = eg.split(IllegalArgumentException.class);
        assertEquals(2, s.matched().exceptions().size());
        assertSame(a, s.matched().exceptions().get(0));
        assertEquals(List.of(innerV), ((ExceptionGroup) s.matched().exceptions().get(1)).exceptions());
        assertEquals(2, s.rest().exceptions().size());
        assertSame(b, s.rest().exceptions().get(0));
        assertEquals(List.of(innerK), ((ExceptionGroup) s.rest().exceptions().get(1)).exceptions());
        assertEquals("unhandled errors in a TaskGroup (2 sub-exceptions)", s.rest().getMessage());

        ExceptionGroup sub = eg.subgroup(e -> e instanceof IllegalStateException);
        assertNotNull(sub);
        assertSame(b, sub.exceptions().get(0));
        assertEquals(List.of(innerK), ((ExceptionGroup) sub.exceptions().get(1)).exceptions());
        assertNull(eg.subgroup(e -> e instanceof UnsupportedOperationException));
        assertSame(eg, eg.subgroup(e -> e instanceof ExceptionGroup));
        ExceptionGroup.Split all = eg.split(RuntimeException.class); // an ExceptionGroup is one too
        assertSame(eg, all.matched());
        assertNull(all.rest());

        // the user's pattern: handle the IllegalArgumentExceptions, rethrow the rest
        ExceptionGroup rethrown = null;
        try {
            try {
                throw eg;
            } catch (ExceptionGroup caught) {
                ExceptionGroup.Split parts = caught.split(IllegalArgumentException.class);
                assertNotNull(parts.matched());
                if (parts.rest() != null) {
                    throw parts.rest();
                }
            }
        } catch (ExceptionGroup rest) {
            rethrown = rest;
        }
        assertNotNull(rethrown);
        assertNull(rethrown.subgroup(IllegalArgumentException.class));
        return done();
    }

    @Test
    void semantics54_exceptionGroupSplitsAndSubgroupsAsPythons() {
        runTest(splitAndSubgroup());
    }

    /** TG {@code test_taskgroup_13}, {@code test_taskgroup_14}: nested groups, failures in the outer or inner one. */
    @Async
    Coroutine<Void> nestedGroupFailures() {
        IllegalArgumentException outerFail = new IllegalArgumentException("0.1");
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g1 -> {
                g1.createTask(raiseAfter(0.1, outerFail));
                await(taskGroup(g2 -> {
                    g2.createTask(raiseAfter(10, new IllegalArgumentException("10")));
                    return done();
                }));
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(outerFail), eg.exceptions(), "test_taskgroup_13: the inner group was only cancelled");

        IllegalArgumentException innerFail = new IllegalArgumentException("0.1");
        eg = null;
        try {
            await(taskGroup(g1 -> {
                g1.createTask(raiseAfter(10, new IllegalArgumentException("10")));
                await(taskGroup(g2 -> {
                    g2.createTask(raiseAfter(0.1, innerFail));
                    return done();
                }));
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(ExceptionGroup.class), types(eg), "test_taskgroup_14: the inner group, nested");
        assertEquals(List.of(innerFail), ((ExceptionGroup) eg.exceptions().get(0)).exceptions());
        assertEquals(0.2, getRunningLoop().time(), 1e-9);
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics54_nestedGroupsFailureInTheOuterOrTheInner() {
        runTest(nestedGroupFailures());
    }

    /** TG {@code test_taskgroup_25}: children keep spawning children until one fails; the failure stops them all. */
    @Async
    Coroutine<Void> hydras() {
        int[] nhydras = {0};
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                g.createTask(hydra(g, nhydras));
                g.createTask(hercules(nhydras));
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(ArithmeticException.class), types(eg));
        assertTrue(nhydras[0] >= 10, "hydras: " + nhydras[0]);
        return done();
    }

    @Async
    Coroutine<Void> hydra(TaskGroup g, int[] nhydras) {
        nhydras[0]++;
        await(sleep(0.01));
        g.createTask(hydra(g, nhydras));
        g.createTask(hydra(g, nhydras));
        return done();
    }

    @Async
    Coroutine<Void> hercules(int[] nhydras) {
        while (nhydras[0] < 10) {
            await(sleep(0.015));
        }
        throw new ArithmeticException("/ by zero");
    }

    @Test
    void semantics54_failureStopsChildrenThatSpawnChildren() {
        runTest(hydras());
    }

    // ---- 55: a failure in the body cancels the children and joins the group ----------------------------------

    /** TG {@code test_taskgroup_09}. */
    @Async
    Coroutine<Void> bodyFails() {
        Task<?>[] ts = new Task<?>[2];
        ArithmeticException boom = new ArithmeticException("/ by zero");
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                ts[0] = g.createTask(valueAfter(1, 42));
                ts[1] = g.createTask(valueAfter(2, 11));
                await(sleep(0.1));
                throw boom;
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg, "the body's failure must come as an ExceptionGroup");
        assertEquals(List.of(boom), eg.exceptions());
        assertEquals("unhandled errors in a TaskGroup (1 sub-exception)", eg.getMessage());
        assertTrue(ts[0].cancelled());
        assertTrue(ts[1].cancelled());
        assertEquals(0.1, getRunningLoop().time(), 1e-9);
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics55_bodyFailureCancelsTheChildrenAndJoinsTheGroup() {
        runTest(bodyFails());
    }

    /**
     * The body's failure comes after the children's (TG {@code test_taskgroup_20a} with ordinary exceptions).
     * Python 3.12 and 3.13 print {@code ExceptionGroup('unhandled errors in a TaskGroup',
     * [ZeroDivisionError('division by zero'), KeyError('body')])}.
     */
    @Async
    Coroutine<Void> bodyFailureLast() {
        ArithmeticException child = new ArithmeticException("/ by zero");
        IllegalStateException body = new IllegalStateException("body");
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                g.createTask(raiseAfter(0.1, child));
                await(nestedThrowing(body));
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(child, body), eg.exceptions());
        return done();
    }

    @Async
    Coroutine<Void> nestedThrowing(Throwable inFinally) {
        try {
            await(sleep(10));
        } finally {
            throwIt(inFinally);
        }
        return done();
    }

    private static void throwIt(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        throw (Error) t;
    }

    @Test
    void semantics55_bodyFailureComesAfterTheChildrens() {
        runTest(bodyFailureLast());
    }

    /** TG {@code test_taskgroup_10}: the body fails before it ever suspends. */
    @Async
    Coroutine<Void> bodyFailsAtOnce() {
        Task<?>[] ts = new Task<?>[2];
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                ts[0] = g.createTask(valueAfter(1, 42));
                ts[1] = g.createTask(valueAfter(2, 11));
                throw new ArithmeticException("/ by zero");
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(ArithmeticException.class), types(eg));
        assertTrue(ts[0].cancelled());
        assertTrue(ts[1].cancelled());
        assertEquals(0.0, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Test
    void semantics55_bodyFailingBeforeItSuspendsCancelsTheChildren() {
        runTest(bodyFailsAtOnce());
    }

    // ---- 56: a cancel from outside cancels the children and propagates as a plain cancellation ---------------

    /** TG {@code test_cancellation} and {@code test_taskgroup_07}; the message as Python: {@code CancelledError('stop') True}. */
    @Async
    Coroutine<Void> cancellationFromOutside() {
        int[] num = {0};
        Task<Void> r = createTask(taskGroup(g -> {
            for (int i = 0; i < 5; i++) {
                g.createTask(countCancel(num, 1));
            }
            return done();
        }));
        await(sleep(0.1));
        assertFalse(r.done());
        r.cancel("stop");
        CancelledError e = null;
        try {
            await(r);
        } catch (CancelledError expected) {
            e = expected;
        }
        assertNotNull(e, "the cancellation must propagate as a CancelledError");
        assertEquals("stop", e.getMessage());
        assertTrue(r.cancelled());
        assertEquals(5, num[0]);

        // test_taskgroup_07: the body is cancelled too
        num[0] = 0;
        Task<Void> r2 = createTask(taskGroup(g -> {
            for (int i = 0; i < 5; i++) {
                g.createTask(countCancel(num, 1));
            }
            try {
                await(sleep(10));
            } catch (CancelledError c) {
                num[0] += 10;
                throw c;
            }
            return done();
        }));
        await(sleep(0.1));
        assertFalse(r2.done());
        r2.cancel();
        boolean cancelled = false;
        try {
            await(r2);
        } catch (CancelledError expected) {
            cancelled = true;
        }
        assertTrue(cancelled);
        assertTrue(r2.cancelled());
        assertEquals(15, num[0]);
        assertEquals(0.2, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Async
    Coroutine<Void> countCancel(int[] num, int by) {
        try {
            await(sleep(5));
        } catch (CancelledError e) {
            num[0] += by;
            throw e;
        }
        return done();
    }

    @Test
    void semantics56_cancelFromOutsideCancelsChildrenAndPropagatesAsCancellation() {
        runTest(cancellationFromOutside());
    }

    /** TG {@code test_taskgroup_08}: children that fail while being cancelled make it an ExceptionGroup. */
    @Async
    Coroutine<Void> childrenFailOnCancel() {
        Task<Void> r = createTask(taskGroup(g -> {
            for (int i = 0; i < 5; i++) {
                g.createTask(nestedThrowing(new ArithmeticException("/ by zero")));
            }
            await(sleep(10));
            return done();
        }));
        await(sleep(0.1));
        assertFalse(r.done());
        r.cancel();
        ExceptionGroup eg = null;
        try {
            await(r);
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(5, eg.exceptions().size());
        for (Throwable t : eg.exceptions()) {
            assertInstanceOf(ArithmeticException.class, t);
        }
        return done();
    }

    @Test
    void semantics56_childrenFailingWhileCancelledGiveAnExceptionGroup() {
        runTest(childrenFailOnCancel());
    }

    /** TG {@code test_taskgroup_11}, {@code test_taskgroup_12}: the same through a nested group. */
    @Async
    Coroutine<Void> nestedChildrenFailOnCancel(boolean outerHasChild) {
        Task<Void> r = createTask(taskGroup(g1 -> {
            if (outerHasChild) {
                g1.createTask(sleep(10));
            }
            await(taskGroup(g2 -> {
                for (int i = 0; i < 5; i++) {
                    g2.createTask(nestedThrowing(new ArithmeticException("/ by zero")));
                }
                await(sleep(10));
                return done();
            }));
            return done();
        }));
        await(sleep(0.1));
        assertFalse(r.done());
        r.cancel();
        ExceptionGroup eg = null;
        try {
            await(r);
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(ExceptionGroup.class), types(eg));
        ExceptionGroup inner = (ExceptionGroup) eg.exceptions().get(0);
        assertEquals(5, inner.exceptions().size());
        for (Throwable t : inner.exceptions()) {
            assertInstanceOf(ArithmeticException.class, t);
        }
        return done();
    }

    @Test
    void semantics56_nestedChildrenFailingWhileCancelledGiveANestedGroup() {
        runTest(nestedChildrenFailOnCancel(false));
    }

    @Test
    void semantics56_nestedChildrenFailingWhileCancelledGiveANestedGroupWithASibling() {
        runTest(nestedChildrenFailOnCancel(true));
    }

    /** TG {@code test_taskgroup_15}, {@code test_taskgroup_16}: a child fails while the cancelled body cleans up. */
    @Async
    Coroutine<Void> failureDuringCancelCleanup(boolean throughATask) {
        Task<Void> r = throughATask ? createTask(awaitTask(cleanupGroup())) : createTask(cleanupGroup());
        await(sleep(0.1));
        assertFalse(r.done());
        r.cancel();
        ExceptionGroup eg = null;
        try {
            await(r);
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg, "the child's failure wins over the cancellation");
        assertEquals(List.of(ArithmeticException.class), types(eg));
        // the failure at 0.3 cancels the body's cleanup sleep too; Python 3.12 and 3.13 print
        // "ExceptionGroup('unhandled errors in a TaskGroup', [ZeroDivisionError('division by zero')]) 0.3"
        assertEquals(0.3, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Async
    Coroutine<Void> awaitTask(Coroutine<Void> c) {
        Task<Void> t = createTask(c);
        await(t);
        return done();
    }

    Coroutine<Void> cleanupGroup() {
        return taskGroup(g1 -> {
            g1.createTask(raiseAfter(0.3, new ArithmeticException("/ by zero")));
            try {
                await(sleep(10));
            } catch (CancelledError e) {
                await(sleep(0.5));
                throw e;
            }
            return done();
        });
    }

    @Test
    void semantics56_childFailingWhileTheCancelledBodyCleansUp() {
        runTest(failureDuringCancelCleanup(false));
    }

    @Test
    void semantics56_childFailingWhileTheCancelledBodyCleansUpInAnInnerTask() {
        runTest(failureDuringCancelCleanup(true));
    }

    /** TG {@code test_taskgroup_17}, {@code test_taskgroup_18}: a cancelled body with no children. */
    @Async
    Coroutine<Void> cancelledBodyNoChildren() {
        int[] num = {0};
        Task<Void> r = createTask(taskGroup(g -> {
            try {
                await(sleep(10));
            } catch (CancelledError e) {
                num[0] += 10;
                throw e;
            }
            return done();
        }));
        await(sleep(0.1));
        r.cancel();
        boolean cancelled = false;
        try {
            await(r);
        } catch (CancelledError e) {
            cancelled = true;
        }
        assertTrue(cancelled);
        assertEquals(10, num[0]);
        // 18: the body turns the cancellation into an exception ("not a good idea, but we have to support this")
        IllegalStateException mine = new IllegalStateException("MyExc");
        Task<Void> r2 = createTask(taskGroup(g -> {
            try {
                await(sleep(10));
            } catch (CancelledError e) {
                num[0] += 10;
                throw mine;
            }
            return done();
        }));
        await(sleep(0.1));
        r2.cancel();
        ExceptionGroup eg = null;
        try {
            await(r2);
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(mine), eg.exceptions());
        assertEquals(20, num[0]);
        return done();
    }

    @Test
    void semantics56_cancelledBodyWithoutChildren() {
        runTest(cancelledBodyNoChildren());
    }

    // ---- 57: after a failure, createTask on the group throws -------------------------------------------------

    /** TG {@code test_taskgroup_no_create_task_after_failure} (3.12's version, which awaits the refused coroutine). */
    @Async
    Coroutine<Void> noCreateTaskAfterFailure() {
        boolean[] refused = {false};
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                g.createTask(raiseAfter(0.001, new ArithmeticException("/ by zero")));
                g.createTask(coro2(g, refused));
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(ArithmeticException.class), types(eg));
        assertTrue(refused[0]);
        return done();
    }

    @Async
    Coroutine<Void> coro2(TaskGroup g, boolean[] refused) {
        try {
            await(sleep(1));
        } catch (CancelledError e) {
            Coroutine<Void> c1 = raiseAfter(0.001, new ArithmeticException("/ by zero"));
            IllegalStateException ise = assertThrows(IllegalStateException.class, () -> g.createTask(c1));
            assertTrue(ise.getMessage().contains("shutting down"), ise.getMessage());
            refused[0] = true;
            // we still await c1, as CPython does, to show it was not taken by the group
            boolean failed = false;
            try {
                await(c1);
            } catch (ArithmeticException expected) {
                failed = true;
            }
            assertTrue(failed);
        }
        return done();
    }

    @Test
    void semantics57_noCreateTaskAfterAFailure() {
        runTest(noCreateTaskAfterFailure());
    }

    /** The body, after a child failed (it sees the group's cancel), cannot add a task either. */
    @Async
    Coroutine<Void> bodyCannotCreateAfterFailure() {
        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                g.createTask(raiseAfter(0.1, new ArithmeticException("/ by zero")));
                try {
                    await(sleep(1));
                } catch (CancelledError e) {
                    Coroutine<Void> c = sleep(0);
                    assertThrows(IllegalStateException.class, () -> g.createTask(c));
                    await(c);
                    expect(1);
                    throw e;
                }
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        finish(2);
        return done();
    }

    @Test
    void semantics57_bodyCannotCreateTaskAfterAFailure() {
        runTest(bodyCannotCreateAfterFailure());
    }

    // ---- 58: cancelling() is back at its previous level ------------------------------------------------------

    /** TG {@code test_cancelling_level_preserved} (3.13). */
    @Async
    Coroutine<Void> cancellingLevelPreserved() {
        try {
            await(taskGroup(tg -> {
                tg.createTask(raiseAfter(0.0, new IllegalStateException("runtime")));
                return done();
            }));
            expectUnreached();
        } catch (ExceptionGroup eg) {
            assertNotNull(eg.subgroup(IllegalStateException.class));
        }
        assertEquals(0, currentTask().cancelling());
        await(sleep(0)); // and no cancellation is left pending
        return done();
    }

    @Test
    void semantics58_cancellingLevelPreservedAfterAGroupFailure() {
        runTest(cancellingLevelPreserved());
    }

    /** TG {@code test_nested_groups_both_cancelled} (3.13). */
    @Async
    Coroutine<Void> nestedGroupsBothCancelled() {
        boolean[] innerCaught = {false};
        boolean outerCaught = false;
        try {
            await(taskGroup(outerTg -> {
                try {
                    await(taskGroup(innerTg -> {
                        innerTg.createTask(raiseAfter(0, new IllegalStateException("runtime")));
                        outerTg.createTask(raiseAfter(0, new IllegalArgumentException("value")));
                        return done();
                    }));
                    expectUnreached();
                } catch (ExceptionGroup eg) {
                    ExceptionGroup.Split s = eg.split(IllegalStateException.class);
                    assertNotNull(s.matched());
                    if (s.rest() != null) {
                        throw s.rest();
                    }
                    innerCaught[0] = true;
                }
                assertEquals(1, currentTask().cancelling(), "the outer group's cancel is still pending");
                return done();
            }));
            expectUnreached();
        } catch (ExceptionGroup eg) {
            assertEquals(List.of(IllegalArgumentException.class), types(eg));
            outerCaught = true;
        }
        assertTrue(innerCaught[0]);
        assertTrue(outerCaught);
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics58_nestedGroupsBothCancelled() {
        runTest(nestedGroupsBothCancelled());
    }

    /** TG {@code test_error_and_cancel} (3.13): a foreign cancel survives the group's own, at level 1. */
    @Async
    Coroutine<Void> errorAndCancel() {
        Future<Void> event = getRunningLoop().createFuture();
        Task<Void> t = createTask(errorAndCancelInner(event));
        await(event);
        assertEquals(0, t.cancelling());
        t.cancel();
        assertEquals(1, t.cancelling());
        boolean cancelled = false;
        try {
            await(t);
        } catch (CancelledError e) {
            cancelled = true;
        }
        assertTrue(cancelled);
        assertTrue(t.cancelled());
        finish(3);
        return done();
    }

    @Async
    Coroutine<Void> errorAndCancelInner(Future<Void> event) {
        try {
            await(taskGroup(tg -> {
                tg.createTask(raiseError(event));
                await(sleep(1));
                expectUnreached(); // "Sleep in group should have been cancelled"
                return done();
            }));
        } catch (ExceptionGroup eg) {
            assertNotNull(eg.subgroup(IllegalStateException.class));
            expect(1);
            assertEquals(1, currentTask().cancelling());
        }
        assertEquals(1, currentTask().cancelling());
        try {
            await(sleep(1));
        } catch (CancelledError e) {
            expect(2);
            throw e;
        }
        expectUnreached(); // "Sleep after group should have been cancelled"
        return done();
    }

    @Async
    Coroutine<Void> raiseError(Future<Void> event) {
        event.setResult(null);
        await(sleep(0));
        throw new IllegalStateException("runtime");
    }

    @Test
    void semantics58_errorAndForeignCancel() {
        runTest(errorAndCancel());
    }

    /** TO {@code test_timeout_after_cancellation}: at level 1 already, a timeout still times out and keeps level 1. */
    @Async
    Coroutine<Void> timeoutKeepsLevel() {
        try {
            currentTask().cancel();
            await(sleep(1));
            expectUnreached();
        } catch (CancelledError e) {
            // swallowed without uncancel(): cancelling() stays 1
        } finally {
            assertEquals(1, currentTask().cancelling());
            boolean timedOut = false;
            try {
                await(timeout(0.0, t -> {
                    await(sleep(1));
                    return done();
                }));
            } catch (TimeoutException e) {
                timedOut = true;
            }
            assertTrue(timedOut);
            assertEquals(1, currentTask().cancelling());
        }
        currentTask().uncancel();
        // and at level 0, after an expired timeout, it is 0 again
        try {
            await(timeout(0.5, t -> {
                await(sleep(1));
                return done();
            }));
        } catch (TimeoutException e) {
            assertEquals(0, currentTask().cancelling());
        }
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics58_timeoutKeepsTheCancellingLevel() {
        runTest(timeoutKeepsLevel());
    }

    /**
     * Groups and timeouts together. Python 3.12 and 3.13 print: {@code tg in timeout: TimeoutError CancelledError()
     * True 0}; {@code timeout in tg body False 0}; {@code child 7 0}; {@code child timeout -> ExceptionGroup('unhandled
     * errors in a TaskGroup', [TimeoutError()])}.
     */
    @Async
    Coroutine<Void> groupsAndTimeouts() {
        EventLoop loop = getRunningLoop();
        Task<?>[] t = new Task<?>[1];
        boolean timedOut = false;
        try {
            await(timeout(1, cm -> taskGroup(g -> {
                t[0] = g.createTask(sleep(5));
                return done();
            })));
        } catch (TimeoutException e) {
            timedOut = true;
            assertInstanceOf(CancelledError.class, e.getCause());
        }
        assertTrue(timedOut, "a group inside an expired timeout ends with TimeoutException");
        assertTrue(t[0].cancelled());
        assertEquals(0, currentTask().cancelling());
        assertEquals(1.0, loop.time(), 1e-9);

        Integer seven = await(taskGroup(g -> {
            Task<Integer> c = g.createTask(valueAfter(2, 7));
            try {
                await(timeout(1, cm -> {
                    await(sleep(5));
                    return done();
                }));
                expectUnreached();
            } catch (TimeoutException e) {
                assertFalse(c.done(), "a timeout in the body does not touch the children");
                assertEquals(0, currentTask().cancelling());
            }
            return done(c);
        })).result();
        assertEquals(7, seven);
        assertEquals(0, currentTask().cancelling());

        ExceptionGroup eg = null;
        try {
            await(taskGroup(g -> {
                g.createTask(timeout(0.5, cm -> {
                    await(sleep(3));
                    return done();
                }));
                g.createTask(sleep(1));
                return done();
            }));
        } catch (ExceptionGroup expected) {
            eg = expected;
        }
        assertNotNull(eg);
        assertEquals(List.of(TimeoutException.class), types(eg));
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Test
    void semantics58_groupsAndTimeoutsTogetherKeepTheLevel() {
        runTest(groupsAndTimeouts());
    }

    // ---- 59: JVM-fatal errors are rethrown as is -------------------------------------------------------------

    @Async
    Coroutine<Void> fatalChild(StackOverflowError e) {
        await(sleep(0.1));
        throw e;
    }

    /**
     * A child's {@link StackOverflowError} escapes the loop (item 31) from {@code runUntilComplete}; run again,
     * the group sees the child's failure and rethrows the same error, not wrapped. CPython cannot express this
     * (its {@code _test_taskgroup_21} is disabled: "KeyboardInterrupt ... causes the event loop itself to crash").
     */
    @Test
    void semantics59_fatalErrorFromAChildEscapesTheLoopAndTheGroupRethrowsItAsIs() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reports = new ArrayList<>();
        own.setExceptionHandler((l, ctx) -> reports.add(ctx));
        StackOverflowError soe = new StackOverflowError("x");
        boolean[] bodyCancelled = {false};
        Task<?>[] child = new Task<?>[1];
        try {
            Task<String> main = own.createTask(taskGroup(tg -> {
                child[0] = tg.createTask(fatalChild(soe));
                try {
                    await(sleep(10));
                } catch (CancelledError e) {
                    bodyCancelled[0] = true;
                    throw e;
                }
                return done("unreached");
            }));
            StackOverflowError first = assertThrows(StackOverflowError.class, () -> own.runUntilComplete(main));
            assertSame(soe, first);
            assertTrue(child[0].done(), "the child task records the error");
            assertSame(soe, child[0].exception());
            assertFalse(main.done());
            StackOverflowError second = assertThrows(StackOverflowError.class, () -> own.runUntilComplete(main));
            assertSame(soe, second, "the group rethrows the child's error as is, not in an ExceptionGroup");
            assertTrue(bodyCancelled[0], "the group cancelled its body");
            assertTrue(main.done());
            assertSame(soe, main.exception());
        } finally {
            own.close();
        }
        assertEquals(List.of(), reports);
    }

    /** TG {@code test_taskgroup_20}: a fatal error in the body after a child's failure is rethrown as is. */
    @Test
    void semantics59_fatalErrorInTheBodyIsNotWrapped() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reports = new ArrayList<>();
        own.setExceptionHandler((l, ctx) -> reports.add(ctx));
        StackOverflowError soe = new StackOverflowError("x");
        try {
            Task<Void> main = own.createTask(taskGroup(g -> {
                g.createTask(raiseAfter(0.1, new ArithmeticException("/ by zero")));
                await(nestedThrowing(soe));
                return done();
            }));
            StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> own.runUntilComplete(main));
            assertSame(soe, thrown);
            assertTrue(main.done());
            assertSame(soe, main.exception());
        } finally {
            own.close();
        }
        assertEquals(List.of(), reports);
    }

    @Async
    Coroutine<Void> childLogging(List<String> log) {
        try {
            await(sleep(10));
        } finally {
            log.add("child finally");
        }
        return done();
    }

    @Async
    Coroutine<Void> callerOfFatalBody(StackOverflowError soe, List<String> log) {
        try {
            await(taskGroup(g -> {
                g.createTask(childLogging(log));
                await(sleep(1));
                throw soe;
            }));
        } finally {
            log.add("caller finally");
        }
        return done();
    }

    /**
     * A fatal error thrown by the body after it suspended goes through the group's end (the children are
     * cancelled and awaited) and through the callers' {@code finally}, then escapes the loop, as a
     * {@code KeyboardInterrupt} does in asyncio. Python 3.12 and 3.13, for the same program with
     * {@code raise KeyboardInterrupt("x")}, print {@code escaped KeyboardInterrupt('x') ['child finally',
     * 'caller finally'] True True}.
     */
    @Test
    void semantics59_fatalErrorInTheBodyGoesThroughTheGroupAndTheCallers() {
        EventLoop own = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reports = new ArrayList<>();
        own.setExceptionHandler((l, ctx) -> reports.add(ctx));
        StackOverflowError soe = new StackOverflowError("x");
        List<String> log = new ArrayList<>();
        try {
            Task<Void> main = own.createTask(callerOfFatalBody(soe, log));
            StackOverflowError thrown = assertThrows(StackOverflowError.class, () -> own.runUntilComplete(main));
            assertSame(soe, thrown);
            assertEquals(List.of("child finally", "caller finally"), log);
            assertTrue(main.done());
            assertSame(soe, main.exception());
            assertEquals(1.0, own.time(), 1e-9);
        } finally {
            own.close();
        }
        assertEquals(List.of(), reports, "no task left pending when the loop closed");
    }
}
