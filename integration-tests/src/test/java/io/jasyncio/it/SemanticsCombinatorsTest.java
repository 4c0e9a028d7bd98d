package io.jasyncio.it;

import static io.jasyncio.Asyncio.asCompleted;
import static io.jasyncio.Asyncio.asCompletedFutures;
import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.shield;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.Awaitable;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Future;
import io.jasyncio.ReturnWhen;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import io.jasyncio.WaitResult;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SEMANTICS.md items 32-46: {@code gather}, {@code wait}, {@code asCompleted}, {@code shield} and {@code waitFor},
 * written as a user would write them, plus the bad input these functions reject. Time is virtual: each test checks
 * the loop time where asyncio's tests do. The Python outputs quoted below were printed by CPython 3.11.7, 3.12.1 and
 * 3.13.0 on this machine (they agree unless said otherwise).
 *
 * <p>Note: {@code wait} is called as {@code Asyncio.wait(...)}, because inside a class the inherited
 * {@code Object.wait} hides a static import of that name.
 */
class SemanticsCombinatorsTest extends AsyncTestBase {

    // ---- helpers --------------------------------------------------------------------------------------------

    @Async
    Coroutine<String> after(double seconds, String value) {
        await(sleep(seconds));
        return done(value);
    }

    @Async
    Coroutine<String> failAfter(double seconds, RuntimeException failure) {
        await(sleep(seconds));
        throw failure;
    }

    private void assertTime(double expected) {
        assertEquals(expected, loop.time(), 1e-9, "loop time");
    }

    private static void assertNoOtherTask() {
        List<Task<?>> left = new ArrayList<>(Asyncio.allTasks());
        left.remove(currentTask());
        assertEquals(List.of(), left, "tasks created although the call threw");
    }

    // ---- 32: gather returns results in argument order -------------------------------------------------------

    /** T {@code test_success}: results in argument order, whatever order the children finish in. */
    @Test
    void semantics32_gatherReturnsResultsInArgumentOrder() {
        runTest(gatherInArgumentOrder());
    }

    @Async
    Coroutine<Void> gatherInArgumentOrder() {
        Future<String> future = getRunningLoop().createFuture();
        getRunningLoop().callLater(2, () -> future.setResult("future"));
        Task<String> task = createTask(after(1, "task"));
        // a coroutine (finishes last), a task (first) and a plain future (second)
        List<String> results = await(gather(after(3, "coroutine"), task, future));
        assertEquals(List.of("coroutine", "task", "future"), results);
        assertTime(3.0);
        return done();
    }

    // ---- 33: the first exception reaches the awaiter at once; the others keep running -----------------------

    /** T {@code test_one_exception}. */
    @Test
    void semantics33_firstChildExceptionReachesAwaiterAtOnceOthersKeepRunning() {
        runTest(gatherOneException());
    }

    @Async
    Coroutine<Void> gatherOneException() {
        IllegalStateException failure = new IllegalStateException("b failed");
        Task<String> a = createTask(after(1, "a"));
        Task<String> b = createTask(failAfter(2, failure));
        Task<String> c = createTask(after(3, "c"));
        Future<List<String>> g = gather(a, b, c);
        try {
            await(g);
            expectUnreached();
        } catch (IllegalStateException e) {
            assertSame(failure, e);
        }
        assertTime(2.0); // at once: not when c is done
        assertTrue(g.done());
        assertFalse(g.cancelled());
        assertSame(failure, g.exception());
        assertFalse(c.done(), "the other children keep running");
        assertEquals("c", await(c));
        assertFalse(c.cancelled());
        assertTime(3.0);
        return done();
    }

    // ---- 34: returnExceptions ---------------------------------------------------------------------------------

    /**
     * T {@code test_return_exceptions}. Python, with a ValueError child and a child cancelled at 0.1 s:
     * {@code await gather(a, c, d, return_exceptions=True)} gave {@code ['a', 'ValueError', 'CancelledError']}.
     */
    @Test
    void semantics34_returnExceptionsPutsExceptionsAndCancellationsInTheResults() {
        runTest(gatherReturnExceptions());
    }

    @Async
    Coroutine<Void> gatherReturnExceptions() {
        IllegalStateException failure = new IllegalStateException("boom");
        Task<String> a = createTask(after(1, "a"));
        Task<String> c = createTask(failAfter(0.2, failure));
        Task<String> d = createTask(after(5, "d"));
        getRunningLoop().callLater(0.1, () -> d.cancel("stop d"));
        List<Object> results = await(Asyncio.<Object>gather(List.of(a, c, d), true));
        assertEquals(3, results.size());
        assertEquals("a", results.get(0));
        assertSame(failure, results.get(1));
        CancelledError cancelled = assertInstanceOf(CancelledError.class, results.get(2));
        assertEquals("stop d", cancelled.getMessage());
        assertTime(1.0); // after every child, not at the first exception
        return done();
    }

    // ---- 35: a cancelled child --------------------------------------------------------------------------------

    /**
     * T {@code test_one_cancellation}. Python (child a of gather(a, b) cancelled at 0.5 s):
     * {@code 35 awaiter got CancelledError; g.cancelled() False g.done() True b.done() False},
     * {@code g.exception()} is a CancelledError.
     */
    @Test
    void semantics35_cancelledChildThrowsCancellationButGatherIsNotCancelled() {
        runTest(gatherOneCancellation());
    }

    @Async
    Coroutine<Void> gatherOneCancellation() {
        Task<String> a = createTask(after(1, "a"));
        Task<String> b = createTask(after(2, "b"));
        Future<List<String>> g = gather(a, b);
        getRunningLoop().callLater(0.5, () -> a.cancel());
        try {
            await(g);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
        }
        assertTime(0.5);
        assertTrue(g.done());
        assertFalse(g.cancelled(), "the gather future itself is not cancelled");
        assertInstanceOf(CancelledError.class, g.exception());
        assertEquals(0, currentTask().cancelling(), "the awaiting task was not cancelled");
        assertFalse(b.done(), "the other child keeps running");
        assertEquals("b", await(b));
        finish(2);
        return done();
    }

    // ---- 36: cancelling the gather, or its awaiter, cancels every child ----------------------------------------

    private int proof;
    private Future<List<Void>> gatherer;

    @Async
    Coroutine<Void> waitsOn(Future<Void> waiter) {
        await(waiter);
        proof += 1;
        return done();
    }

    @Async
    Coroutine<Void> gathersTwo(Task<Void> child1, Task<Void> child2) {
        gatherer = gather(child1, child2);
        await(gatherer);
        proof += 100;
        return done();
    }

    /** T {@code test_cancellation_broadcast}: cancelling outer() cancels all children. */
    @Test
    void semantics36_cancellingTheAwaitingTaskCancelsEveryChild() {
        runTest(cancellationBroadcast());
    }

    @Async
    Coroutine<Void> cancellationBroadcast() {
        Future<Void> waiter = getRunningLoop().createFuture();
        Task<Void> child1 = createTask(waitsOn(waiter));
        Task<Void> child2 = createTask(waitsOn(waiter));
        Task<Void> f = createTask(gathersTwo(child1, child2));
        await(sleep(0));
        assertTrue(f.cancel());
        try {
            await(f);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
        }
        assertTrue(f.cancelled());
        assertFalse(gatherer.cancel(), "the gather is done already");
        assertTrue(waiter.cancelled());
        assertTrue(child1.cancelled());
        assertTrue(child2.cancelled());
        await(sleep(0));
        assertEquals(0, proof);
        finish(2);
        return done();
    }

    /**
     * Cancelling the gather future itself. Python: {@code g.cancel()} returned True, {@code await g} raised
     * CancelledError, both children were cancelled. (Python then reports {@code g.cancelled()} as False: the gather
     * ends with a CancelledError exception rather than cancelled. That detail is not asserted here.)
     */
    @Test
    void semantics36_cancellingTheGatherFutureCancelsEveryChild() {
        runTest(cancelGatherFuture());
    }

    @Async
    Coroutine<String> cleansUp(double seconds, String value, List<String> log) {
        try {
            await(sleep(seconds));
            return done(value);
        } catch (CancelledError e) {
            log.add(value + " cancelled");
            throw e;
        }
    }

    @Async
    Coroutine<Void> cancelGatherFuture() {
        List<String> log = new ArrayList<>();
        Task<String> a = createTask(after(1, "a"));
        Future<List<String>> g = gather(a, cleansUp(2, "b", log));
        await(sleep(0.5));
        assertTrue(g.cancel("stop all"));
        try {
            await(g);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
            assertEquals("stop all", e.getMessage());
        }
        assertTime(0.5);
        assertTrue(a.cancelled());
        assertEquals(List.of("b cancelled"), log, "the child made from a coroutine was cancelled too");
        assertEquals(0, currentTask().cancelling());
        finish(2);
        return done();
    }

    /**
     * With {@code returnExceptions} too, cancelling the gather throws the cancellation (bpo-32684). Python:
     * {@code 36 re: CancelledError True True}.
     */
    @Test
    void semantics36_cancellingTheGatherWithReturnExceptionsStillThrowsTheCancellation() {
        runTest(cancelGatherReturnExceptions());
    }

    @Async
    Coroutine<Void> cancelGatherReturnExceptions() {
        Task<String> a = createTask(after(1, "a"));
        Task<String> b = createTask(after(2, "b"));
        Future<List<Object>> g = Asyncio.<Object>gather(List.of(a, b), true);
        await(sleep(0.5));
        assertTrue(g.cancel());
        try {
            await(g);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
        }
        assertTrue(a.cancelled());
        assertTrue(b.cancelled());
        finish(2);
        return done();
    }

    // ---- 37: duplicates, and gather() of nothing ---------------------------------------------------------------

    private int runs;

    @Async
    Coroutine<String> counted(String value) {
        runs++;
        await(sleep(0));
        return done(value);
    }

    /** T {@code test_duplicate_coroutines}: {@code gather(c, c, coro('def'), c)} gives {@code ['abc', 'abc', 'def', 'abc']}. */
    @Test
    void semantics37_sameCoroutineTwiceRunsOnceAndGatherOfNothingIsEmpty() {
        runTest(gatherDuplicates());
    }

    @Async
    Coroutine<Void> gatherDuplicates() {
        Coroutine<String> c = counted("abc");
        List<String> results = await(gather(c, c, counted("def"), c));
        assertEquals(List.of("abc", "abc", "def", "abc"), results);
        assertEquals(2, runs, "c ran once, the other coroutine once");

        Future<List<Object>> empty = gather();
        assertTrue(empty.done(), "gather() of nothing is done at once");
        assertEquals(List.of(), empty.result());
        assertEquals(List.of(), await(gather(List.<Awaitable<String>>of())));
        return done();
    }

    // ---- 38: wait --------------------------------------------------------------------------------------------

    /** T {@code test_wait_first_completed}. Python: {@code done == {a}, pending == {b}} after 1.0 s. */
    @Test
    void semantics38_waitFirstCompleted() {
        runTest(waitFirstCompleted());
    }

    @Async
    Coroutine<Void> waitFirstCompleted() {
        Task<String> a = createTask(after(1, "a"));
        Task<String> b = createTask(after(2, "b"));
        WaitResult<String> r = await(Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED));
        assertEquals(Set.of(a), r.done());
        assertEquals(Set.of(b), r.pending());
        assertTime(1.0);
        assertFalse(b.cancelled());
        assertEquals("b", await(b));
        return done();
    }

    /**
     * A future already done: {@code wait(FIRST_COMPLETED)} returns without waiting for the others. Python:
     * {@code done == {f}, pending == {b}} after 0.00008 s.
     */
    @Test
    void semantics38_waitFirstCompletedWithAFutureAlreadyDone() {
        runTest(waitAlreadyDone());
    }

    @Async
    Coroutine<Void> waitAlreadyDone() {
        Future<String> f = getRunningLoop().createFuture();
        f.setResult("ready");
        Task<String> b = createTask(after(1, "b"));
        WaitResult<String> r = await(Asyncio.wait(List.of(b, f), ReturnWhen.FIRST_COMPLETED));
        assertEquals(Set.of(f), r.done());
        assertEquals(Set.of(b), r.pending());
        assertTime(0.0);
        assertEquals("b", await(b));
        return done();
    }

    /** T {@code test_wait_first_exception}. Python: {@code done == {a, c}, pending == {d}} after 2.0 s, d not cancelled. */
    @Test
    void semantics38_waitFirstExceptionDoesNotThrowIt() {
        runTest(waitFirstException());
    }

    @Async
    Coroutine<Void> waitFirstException() {
        IllegalStateException failure = new IllegalStateException("c failed");
        Task<String> a = createTask(after(1, "a"));
        Task<String> c = createTask(failAfter(2, failure));
        Task<String> d = createTask(after(3, "d"));
        WaitResult<String> r = await(Asyncio.wait(List.of(a, c, d), ReturnWhen.FIRST_EXCEPTION));
        assertTime(2.0);
        assertEquals(List.of(a, c), new ArrayList<>(r.done()), "in the order given");
        assertEquals(Set.of(d), r.pending());
        assertSame(failure, c.exception());
        assertFalse(d.cancelled());
        assertEquals("d", await(d));
        return done();
    }

    /** T {@code test_wait_with_timeout}. Python ({@code timeout=2}): done == {a}, pending == {d}, d neither done nor cancelled. */
    @Test
    void semantics38_waitTimeoutReturnsPendingAndCancelsNothing() {
        runTest(waitWithTimeout());
    }

    @Async
    Coroutine<Void> waitWithTimeout() {
        Task<String> a = createTask(after(1, "a"));
        Task<String> d = createTask(after(3, "d"));
        WaitResult<String> r = await(Asyncio.wait(List.of(a, d), ReturnWhen.ALL_COMPLETED, 2));
        assertTime(2.0);
        assertEquals(Set.of(a), r.done());
        assertEquals(Set.of(d), r.pending());
        assertFalse(d.done());
        assertEquals("d", await(d));
        assertTime(3.0);
        return done();
    }

    /** {@code wait(ALL_COMPLETED)} with a failing child: returns both as done, throws nothing. */
    @Test
    void semantics38_waitAllCompletedNeverThrowsAChildException() {
        runTest(waitAllCompletedWithFailure());
    }

    @Async
    Coroutine<Void> waitAllCompletedWithFailure() {
        IllegalStateException failure = new IllegalStateException("x");
        Task<String> a = createTask(failAfter(1, failure));
        Task<String> b = createTask(after(2, "b"));
        WaitResult<String> r = await(Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED));
        assertTime(2.0);
        assertEquals(Set.of(a, b), r.done());
        assertEquals(Set.of(), r.pending());
        assertSame(failure, a.exception());
        return done();
    }

    /** A future given twice counts once. Python: {@code wait([a, a])} gave 1 done, 0 pending. */
    @Test
    void semantics38_waitCountsAFutureGivenTwiceOnce() {
        runTest(waitDuplicate());
    }

    @Async
    Coroutine<Void> waitDuplicate() {
        Task<String> a = createTask(after(1, "a"));
        WaitResult<String> r = await(Asyncio.wait(List.of(a, a), ReturnWhen.ALL_COMPLETED));
        assertEquals(List.of(a), new ArrayList<>(r.done()));
        assertEquals(Set.of(), r.pending());
        assertTime(1.0);
        return done();
    }

    // ---- 39: wait rejects an empty collection -------------------------------------------------------------

    /**
     * T {@code test_wait_invalid_args}. Python: {@code await asyncio.wait(set())} raises
     * {@code ValueError: Set of Tasks/Futures is empty.}; jasyncio throws at the call.
     */
    @Test
    void semantics39_waitRejectsAnEmptyCollection() {
        runTest(waitEmpty());
    }

    @Async
    Coroutine<Void> waitEmpty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Asyncio.wait(List.<Future<String>>of(), ReturnWhen.ALL_COMPLETED));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Asyncio.wait(Set.<Future<String>>of(), ReturnWhen.FIRST_COMPLETED, 1.0));
        return done();
    }

    // ---- 40: cancelling the task inside wait cancels nothing else ---------------------------------------------

    @Async
    Coroutine<Void> waitsForInner(Future<Void> waiter) {
        WaitResult<Void> r = await(Asyncio.wait(List.of(createTask(waitsOn(waiter))), ReturnWhen.ALL_COMPLETED));
        assertEquals(1, r.done().size());
        proof += 100;
        return done();
    }

    /** T {@code test_yield_wait_does_not_shield_cancel}: cancelling outer() makes wait() return early, leaves inner() running. */
    @Test
    void semantics40_cancellingTheTaskInsideWaitDoesNotCancelTheAwaitedTasks() {
        runTest(waitDoesNotShieldCancel());
    }

    @Async
    Coroutine<Void> waitDoesNotShieldCancel() {
        Future<Void> waiter = getRunningLoop().createFuture();
        Task<Void> f = createTask(waitsForInner(waiter));
        await(sleep(0));
        assertTrue(f.cancel());
        try {
            await(f);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
        }
        assertFalse(waiter.cancelled(), "the inner task was not cancelled, so neither is what it awaits");
        waiter.setResult(null);
        await(sleep(0));
        await(sleep(0));
        assertEquals(1, proof);
        finish(2);
        return done();
    }

    // ---- 41: asCompleted ----------------------------------------------------------------------------------

    /**
     * T {@code test_as_completed}. Python, tasks sleeping 0.3, 0.1, 0.2 s:
     * {@code for f in as_completed(ts): await f} gave {@code a, b, c} at 0.3 s.
     */
    @Test
    void semantics41_asCompletedYieldsInCompletionOrder() {
        runTest(asCompletedOrder());
    }

    @Async
    Coroutine<Void> asCompletedOrder() {
        List<Awaitable<String>> aws = List.of(createTask(after(0.3, "c")), after(0.1, "a"), createTask(after(0.2, "b")));
        List<String> results = new ArrayList<>();
        for (Awaitable<String> next : asCompleted(aws)) {
            results.add(await(next));
        }
        assertEquals(List.of("a", "b", "c"), results);
        assertTime(0.3);
        return done();
    }

    /**
     * T {@code test_as_completed_with_timeout}. Python, tasks of 0.1, 5 and 6 s under {@code timeout=1}, catching
     * each TimeoutError: {@code ['a', ('timeout', t0+1.0), ('timeout', t0+1.0)] [True, False, False]}: every await
     * left throws, at 1 s, and nothing is cancelled.
     */
    @Test
    void semantics41_asCompletedThrowsTimeoutAndCancelsNothing() {
        runTest(asCompletedTimeout());
    }

    @Async
    Coroutine<Void> asCompletedTimeout() {
        Task<String> a = createTask(after(0.1, "a"));
        Task<String> slow = createTask(after(5, "slow"));
        Task<String> slower = createTask(after(6, "slower"));
        List<String> results = new ArrayList<>();
        for (Awaitable<String> next : asCompleted(List.of(a, slow, slower), 1)) {
            try {
                results.add(await(next));
            } catch (TimeoutException e) {
                results.add("timeout at " + loop.time());
            }
        }
        assertEquals(List.of("a", "timeout at 1.0", "timeout at 1.0"), results);
        assertFalse(slow.done(), "a timeout of asCompleted cancels nothing");
        assertFalse(slower.done());
        assertEquals("slow", await(slow));
        assertEquals("slower", await(slower));
        assertTime(6.0);
        return done();
    }

    /**
     * The task awaiting one of asCompleted's awaitables is cancelled: the result it was waiting for goes to the
     * next awaitable, and nothing is cancelled. Python 3.12: {@code after cancel x [False, False]}.
     */
    @Test
    void semantics41_asCompletedAwaiterCancelledLosesNoResult() {
        runTest(asCompletedAwaiterCancelled());
    }

    @Async
    Coroutine<Void> asCompletedAwaiterCancelled() {
        Task<String> x = createTask(after(1, "x"));
        Task<String> y = createTask(after(2, "y"));
        java.util.Iterator<Awaitable<String>> it = asCompleted(List.of(x, y)).iterator();
        Awaitable<String> first = it.next();
        Task<String> w = createTask((Coroutine<String>) first);
        await(sleep(0.5));
        w.cancel();
        try {
            await(w);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
        }
        assertEquals("x", await(it.next()));
        assertTime(1.0);
        assertFalse(x.cancelled());
        assertFalse(y.cancelled());
        assertFalse(it.hasNext());
        assertEquals("y", await(y));
        finish(2);
        return done();
    }

    /**
     * SEMANTICS.md says asCompleted "can hand back the original task objects": Python 3.13's
     * {@code async for t in as_completed(ts)} does ({@code [('a', True, True), ('b', True, False)]}: each t is one
     * of ts). jasyncio's {@code asCompleted} has only the plain-iteration form, which in every Python version hands
     * out new awaitables (3.11-3.13: {@code ('a', 'coroutine', False)}: a coroutine, not in ts). This test checks
     * what jasyncio does: each awaitable handed out is a new coroutine, not one of the tasks, and gives that
     * task's result; there is no way to get the original task from it.
     */
    @Test
    void semantics41_asCompletedHandsOutNewAwaitablesNotTheOriginalTasks() {
        runTest(asCompletedObjects());
    }

    @Async
    Coroutine<Void> asCompletedObjects() {
        Task<String> b = createTask(after(0.2, "b"));
        Task<String> a = createTask(after(0.1, "a"));
        List<Task<String>> tasks = List.of(b, a);
        List<String> results = new ArrayList<>();
        for (Awaitable<String> next : asCompleted(tasks)) {
            assertInstanceOf(Coroutine.class, next);
            assertFalse(tasks.stream().anyMatch(t -> t == (Object) next), "a new awaitable, not a task");
            results.add(await(next));
        }
        assertEquals(List.of("a", "b"), results);
        return done();
    }

    /**
     * T {@code test_as_completed} (3.13, {@code async for}): the original tasks come back, done, in completion order.
     * Python 3.13: {@code async for t in asyncio.as_completed([b, a]): print(t is a or t is b, t.result())}
     * printed {@code True a} then {@code True b}.
     */
    @Test
    void semantics41_asCompletedFuturesHandsBackTheOriginalTasks() {
        runTest(asCompletedOriginals());
    }

    @Async
    Coroutine<Void> asCompletedOriginals() {
        Task<String> b = createTask(after(0.2, "b"));
        Task<String> a = createTask(after(0.1, "a"));
        List<Future<String>> seen = new ArrayList<>();
        for (Coroutine<Future<String>> next : asCompletedFutures(List.of(b, a))) {
            Future<String> f = await(next);
            assertTrue(f.done());
            seen.add(f);
        }
        assertSame(a, seen.get(0));
        assertSame(b, seen.get(1));
        assertEquals(0.2, getRunningLoop().time(), 1e-9);
        return done();
    }

    // ---- 42: shield ----------------------------------------------------------------------------------------

    @Async
    Coroutine<Void> awaitsShielded(Future<Void> waiter) {
        await(shield(waitsOn(waiter)));
        proof += 100;
        return done();
    }

    /** T {@code test_shield_effect}: cancelling outer() does not affect inner(). */
    @Test
    void semantics42_shieldCancellingTheOuterAwaitLetsTheInnerWorkFinish() {
        runTest(shieldEffect());
    }

    @Async
    Coroutine<Void> shieldEffect() {
        Future<Void> waiter = getRunningLoop().createFuture();
        Task<Void> f = createTask(awaitsShielded(waiter));
        await(sleep(0));
        assertTrue(f.cancel());
        try {
            await(f);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
        }
        assertTrue(f.cancelled());
        assertFalse(waiter.cancelled());
        waiter.setResult(null);
        await(sleep(0));
        await(sleep(0));
        assertEquals(1, proof, "the inner work ran to its end, the outer did not go on");
        finish(2);
        return done();
    }

    /**
     * Python (shield of a task of 2 s, the awaiting task cancelled at 1 s):
     * {@code [('outer cancelled', 1.0), 'inner done'] v}.
     */
    @Test
    void semantics42_shieldOuterAwaitThrowsAtOnceInnerTaskCompletesLater() {
        runTest(shieldTimes());
    }

    @Async
    Coroutine<String> innerWork() {
        await(sleep(2));
        expect(2);
        return done("v");
    }

    @Async
    Coroutine<String> outerAwait(Task<String> inner) {
        return done(await(shield(inner)));
    }

    @Async
    Coroutine<Void> shieldTimes() {
        Task<String> inner = createTask(innerWork());
        Task<String> outer = createTask(outerAwait(inner));
        await(sleep(1));
        outer.cancel();
        try {
            await(outer);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
            assertTime(1.0);
        }
        assertFalse(inner.done());
        assertEquals("v", await(inner));
        assertTime(2.0);
        finish(3);
        return done();
    }

    /** T {@code test_shield_cancel_inner}, {@code test_shield_exception}, {@code test_shield_cancel_outer}. */
    @Test
    void semantics42_shieldPassesOnInnerCancellationAndFailure() {
        runTest(shieldInnerOutcomes());
    }

    @Async
    Coroutine<Void> shieldInnerOutcomes() {
        // the inner future is cancelled: the shield is cancelled
        Future<String> inner = getRunningLoop().createFuture();
        Future<String> outer = shield(inner);
        await(sleep(0));
        inner.cancel();
        await(sleep(0));
        assertTrue(outer.cancelled());

        // the inner future fails: the shield fails with the same exception, the awaiter gets it
        Future<String> inner2 = getRunningLoop().createFuture();
        Future<String> outer2 = shield(inner2);
        IllegalStateException failure = new IllegalStateException("inner failed");
        getRunningLoop().callLater(1, () -> inner2.setException(failure));
        try {
            await(outer2);
            expectUnreached();
        } catch (IllegalStateException e) {
            assertSame(failure, e);
        }
        assertSame(failure, outer2.exception());

        // a failing coroutine under shield: Python 'await asyncio.shield(bad())' raised the ValueError
        IllegalStateException failure3 = new IllegalStateException("x");
        try {
            await(shield(failAfter(1, failure3)));
            expectUnreached();
        } catch (IllegalStateException e) {
            assertSame(failure3, e);
        }

        // the shield future is cancelled: the inner one is not
        Future<String> inner4 = getRunningLoop().createFuture();
        Future<String> outer4 = shield(inner4);
        await(sleep(0));
        outer4.cancel();
        await(sleep(0));
        assertTrue(outer4.cancelled());
        assertFalse(inner4.done());
        inner4.setResult("late");
        await(sleep(0));
        assertEquals("late", inner4.result());
        return done();
    }

    // ---- 43: waitFor waits for the cancelled work's cleanup -------------------------------------------------

    @Async
    Coroutine<String> slowWithCleanup() {
        try {
            await(sleep(10));
            return done("never");
        } finally {
            expect(1);
            assertTime(1.0);
            await(sleep(1)); // cleanup that itself awaits
            expect(2);
            assertTime(2.0);
        }
    }

    /**
     * WF {@code test_wait_for_waits_for_task_cancellation}. Python (the task's cleanup sleeps 1 s, waitFor 1 s):
     * {@code 43 ['cleanup'] 2.0 CancelledError}: the TimeoutError came after the cleanup, at 2 s, from the
     * CancelledError.
     */
    @Test
    void semantics43_waitForWaitsForCancelledTaskCleanup() {
        runTest(waitForWaitsForTaskCleanup());
    }

    @Async
    Coroutine<Void> waitForWaitsForTaskCleanup() {
        Task<String> inner = createTask(slowWithCleanup());
        try {
            await(waitFor(inner, 1));
            expectUnreached();
        } catch (TimeoutException e) {
            expect(3);
            assertInstanceOf(CancelledError.class, e.getCause());
        }
        assertTime(2.0);
        assertTrue(inner.cancelled());
        assertEquals(0, currentTask().cancelling(), "the timeout's own cancellation was withdrawn");
        finish(4);
        return done();
    }

    /** The same with a coroutine, which waitFor runs inline in the awaiting task. */
    @Test
    void semantics43_waitForWaitsForCancelledCoroutineCleanup() {
        runTest(waitForWaitsForCoroutineCleanup());
    }

    @Async
    Coroutine<Void> waitForWaitsForCoroutineCleanup() {
        try {
            await(waitFor(slowWithCleanup(), 1));
            expectUnreached();
        } catch (TimeoutException e) {
            expect(3);
            assertInstanceOf(CancelledError.class, e.getCause());
        }
        assertTime(2.0);
        assertEquals(0, currentTask().cancelling());
        // the task is not cancelled afterwards: it can go on awaiting
        await(sleep(1));
        assertTime(3.0);
        finish(4);
        return done();
    }

    /** A plain future under waitFor is cancelled on timeout. Python: {@code 43 future True CancelledError}. */
    @Test
    void semantics43_waitForCancelsAPendingFutureOnTimeout() {
        runTest(waitForFutureTimeout());
    }

    @Async
    Coroutine<Void> waitForFutureTimeout() {
        Future<String> f = getRunningLoop().createFuture();
        try {
            await(waitFor(f, 1));
            expectUnreached();
        } catch (TimeoutException e) {
            expect(1);
            assertInstanceOf(CancelledError.class, e.getCause());
        }
        assertTrue(f.cancelled());
        assertTime(1.0);
        finish(2);
        return done();
    }

    @Async
    Coroutine<String> cleanupFails() {
        try {
            await(sleep(10));
            return done("never");
        } catch (CancelledError e) {
            await(sleep(0.1));
            throw new IllegalStateException("cleanup failed", e);
        }
    }

    /** If the cleanup itself fails, that failure comes out, not a timeout. Python: {@code cleanup raises KeyError}. */
    @Test
    void semantics43_waitForPassesOnAFailureOfTheCleanup() {
        runTest(waitForCleanupFails());
    }

    @Async
    Coroutine<Void> waitForCleanupFails() {
        try {
            await(waitFor(cleanupFails(), 1));
            expectUnreached();
        } catch (IllegalStateException e) {
            expect(1);
            assertEquals("cleanup failed", e.getMessage());
        }
        assertTime(1.1);
        assertEquals(0, currentTask().cancelling(), "the timeout's cancellation was withdrawn");
        await(sleep(1));
        finish(2);
        return done();
    }

    // ---- 44: waitFor with a timeout of zero or less ---------------------------------------------------------

    private boolean started;

    @Async
    Coroutine<Integer> marksStarted() {
        started = true;
        return done(1);
    }

    /**
     * WF {@code test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started}. Python 3.12:
     * {@code 44 0 CancelledError CancelledError []} and {@code 44 -1 CancelledError CancelledError []}: TimeoutError
     * from a CancelledError, body not run.
     */
    @Test
    void semantics44_waitForZeroOrNegativeNeverStartsTheCoroutine() {
        runTest(waitForZero());
    }

    @Async
    Coroutine<Void> waitForZero() {
        for (double timeout : new double[] {0, -1}) {
            try {
                await(waitFor(marksStarted(), timeout));
                expectUnreached();
            } catch (TimeoutException e) {
                assertInstanceOf(CancelledError.class, e.getCause());
            }
            assertFalse(started, "the coroutine body must not run (timeout " + timeout + ")");
        }
        assertTime(0.0);
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    /**
     * WF {@code test_wait_for_timeout_less_then_0_or_0_future_done}. Python: {@code 44 done fut r}; a pending
     * future under {@code wait_for(f, 0)}: TimeoutError and {@code f.cancelled()} True.
     */
    @Test
    void semantics44_waitForZeroOnADoneFutureReturnsItsResult() {
        runTest(waitForZeroFuture());
    }

    @Async
    Coroutine<Void> waitForZeroFuture() {
        Future<String> f = getRunningLoop().createFuture();
        f.setResult("r");
        assertEquals("r", await(waitFor(f, 0)));
        assertEquals("r", await(waitFor(f, -5)));

        Future<String> pending = getRunningLoop().createFuture();
        try {
            await(waitFor(pending, 0));
            expectUnreached();
        } catch (TimeoutException e) {
            assertInstanceOf(CancelledError.class, e.getCause());
        }
        assertTrue(pending.cancelled());
        assertTime(0.0);

        // a started task that suppresses the cancellation: its value. Python: 44 zero on suppressing task 42 False
        Task<Integer> t = createTask(return42());
        await(sleep(0));
        assertEquals(42, await(waitFor(t, 0)));
        assertFalse(t.cancelled());
        assertTime(0.0);
        return done();
    }

    // ---- 45: no timeout; a suppressed cancellation --------------------------------------------------------

    /** WF {@code test_none_timeout}. Python: {@code wait_for(asyncio.sleep(100, 'x'), None)} returned 'x' after 100 s. */
    @Test
    void semantics45_infiniteTimeoutBehavesLikeAPlainAwait() {
        runTest(waitForInfinite());
    }

    @Async
    Coroutine<Void> waitForInfinite() {
        assertEquals("x", await(waitFor(after(100, "x"), Double.POSITIVE_INFINITY)));
        assertTime(100.0);
        Task<String> t = createTask(after(1, "t"));
        assertEquals("t", await(waitFor(t, Double.POSITIVE_INFINITY)));
        assertTime(101.0);
        IllegalStateException failure = new IllegalStateException("f");
        try {
            await(waitFor(failAfter(1, failure), Double.POSITIVE_INFINITY));
            expectUnreached();
        } catch (IllegalStateException e) {
            assertSame(failure, e, "the exception itself, not wrapped");
        }
        return done();
    }

    /**
     * A timeout that does not expire leaves no cancellation behind. Python: {@code wait_for(s(0.5, 'x'), 1)} gave
     * x, then {@code sleep(1)} ran to 1.5 s.
     */
    @Test
    void semantics45_waitForThatDoesNotExpireLeavesNoCancellationBehind() {
        runTest(waitForNotExpired());
    }

    @Async
    Coroutine<Void> waitForNotExpired() {
        assertEquals("x", await(waitFor(after(0.5, "x"), 1)));
        Task<String> t = createTask(after(0.5, "t"));
        assertEquals("t", await(waitFor(t, 1)));
        assertTime(1.0);
        await(sleep(1)); // past both deadlines
        assertTime(2.0);
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    @Async
    Coroutine<Integer> return42() {
        try {
            await(sleep(10));
            return done(0);
        } catch (CancelledError e) {
            return done(42);
        }
    }

    /**
     * WF {@code test_wait_for_cancel_suppressed}. Python 3.12: {@code 45 coro 42}, and for a task
     * {@code 45 task 42 False} (the task is not cancelled: it returned 42).
     */
    @Test
    void semantics45_waitForReturnsTheValueOfWorkThatSuppressedTheCancel() {
        runTest(waitForCancelSuppressed());
    }

    @Async
    Coroutine<Void> waitForCancelSuppressed() {
        assertEquals(42, await(waitFor(return42(), 0.1)));
        assertTime(0.1);
        assertEquals(0, currentTask().cancelling());
        Task<Integer> t = createTask(return42());
        assertEquals(42, await(waitFor(t, 0.1)));
        assertTime(0.2);
        assertFalse(t.cancelled());
        assertEquals(42, t.result());
        assertEquals(0, currentTask().cancelling());
        return done();
    }

    // ---- 46: cancelling the task inside waitFor cancels the inner work --------------------------------------

    private Boolean fooRunning;

    @Async
    Coroutine<String> foo() {
        fooRunning = true;
        try {
            await(sleep(10));
        } finally {
            fooRunning = false;
        }
        return done("done");
    }

    /** WF {@code test_cancel_wait_for}. Python 3.12 (inner task, outer cancelled at 1 s): {@code 46 True True}. */
    @Test
    void semantics46_cancellingTheTaskInsideWaitForCancelsTheInnerCoroutine() {
        runTest(cancelWaitForCoroutine());
    }

    @Async
    Coroutine<Void> cancelWaitForCoroutine() {
        Task<String> fut = createTask(waitFor(foo(), 3));
        await(sleep(0.1));
        assertEquals(Boolean.TRUE, fooRunning);
        fut.cancel();
        try {
            await(fut);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1); // a cancellation, not a timeout
        }
        assertTime(0.1);
        assertEquals(Boolean.FALSE, fooRunning);
        assertTrue(fut.cancelled());
        finish(2);
        return done();
    }

    /** The same with a task as the awaitable: it is cancelled too. */
    @Test
    void semantics46_cancellingTheTaskInsideWaitForCancelsTheInnerTask() {
        runTest(cancelWaitForTask());
    }

    @Async
    Coroutine<Void> cancelWaitForTask() {
        Task<String> inner = createTask(foo());
        Task<String> outer = createTask(waitFor(inner, 100));
        await(sleep(1));
        outer.cancel();
        try {
            await(outer);
            expectUnreached();
        } catch (CancelledError e) {
            expect(1);
        }
        assertTime(1.0);
        assertTrue(outer.cancelled());
        assertTrue(inner.cancelled());
        assertEquals(Boolean.FALSE, fooRunning);
        finish(2);
        return done();
    }

    // ---- bad input ------------------------------------------------------------------------------------------

    /** NaN timeouts are rejected at the call by waitFor, wait and asCompleted. */
    @Test
    void badInput_nanTimeoutsThrowIllegalArgumentException() {
        runTest(nanTimeouts());
    }

    @Async
    Coroutine<Void> nanTimeouts() {
        Future<String> f = getRunningLoop().createFuture();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> waitFor(f, Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Asyncio.wait(List.of(f), ReturnWhen.ALL_COMPLETED, Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> asCompleted(List.of(f), Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(f.done(), "nothing else is disturbed");
        assertNoOtherTask();
        f.setResult("still usable");
        assertEquals("still usable", await(waitFor(f, 1)));
        return done();
    }

    /** {@code null} awaitables, collections and ReturnWhen throw NullPointerException at the call. */
    @Test
    void badInput_nullAwaitablesThrowNullPointerException() {
        runTest(nullAwaitables());
    }

    @Async
    Coroutine<Void> nullAwaitables() {
        Future<String> f = getRunningLoop().createFuture();
        assertThrows(NullPointerException.class, () -> waitFor((Awaitable<String>) null, 1));
        assertThrows(NullPointerException.class, () -> waitFor((Awaitable<String>) null, 0));
        assertThrows(NullPointerException.class, () -> waitFor((Awaitable<String>) null, Double.POSITIVE_INFINITY));
        assertThrows(NullPointerException.class, () -> shield((Awaitable<String>) null));
        assertThrows(NullPointerException.class,
                () -> Asyncio.wait((Collection<Future<String>>) null, ReturnWhen.ALL_COMPLETED));
        assertThrows(NullPointerException.class, () -> Asyncio.wait(List.of(f), null));
        assertThrows(NullPointerException.class,
                () -> Asyncio.wait(Arrays.asList(f, null), ReturnWhen.FIRST_COMPLETED));
        assertThrows(NullPointerException.class, () -> asCompleted((Collection<Awaitable<String>>) null));
        assertThrows(NullPointerException.class, () -> gather((Collection<Awaitable<String>>) null));
        assertFalse(f.done(), "nothing else is disturbed");
        assertNoOtherTask();
        f.setResult("ok");
        return done();
    }

    /**
     * A {@code null} among coroutines: the call throws and starts none of them (Python's gather would already
     * have wrapped the coroutines before it in tasks, and left them running).
     */
    @Test
    void badInput_nullAmongCoroutinesStartsNothing() {
        runTest(nullAmongCoroutines());
    }

    @Async
    Coroutine<Void> nullAmongCoroutines() {
        assertThrows(NullPointerException.class, () -> gather(marksStarted(), null));
        assertNoOtherTask();
        assertThrows(NullPointerException.class, () -> asCompleted(Arrays.asList(marksStarted(), null)));
        assertNoOtherTask();
        await(sleep(0));
        assertFalse(started);
        return done();
    }
}
