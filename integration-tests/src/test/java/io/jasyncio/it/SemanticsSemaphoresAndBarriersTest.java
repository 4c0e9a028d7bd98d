package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.taskGroup;

import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.AsyncCallable;
import io.jasyncio.Awaitable;
import io.jasyncio.Barrier;
import io.jasyncio.BoundedSemaphore;
import io.jasyncio.BrokenBarrierException;
import io.jasyncio.CancelledError;
import io.jasyncio.Condition;
import io.jasyncio.Coroutine;
import io.jasyncio.Future;
import io.jasyncio.ReturnWhen;
import io.jasyncio.Semaphore;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SEMANTICS.md item 69 ({@code Semaphore}, {@code BoundedSemaphore}) and the {@code Barrier} part of item 71, and a
 * port of CPython 3.13's {@code Lib/test/test_asyncio/test_locks.py} classes {@code SemaphoreTests} and
 * {@code BarrierTests}. Python's {@code ValueError} is an {@link IllegalArgumentException} for a bad constructor
 * argument and an {@link IllegalStateException} for an over-released {@link BoundedSemaphore};
 * {@code BrokenBarrierError} is {@link BrokenBarrierException}. Where a Python test reads a private field
 * ({@code sem._value}, {@code sem._waiters}, {@code barrier._count}) the port reads the same field of the Java
 * class by reflection ({@link #value}, {@link #waiters}, {@link #count}), so as to assert the same thing.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a broken barrier or semaphore hangs
class SemanticsSemaphoresAndBarriersTest extends AsyncTestBase {

    /** BarrierTests' {@code self.N}. */
    private static final int N = 5;

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static Object field(Object o, String name) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(o.getClass() + " has no field " + name);
    }

    /** Python's {@code sem._value}. */
    private static int value(Semaphore sem) {
        return (Integer) field(sem, "value");
    }

    /** Python's {@code len(sem._waiters)} (0 while {@code _waiters is None}). */
    private static int waiters(Semaphore sem) {
        ArrayDeque<?> w = (ArrayDeque<?>) field(sem, "waiters");
        return w == null ? 0 : w.size();
    }

    /** Python's {@code barrier._count}. */
    private static int count(Barrier barrier) {
        return (Integer) field(barrier, "count");
    }

    @Async
    Coroutine<Boolean> acquireAndAppend(Semaphore sem, List<Integer> result, int tag) {
        await(sem.acquire());
        result.add(tag);
        return done(true);
    }

    /** {@code with self.assertRaises(type): await awaitable}: {@return the exception} */
    @Async
    <E extends Throwable> Coroutine<E> thrown(Class<E> type, Awaitable<?> awaitable) {
        try {
            await(awaitable);
        } catch (Throwable t) {
            return done(assertInstanceOf(type, t));
        }
        return done(fail("expected " + type.getName() + " from " + awaitable));
    }

    /** Makes the coroutine of an async lambda (which may declare what its awaits throw: not these). */
    private static <T> Coroutine<T> make(AsyncCallable<T> lambda) {
        try {
            return lambda.call();
        } catch (Exception e) {
            throw new AssertionError("making the coroutine of " + lambda + " threw", e);
        }
    }

    /** BarrierTests' {@code make_tasks}. */
    private static <T> List<Task<T>> makeTasks(int n, AsyncCallable<T> coro) {
        List<Task<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(make(coro)));
        }
        return tasks;
    }

    /** BarrierTests' {@code gather_tasks} (the results only). */
    @Async
    <T> Coroutine<List<T>> gatherTasks(int n, AsyncCallable<T> coro) {
        List<Task<T>> tasks = makeTasks(n, coro);
        return done(await(gather(tasks)));
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toList());
    }

    private static List<Integer> sorted(List<Integer> l) {
        List<Integer> s = new ArrayList<>(l);
        Collections.sort(s);
        return s;
    }

    // ==== SEMANTICS.md item 69 =================================================================================

    /**
     * Item 69: waiters get permits first in, first out, and a newcomer cannot take a permit ahead of a waiter that
     * was handed one but has not run yet (L {@code test_acquire_fifo_order}; the port is
     * {@link #semaphore_testAcquireFifoOrder}).
     */
    @Async
    Coroutine<Void> semaphoreWakesFifo() {
        Semaphore sem = new Semaphore(1);
        await(sem.acquire());
        expect(1);
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int tag = i;
            tasks.add(createTask(make((AsyncCallable<Void>) () -> {
                await(sem.acquire());
                expect(2 + 2 * tag); // 4, 6, 8: in the order they queued
                await(sleep(0.1));
                sem.release();
                return done();
            })));
        }
        await(sleep(0));
        assertEquals(3, waiters(sem));
        sem.release(); // hands the permit to task 1, which has not run yet
        expect(2);
        assertTrue(sem.locked(), "a permit handed to a waiter is not free for a newcomer");
        assertFalse(sem.tryAcquire(), "a newcomer must not barge ahead of the woken waiter");
        Task<Void> late = createTask(make((AsyncCallable<Void>) () -> {
            await(sem.acquire());
            expect(10); // queued after tasks 2 and 3
            sem.release();
            return done();
        }));
        expect(3);
        await(sleep(0.05));
        expect(5);
        await(sleep(0.1));
        expect(7);
        await(sleep(0.1));
        expect(9);
        await(gather(tasks));
        await(late);
        finish(11);
        assertFalse(sem.locked());
        assertEquals(1, value(sem));

        // a spare permit beside a woken waiter that has not run yet is not free for a newcomer either
        Semaphore s2 = new Semaphore(0);
        List<Integer> order = new ArrayList<>();
        Task<Boolean> woken = createTask(acquireAndAppend(s2, order, 1));
        await(sleep(0));
        s2.release(); // handed to the waiter
        s2.release(); // spare
        assertEquals(1, value(s2));
        assertTrue(s2.locked(), "locked while a waiter that was handed a permit has not run");
        assertFalse(s2.tryAcquire(), "a newcomer must not barge ahead of the woken waiter");
        Task<Boolean> newcomer = createTask(acquireAndAppend(s2, order, 2));
        await(gather(List.of(woken, newcomer)));
        assertEquals(List.of(1, 2), order);
        assertEquals(0, value(s2));
        return done();
    }

    @Test
    void semantics69_semaphoreWakesFifoAndNewcomersDoNotBarge() {
        runTest(semaphoreWakesFifo());
    }

    /** Item 69: a {@code BoundedSemaphore} released beyond its initial value throws at once (L {@code test_release_not_acquired}). */
    @Async
    Coroutine<Void> boundedOverRelease() {
        BoundedSemaphore sem = new BoundedSemaphore(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
        await(sem.acquire());
        await(sem.acquire());
        assertTrue(sem.locked());
        sem.release();
        sem.release();
        assertThrows(IllegalStateException.class, sem::release);
        assertEquals(2, value(sem), "the refused release changed nothing");
        assertTrue(sem.tryAcquire());
        assertTrue(sem.tryAcquire());
        assertFalse(sem.tryAcquire());
        // a plain Semaphore has no bound
        Semaphore plain = new Semaphore(1);
        plain.release();
        assertEquals(2, value(plain));
        return done();
    }

    @Test
    void semantics69_boundedSemaphoreOverReleaseThrows() {
        runTest(boundedOverRelease());
    }

    /** Item 69: a negative initial value is refused (L {@code test_semaphore_value}). */
    @Test
    void semantics69_negativeValueThrows() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
        assertTrue(new Semaphore(0).locked());
        assertFalse(new Semaphore().locked());
        assertEquals(1, value(new BoundedSemaphore()));
    }

    /** Item 69: {@code tryAcquire()} takes a free permit without waiting, and refuses while tasks wait. */
    @Async
    Coroutine<Void> tryAcquire() {
        Semaphore sem = new Semaphore(2);
        assertTrue(sem.tryAcquire());
        assertTrue(sem.tryAcquire());
        assertFalse(sem.tryAcquire());
        assertEquals(0, value(sem));
        Task<Void> waiter = createTask(sem.acquire());
        await(sleep(0));
        sem.release();
        sem.release(); // one permit handed to the waiter, one free, but the waiter has not run yet
        assertEquals(1, value(sem));
        assertTrue(sem.locked());
        assertFalse(sem.tryAcquire(), "a woken waiter that has not run yet still counts as waiting");
        await(waiter);
        assertFalse(sem.locked());
        assertTrue(sem.tryAcquire());
        assertEquals(0, value(sem));
        // a cancelled waiter does not block tryAcquire (locked() ignores cancelled waiters, as asyncio's)
        Task<Void> cancelled = createTask(sem.acquire());
        await(sleep(0));
        cancelled.cancel();
        sem.release();
        assertTrue(sem.tryAcquire(), "the only waiter is cancelled");
        await(sleep(0));
        assertTrue(cancelled.cancelled());
        sem.release();
        return done();
    }

    @Test
    void semantics69_tryAcquire() {
        runTest(tryAcquire());
    }

    /**
     * Item 69: a waiter that is cancelled after a permit was handed to it (before it ran) gives the permit back:
     * it goes to the next waiter, or, with none, back to the semaphore.
     */
    @Async
    Coroutine<Void> cancelledWaiterGivesBackPermit() {
        Semaphore sem = new Semaphore(0);
        Task<Void> t1 = createTask(sem.acquire());
        Task<Void> t2 = createTask(sem.acquire());
        await(sleep(0));
        sem.release(); // handed to t1
        assertEquals(0, value(sem));
        t1.cancel();
        await(sleep(0));
        await(sleep(0));
        assertTrue(t1.cancelled());
        assertTrue(t2.done(), "t1's permit went to t2");
        assertTrue(sem.locked());
        assertEquals(0, value(sem));
        assertEquals(0, waiters(sem));

        Task<Void> t3 = createTask(sem.acquire());
        await(sleep(0));
        sem.release(); // handed to t3, the only waiter
        t3.cancel();
        await(sleep(0));
        assertTrue(t3.cancelled());
        assertEquals(1, value(sem), "the permit came back");
        assertFalse(sem.locked());
        return done();
    }

    @Test
    void semantics69_cancelledWaiterGivesBackAHandedPermit() {
        runTest(cancelledWaiterGivesBackPermit());
    }

    /**
     * Item 69: the semaphore belongs to the loop of the first task that waits on it; a task of another loop that
     * has to wait on it gets an {@link IllegalStateException} (asyncio's mixin raises {@code RuntimeError}). An
     * acquire that does not wait needs no loop, as in asyncio. Python 3.13 (the same steps) printed
     * {@code sem: RuntimeError <asyncio.locks.Semaphore object at 0x7fa5020b1be0 [locked]> is bound to a different
     * event loop value 0 waiters deque([])}.
     */
    @Test
    void semantics69_usedFromASecondLoopThrows() {
        Semaphore sem = new Semaphore(0);
        runTest(make((AsyncCallable<Void>) () -> {
            Task<Void> t = createTask(sem.acquire());
            await(sleep(0));
            sem.release();
            await(t);
            return done();
        }));
        sem.release();
        runTest(make((AsyncCallable<Void>) () -> {
            await(sem.acquire()); // does not wait: allowed on any loop
            IllegalStateException e = await(thrown(IllegalStateException.class, sem.acquire()));
            assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
            assertEquals(0, waiters(sem));
            assertEquals(0, value(sem), "the refused acquire took nothing");
            return done();
        }));
    }

    /**
     * Item 69 (cost): an uncontended {@code await(sem.acquire())} completes inline, without a loop iteration: a
     * callback queued with {@code callSoon} just before it has not run yet afterwards.
     */
    @Async
    Coroutine<Void> uncontendedAcquireSkipsTheLoop() {
        Semaphore sem = new Semaphore(2);
        boolean[] ran = {false};
        getRunningLoop().callSoon(() -> ran[0] = true);
        await(sem.acquire());
        await(sem.acquire());
        assertFalse(ran[0], "the uncontended acquires went through the loop");
        sem.release();
        String r = await(sem.withPermit(() -> done("inside")));
        assertEquals("inside", r);
        assertFalse(ran[0], "an uncontended withPermit went through the loop");
        assertEquals(1, value(sem));
        await(sleep(0));
        assertTrue(ran[0]);
        sem.release();
        return done();
    }

    @Test
    void semantics69_uncontendedAcquireCompletesWithoutALoopIteration() {
        runTest(uncontendedAcquireSkipsTheLoop());
    }

    /**
     * Item 69 (cost): once an {@code acquire()} coroutine has completed, the next {@code acquire()} returns the same
     * object (see the class comment of {@code io.jasyncio.Op}); while one is handed out and not completed, callers
     * get a new one.
     */
    @Async
    Coroutine<Void> acquireReusesCoroutine() {
        Semaphore sem = new Semaphore(3);
        Coroutine<Void> first = sem.acquire();
        Coroutine<Void> whileLent = sem.acquire();
        assertNotSame(first, whileLent, "the cached coroutine was handed out twice");
        await(first);
        await(whileLent);
        Coroutine<Void> again = sem.acquire();
        assertSame(first, again, "a completed acquire() is handed out again");
        await(again);
        assertEquals(0, value(sem));
        // after a suspension too
        Coroutine<Void> contended = sem.acquire();
        assertSame(first, contended);
        Task<Void> t = createTask(contended);
        await(sleep(0));
        assertFalse(t.done());
        sem.release();
        await(t);
        Coroutine<Void> afterSuspension = sem.acquire();
        assertSame(first, afterSuspension, "reused after completing a suspension");
        sem.release();
        await(afterSuspension);
        assertEquals(0, value(sem));
        return done();
    }

    /**
     * Item 69 (cost): an {@code acquire()} coroutine given to a task that is cancelled before its first step never
     * runs; it must not stay handed out for ever (every later uncontended acquire would allocate). The same for
     * the acquire inside a {@code withPermit} whose task is cancelled before it starts.
     */
    @Async
    Coroutine<Void> acquireOfATaskCancelledBeforeItStarted() {
        Semaphore sem = new Semaphore(1);
        Coroutine<Void> cached = sem.acquire();
        await(cached);
        sem.release();
        Task<Void> t = createTask(sem.acquire());
        t.cancel();
        await(sleep(0));
        assertTrue(t.cancelled());
        assertSame(cached, sem.acquire(), "the acquire() of a task cancelled before it started stays lent");
        await(cached);
        sem.release();
        Task<String> w = createTask(sem.withPermit(() -> done("never")));
        w.cancel();
        await(sleep(0));
        assertTrue(w.cancelled());
        assertSame(cached, sem.acquire(), "the acquire() of a withPermit cancelled before it started stays lent");
        await(cached);
        sem.release();
        assertEquals(1, value(sem));
        return done();
    }

    @Test
    void semantics69_acquireOfATaskCancelledBeforeItStartedIsReusedToo() {
        runTest(acquireOfATaskCancelledBeforeItStarted());
    }

    @Test
    void semantics69_nextAcquireReusesTheCompletedCoroutine() {
        runTest(acquireReusesCoroutine());
    }

    // ==== SEMANTICS.md item 71, Barrier =======================================================================

    /** Item 71: the parties get distinct arrival indices 0..parties-1 and go on together; the barrier is reusable. */
    @Async
    Coroutine<Void> barrierDistinctIndices() {
        Barrier barrier = new Barrier(3);
        List<Integer> indices = new ArrayList<>();
        AsyncCallable<Void> party = () -> {
            indices.add(await(barrier.waitFor()));
            return done();
        };
        List<Task<Void>> tasks = makeTasks(2, party);
        await(sleep(0));
        expect(1);
        assertEquals(2, barrier.nWaiting());
        assertEquals(List.of(), indices, "nobody goes on before the third party arrives");
        int last = await(barrier.waitFor()); // the last to arrive does not wait
        expect(2);
        assertEquals(2, last);
        await(gather(tasks));
        finish(3);
        assertEquals(List.of(0, 1), sorted(indices));
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        assertEquals(3, barrier.parties());
        // usable again
        indices.clear();
        tasks = makeTasks(2, party);
        await(sleep(0));
        assertEquals(2, (int) await(barrier.waitFor()));
        await(gather(tasks));
        assertEquals(List.of(0, 1), sorted(indices));
        return done();
    }

    @Test
    void semantics71_barrierReturnsDistinctIndices() {
        runTest(barrierDistinctIndices());
    }

    /** Item 71: {@code abort()} makes the waiting tasks and every later {@code waitFor()} throw. */
    @Async
    Coroutine<Void> barrierAbort() {
        Barrier barrier = new Barrier(3);
        AsyncCallable<String> party = () -> {
            try {
                await(barrier.waitFor());
                return done("passed");
            } catch (BrokenBarrierException e) {
                return done("broken");
            }
        };
        List<Task<String>> tasks = makeTasks(2, party);
        await(sleep(0));
        expect(1);
        await(barrier.abort());
        expect(2);
        assertTrue(barrier.broken());
        assertEquals(List.of("broken", "broken"), await(gather(tasks)));
        await(thrown(BrokenBarrierException.class, barrier.waitFor()));
        assertEquals(0, barrier.nWaiting());
        await(barrier.reset());
        assertFalse(barrier.broken(), "reset() repairs a broken barrier");
        finish(3);
        return done();
    }

    @Test
    void semantics71_barrierAbortBreaksWaitersAndLaterArrivals() {
        runTest(barrierAbort());
    }

    /** Item 71: a zero or negative size is refused (L {@code test_barrier_parties}). */
    @Test
    void semantics71_barrierZeroOrNegativePartiesThrows() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-4));
        assertEquals(1, new Barrier(1).parties());
    }

    /**
     * Item 71: a barrier waited on by one loop's tasks cannot make another loop's task wait; its condition's lock is
     * not left held. Python 3.13 printed {@code barrier: RuntimeError <asyncio.locks.Condition object at 0x...
     * [locked]> is bound to a different event loop 0 False False} (n_waiting, broken, {@code _cond.locked()}).
     */
    @Test
    void semantics71_barrierUsedFromASecondLoopThrows() {
        Barrier barrier = new Barrier(2);
        runTest(make((AsyncCallable<Void>) () -> {
            Task<Integer> t = createTask(barrier.waitFor());
            await(sleep(0));
            assertEquals(1, (int) await(barrier.waitFor()));
            assertEquals(0, (int) await(t));
            return done();
        }));
        runTest(make((AsyncCallable<Void>) () -> {
            IllegalStateException e = await(thrown(IllegalStateException.class, barrier.waitFor()));
            assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.broken());
            assertFalse(((Condition) field(barrier, "cond")).locked(), "the barrier's lock was left held");
            return done();
        }));
    }

    // ==== CPython SemaphoreTests ==============================================================================

    /** SemaphoreTests {@code test_initial_value_zero}. */
    @Test
    void semaphore_testInitialValueZero() {
        Semaphore sem = new Semaphore(0);
        assertTrue(sem.locked());
    }

    /**
     * SemaphoreTests {@code test_repr}: Python's repr ends with {@code [unlocked, value:1]>}, then {@code [locked]>}
     * without waiters, then {@code waiters:1}, {@code waiters:2}. Python appends mocks to {@code _waiters}; the port
     * makes real tasks wait instead.
     */
    @Async
    Coroutine<Void> semaphoreRepr() {
        Semaphore sem = new Semaphore();
        assertTrue(sem.toString().endsWith("[unlocked, value:1]>"), sem.toString());
        await(sem.acquire());
        assertTrue(sem.toString().endsWith("[locked]>"), sem.toString());
        assertFalse(sem.toString().contains("waiters"), sem.toString());
        Task<Void> w1 = createTask(sem.acquire());
        await(sleep(0));
        assertTrue(sem.toString().contains("waiters:1"), sem.toString());
        Task<Void> w2 = createTask(sem.acquire());
        await(sleep(0));
        assertTrue(sem.toString().contains("waiters:2"), sem.toString());
        assertEquals("<Semaphore [locked, waiters:2]>", sem.toString());
        assertEquals("<BoundedSemaphore [unlocked, value:3]>", new BoundedSemaphore(3).toString());
        w1.cancel();
        w2.cancel();
        await(gather(List.of(w1, w2), true));
        return done();
    }

    @Test
    void semaphore_testRepr() {
        runTest(semaphoreRepr());
    }

    /**
     * SemaphoreTests {@code test_semaphore}: Python checks that {@code await sem} raises {@code TypeError}; in Java a
     * {@code Semaphore} is not an {@link Awaitable}, so {@code await(sem)} does not compile: the port checks the
     * type, and the rest of the test (value 1, not locked).
     */
    @Test
    void semaphore_testSemaphore() {
        Object sem = new Semaphore();
        assertEquals(1, value((Semaphore) sem));
        assertFalse(sem instanceof Awaitable, "a Semaphore must not be awaitable");
        assertFalse(((Semaphore) sem).locked());
        assertEquals(1, value((Semaphore) sem));
    }

    /** SemaphoreTests {@code test_semaphore_value}. */
    @Test
    void semaphore_testSemaphoreValue() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
    }

    /** SemaphoreTests {@code test_acquire} (Python's {@code await sem.acquire()} returns True; Java's is Void). */
    @Async
    Coroutine<Void> semaphoreAcquire() {
        Semaphore sem = new Semaphore(3);
        List<Integer> result = new ArrayList<>();
        await(sem.acquire());
        await(sem.acquire());
        assertFalse(sem.locked());

        Task<Boolean> t1 = createTask(acquireAndAppend(sem, result, 1));
        Task<Boolean> t2 = createTask(acquireAndAppend(sem, result, 2));
        Task<Boolean> t3 = createTask(acquireAndAppend(sem, result, 3));

        await(sleep(0));
        assertEquals(List.of(1), result);
        assertTrue(sem.locked());
        assertEquals(2, waiters(sem));
        assertEquals(0, value(sem));

        Task<Boolean> t4 = createTask(acquireAndAppend(sem, result, 4));

        sem.release();
        sem.release();
        assertEquals(0, value(sem));

        await(sleep(0));
        assertEquals(0, value(sem));
        assertEquals(3, result.size());
        assertTrue(sem.locked());
        assertEquals(1, waiters(sem));
        assertEquals(0, value(sem));

        assertTrue(t1.done());
        assertTrue(t1.result());
        List<Task<Boolean>> raceTasks = List.of(t2, t3, t4);
        assertEquals(2, raceTasks.stream().filter(t -> t.done() && t.result()).count());

        // cleanup locked semaphore
        sem.release();
        await(gather(raceTasks));
        return done();
    }

    @Test
    void semaphore_testAcquire() {
        runTest(semaphoreAcquire());
    }

    /** SemaphoreTests {@code test_acquire_cancel}. */
    @Async
    Coroutine<Void> semaphoreAcquireCancel() {
        Semaphore sem = new Semaphore();
        await(sem.acquire());

        Task<Void> acquire = createTask(sem.acquire());
        getRunningLoop().callSoon(acquire::cancel);
        await(thrown(CancelledError.class, acquire));
        @SuppressWarnings("unchecked") // the field's declared type
        ArrayDeque<Future<?>> w = (ArrayDeque<Future<?>>) field(sem, "waiters");
        assertTrue(w == null || w.stream().allMatch(Future::done), String.valueOf(w));
        return done();
    }

    @Test
    void semaphore_testAcquireCancel() {
        runTest(semaphoreAcquireCancel());
    }

    /** SemaphoreTests {@code test_acquire_cancel_before_awoken}. */
    @Async
    Coroutine<Void> semaphoreAcquireCancelBeforeAwoken() {
        Semaphore sem = new Semaphore(0);

        Task<Void> t1 = createTask(sem.acquire());
        Task<Void> t2 = createTask(sem.acquire());
        Task<Void> t3 = createTask(sem.acquire());
        Task<Void> t4 = createTask(sem.acquire());

        await(sleep(0));

        t1.cancel();
        t2.cancel();
        sem.release();

        await(sleep(0));
        await(sleep(0));
        long numDone = List.of(t3, t4).stream().filter(Future::done).count();
        assertEquals(1, numDone);
        assertTrue(t3.done());
        assertFalse(t4.done());

        t3.cancel();
        t4.cancel();
        await(sleep(0));
        assertTrue(t4.cancelled());
        return done();
    }

    @Test
    void semaphore_testAcquireCancelBeforeAwoken() {
        runTest(semaphoreAcquireCancelBeforeAwoken());
    }

    /** SemaphoreTests {@code test_acquire_hang}. */
    @Async
    Coroutine<Void> semaphoreAcquireHang() {
        Semaphore sem = new Semaphore(0);

        Task<Void> t1 = createTask(sem.acquire());
        Task<Void> t2 = createTask(sem.acquire());
        await(sleep(0));

        t1.cancel();
        sem.release();
        await(sleep(0));
        await(sleep(0));
        assertTrue(sem.locked());
        assertTrue(t2.done());
        return done();
    }

    @Test
    void semaphore_testAcquireHang() {
        runTest(semaphoreAcquireHang());
    }

    /** SemaphoreTests {@code test_acquire_no_hang} ({@code async with sem} is {@code withPermit}). */
    @Async
    Coroutine<Void> semaphoreAcquireNoHang() {
        Semaphore sem = new Semaphore(1);
        AtomicReference<Task<Void>> t2 = new AtomicReference<>(); // created after the lambda that reads it

        AsyncCallable<Void> c1 = () -> {
            await(sem.withPermit(() -> sleep(0)));
            t2.get().cancel();
            return done();
        };
        AsyncCallable<Void> c2 = () -> {
            await(sem.withPermit(() -> {
                fail("c2 must not get the permit");
                return done();
            }));
            return done();
        };

        Task<Void> t1 = createTask(make(c1));
        t2.set(createTask(make(c2)));

        List<Object> r = await(gather(List.of(t1, t2.get()), true));
        assertEquals(null, r.get(0));
        assertInstanceOf(CancelledError.class, r.get(1));

        await(waitFor(sem.acquire(), 1.0));
        return done();
    }

    @Test
    void semaphore_testAcquireNoHang() {
        runTest(semaphoreAcquireNoHang());
    }

    /** SemaphoreTests {@code test_release_not_acquired}. */
    @Test
    void semaphore_testReleaseNotAcquired() {
        BoundedSemaphore sem = new BoundedSemaphore();
        assertThrows(IllegalStateException.class, sem::release);
    }

    /** SemaphoreTests {@code test_release_no_waiters}. */
    @Async
    Coroutine<Void> semaphoreReleaseNoWaiters() {
        Semaphore sem = new Semaphore();
        await(sem.acquire());
        assertTrue(sem.locked());

        sem.release();
        assertFalse(sem.locked());
        return done();
    }

    @Test
    void semaphore_testReleaseNoWaiters() {
        runTest(semaphoreReleaseNoWaiters());
    }

    /** SemaphoreTests {@code test_acquire_fifo_order}. */
    @Async
    Coroutine<Void> semaphoreAcquireFifoOrder() {
        Semaphore sem = new Semaphore(1);
        List<String> result = new ArrayList<>();
        AsyncFunction1 coro = tag -> {
            await(sem.acquire());
            result.add(tag + "_1");
            await(sleep(0.01));
            sem.release();

            await(sem.acquire());
            result.add(tag + "_2");
            await(sleep(0.01));
            sem.release();
            return done();
        };
        await(taskGroup(tg -> {
            tg.createTask(coro.apply("c1"));
            tg.createTask(coro.apply("c2"));
            tg.createTask(coro.apply("c3"));
            return done();
        }));
        assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
        return done();
    }

    /** A coroutine function of a tag. */
    interface AsyncFunction1 {
        Coroutine<Void> apply(String tag);
    }

    @Test
    void semaphore_testAcquireFifoOrder() {
        runTest(semaphoreAcquireFifoOrder());
    }

    /** SemaphoreTests {@code test_acquire_fifo_order_2}. */
    @Async
    Coroutine<Void> semaphoreAcquireFifoOrder2() {
        Semaphore sem = new Semaphore(1);
        List<Integer> result = new ArrayList<>();

        AsyncCallable<Boolean> c2 = () -> {
            await(sem.acquire());
            result.add(2);
            sem.release();
            await(sem.acquire());
            result.add(4);
            return done(true);
        };

        Task<Boolean> t1 = createTask(acquireAndAppend(sem, result, 1));
        Task<Boolean> t2 = createTask(make(c2));
        Task<Boolean> t3 = createTask(acquireAndAppend(sem, result, 3));

        await(sleep(0));

        sem.release();
        sem.release();

        await(gather(List.of(t1, t2, t3)));
        assertEquals(List.of(1, 2, 3, 4), result);
        return done();
    }

    @Test
    void semaphore_testAcquireFifoOrder2() {
        runTest(semaphoreAcquireFifoOrder2());
    }

    /** SemaphoreTests {@code test_acquire_fifo_order_3}. */
    @Async
    Coroutine<Void> semaphoreAcquireFifoOrder3() {
        Semaphore sem = new Semaphore(0);
        List<Integer> result = new ArrayList<>();

        Task<Boolean> t1 = createTask(acquireAndAppend(sem, result, 1));
        Task<Boolean> t2 = createTask(acquireAndAppend(sem, result, 2));
        Task<Boolean> t3 = createTask(acquireAndAppend(sem, result, 3));

        await(sleep(0));

        t1.cancel();

        await(sleep(0));

        sem.release();
        sem.release();

        await(gather(List.of(t1, t2, t3), true));
        assertEquals(List.of(2, 3), result);
        return done();
    }

    @Test
    void semaphore_testAcquireFifoOrder3() {
        runTest(semaphoreAcquireFifoOrder3());
    }

    /**
     * SemaphoreTests {@code test_acquire_fifo_order_4}: a successful {@code acquire()} wakes up several tasks that
     * were waiting in the queue because of the FIFO rule.
     */
    @Async
    Coroutine<Void> semaphoreAcquireFifoOrder4() {
        Semaphore sem = new Semaphore(0);
        List<Integer> result = new ArrayList<>();
        AtomicReference<Task<Boolean>> t4 = new AtomicReference<>(); // created inside c1

        AsyncCallable<Boolean> c4 = () -> {
            result.add(4);
            return done(true);
        };
        AsyncCallable<Boolean> c1 = () -> {
            // the first task waits for the semaphore at once; c2 wakes it up
            assertEquals(0, value(sem));
            await(sem.acquire());
            // all the waiting tasks have been woken up by now
            assertEquals(0, value(sem));
            // a fourth task: it runs after c3, not c2
            t4.set(createTask(make(c4)));
            result.add(1);
            return done(true);
        };
        AsyncCallable<Boolean> c2 = () -> {
            // release three times, for c1, c2 and c3
            sem.release();
            sem.release();
            sem.release();
            assertEquals(2, value(sem));
            // locked, because c1 has not woken up yet
            assertTrue(sem.locked());
            await(sem.acquire());
            result.add(2);
            return done(true);
        };
        AsyncCallable<Boolean> c3 = () -> {
            await(sem.acquire());
            assertTrue(sem.locked());
            result.add(3);
            return done(true);
        };

        Task<Boolean> t1 = createTask(make(c1));
        Task<Boolean> t2 = createTask(make(c2));
        Task<Boolean> t3 = createTask(make(c3));

        await(sleep(0));
        // three tasks are in the queue, the first has not woken up yet
        assertEquals(2, value(sem));
        assertEquals(3, waiters(sem));
        await(sleep(0));

        await(gather(List.of(t1, t2, t3, t4.get())));
        assertEquals(List.of(1, 2, 3, 4), result);
        return done();
    }

    @Test
    void semaphore_testAcquireFifoOrder4() {
        runTest(semaphoreAcquireFifoOrder4());
    }

    // ==== CPython BarrierTests ================================================================================
    // Python's `async with barrier as i:` is `i = await barrier.wait()` (its __aexit__ does nothing): the port
    // writes `int i = await(barrier.waitFor())`.

    /**
     * BarrierTests {@code test_barrier}: {@code await barrier} raises {@code TypeError} in Python; a Java
     * {@code Barrier} is not an {@link Awaitable}, so the port checks the type.
     */
    @Test
    void barrier_testBarrier() {
        Object barrier = new Barrier(N);
        assertTrue(barrier.toString().contains("filling"), barrier.toString());
        assertFalse(barrier instanceof Awaitable, "a Barrier must not be awaitable");
        assertTrue(barrier.toString().contains("filling"), barrier.toString());
    }

    /**
     * BarrierTests {@code test_repr}. Python's repr is {@code <asyncio.locks.Barrier object at 0x... [filling,
     * waiters:0/5]>}; jasyncio's has no address: {@code <Barrier [filling, waiters:0/5]>}.
     */
    @Async
    Coroutine<Void> barrierRepr() {
        Barrier barrier = new Barrier(N);
        assertEquals("<Barrier [filling, waiters:0/5]>", barrier.toString());

        List<Task<Integer>> waiters = new ArrayList<>();
        int incr = 2;
        for (int i = 0; i < incr; i++) {
            waiters.add(createTask(barrier.waitFor()));
        }
        await(sleep(0));

        assertTrue(barrier.toString().contains("waiters:" + incr + "/" + N), barrier.toString());
        assertTrue(barrier.toString().contains("filling"), barrier.toString());

        // create missing waiters
        for (int i = 0; i < barrier.parties() - barrier.nWaiting(); i++) {
            waiters.add(createTask(barrier.waitFor()));
        }
        await(sleep(0));

        assertTrue(barrier.toString().contains("draining"), barrier.toString());

        // add a part of waiters
        for (int i = 0; i < incr; i++) {
            waiters.add(createTask(barrier.waitFor()));
        }
        await(sleep(0));
        // and reset
        await(barrier.reset());

        assertTrue(barrier.toString().contains("resetting"), barrier.toString());

        // add a part of waiters again
        for (int i = 0; i < incr; i++) {
            waiters.add(createTask(barrier.waitFor()));
        }
        await(sleep(0));
        // and abort
        await(barrier.abort());

        assertTrue(barrier.toString().contains("broken"), barrier.toString());
        assertEquals("<Barrier [broken]>", barrier.toString());
        assertTrue(barrier.broken());

        // suppress unhandled exceptions
        await(gather(waiters, true));
        return done();
    }

    @Test
    void barrier_testRepr() {
        runTest(barrierRepr());
    }

    /** BarrierTests {@code test_barrier_parties}. */
    @Test
    void barrier_testBarrierParties() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-4));
        assertInstanceOf(Barrier.class, new Barrier(N));
    }

    /** BarrierTests {@code test_context_manager}. */
    @Async
    Coroutine<Void> barrierContextManager() {
        int n = 3;
        Barrier barrier = new Barrier(n);
        List<Integer> results = new ArrayList<>();
        await(gatherTasks(n, () -> {
            int i = await(barrier.waitFor());
            results.add(i);
            return done();
        }));
        assertEquals(range(n), sorted(results));
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testContextManager() {
        runTest(barrierContextManager());
    }

    /** BarrierTests {@code test_filling_one_task}. */
    @Async
    Coroutine<Void> barrierFillingOneTask() {
        Barrier barrier = new Barrier(1);
        AsyncCallable<Boolean> f = () -> {
            await(barrier.waitFor());
            return done(true);
        };
        boolean ret = await(make(f));
        assertTrue(ret);
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testFillingOneTask() {
        runTest(barrierFillingOneTask());
    }

    /** BarrierTests {@code test_filling_one_task_twice}. */
    @Async
    Coroutine<Void> barrierFillingOneTaskTwice() {
        Barrier barrier = new Barrier(1);

        Task<Integer> t1 = createTask(barrier.waitFor());
        await(sleep(0));
        assertEquals(0, barrier.nWaiting());

        Task<Integer> t2 = createTask(barrier.waitFor());
        await(sleep(0));

        assertEquals(t1.result(), t2.result());
        assertEquals(0, (int) t1.result());
        assertEquals(t1.done(), t2.done());

        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testFillingOneTaskTwice() {
        runTest(barrierFillingOneTaskTwice());
    }

    /** BarrierTests {@code test_filling_task_by_task}. */
    @Async
    Coroutine<Void> barrierFillingTaskByTask() {
        Barrier barrier = new Barrier(3);

        Task<Integer> t1 = createTask(barrier.waitFor());
        await(sleep(0));
        assertEquals(1, barrier.nWaiting());
        assertTrue(barrier.toString().contains("filling"), barrier.toString());

        Task<Integer> t2 = createTask(barrier.waitFor());
        await(sleep(0));
        assertEquals(2, barrier.nWaiting());
        assertTrue(barrier.toString().contains("filling"), barrier.toString());

        Task<Integer> t3 = createTask(barrier.waitFor());
        await(sleep(0));

        await(io.jasyncio.Asyncio.wait(List.of(t1, t2, t3), ReturnWhen.ALL_COMPLETED));

        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testFillingTaskByTask() {
        runTest(barrierFillingTaskByTask());
    }

    /** BarrierTests {@code test_filling_tasks_wait_twice}. */
    @Async
    Coroutine<Void> barrierFillingTasksWaitTwice() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results = new ArrayList<>();
        await(gatherTasks(N, () -> {
            await(barrier.waitFor());
            results.add(true);
            await(barrier.waitFor());
            results.add(false);
            return done();
        }));
        assertEquals(N * 2, results.size());
        assertEquals(N, Collections.frequency(results, true));
        assertEquals(N, Collections.frequency(results, false));
        // every True comes before every False: nobody passes the second wait before all passed the first
        assertEquals(List.of(true, true, true, true, true), results.subList(0, N));
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testFillingTasksWaitTwice() {
        runTest(barrierFillingTasksWaitTwice());
    }

    /** BarrierTests {@code test_filling_tasks_check_return_value}. */
    @Async
    Coroutine<Void> barrierFillingTasksCheckReturnValue() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        List<Integer> res = await(gatherTasks(N, () -> {
            await(barrier.waitFor());
            results1.add(true);
            int i = await(barrier.waitFor());
            results2.add(true);
            return done(i);
        }));
        assertEquals(N, results1.size());
        assertTrue(results1.stream().allMatch(b -> b));
        assertEquals(N, results2.size());
        assertTrue(results2.stream().allMatch(b -> b));
        assertEquals(range(N), sorted(res));
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testFillingTasksCheckReturnValue() {
        runTest(barrierFillingTasksCheckReturnValue());
    }

    /** BarrierTests {@code test_draining_state}: the barrier turns back to filling when the last task leaves it. */
    @Async
    Coroutine<Void> barrierDrainingState() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results = new ArrayList<>();
        await(gatherTasks(N, () -> {
            await(barrier.waitFor());
            results.add(barrier.toString().contains("draining"));
            return done();
        }));
        assertEquals(N, results.size());
        assertFalse(results.get(N - 1));
        assertTrue(results.subList(0, N - 1).stream().allMatch(b -> b), results.toString());
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testDrainingState() {
        runTest(barrierDrainingState());
    }

    /**
     * BarrierTests {@code test_blocking_tasks_while_draining}: a success means that {@code barrierNowaiting} was
     * waited for exactly N - rewait = 3 times.
     */
    @Async
    Coroutine<Void> barrierBlockingTasksWhileDraining() {
        int rewait = 2;
        Barrier barrier = new Barrier(N);
        Barrier barrierNowaiting = new Barrier(N - rewait);
        int[] rewaitN = {rewait};
        await(gatherTasks(N, () -> {
            // first time waiting
            await(barrier.waitFor());
            // after waiting once for all tasks
            if (rewaitN[0] > 0) {
                rewaitN[0]--;
                // wait again only for rewait tasks
                await(barrier.waitFor());
            } else {
                // wait for the end of the draining state
                await(barrierNowaiting.waitFor());
                // wait for the other waiting tasks
                await(barrier.waitFor());
            }
            return done();
        }));
        assertEquals(0, barrier.nWaiting());
        assertEquals(0, barrierNowaiting.nWaiting());
        return done();
    }

    @Test
    void barrier_testBlockingTasksWhileDraining() {
        runTest(barrierBlockingTasksWhileDraining());
    }

    /** BarrierTests {@code test_filling_tasks_cancel_one}. */
    @Async
    Coroutine<Void> barrierFillingTasksCancelOne() {
        Barrier barrier = new Barrier(3);
        List<Boolean> results = new ArrayList<>();
        AsyncCallable<Void> coro = () -> {
            await(barrier.waitFor());
            results.add(true);
            return done();
        };

        Task<Void> t1 = createTask(make(coro));
        await(sleep(0));
        assertEquals(1, barrier.nWaiting());

        Task<Void> t2 = createTask(make(coro));
        await(sleep(0));
        assertEquals(2, barrier.nWaiting());

        t1.cancel();
        await(sleep(0));
        assertEquals(1, barrier.nWaiting());
        await(thrown(CancelledError.class, t1));
        assertTrue(t1.cancelled());

        Task<Void> t3 = createTask(make(coro));
        await(sleep(0));
        assertEquals(2, barrier.nWaiting());

        Task<Void> t4 = createTask(make(coro));
        await(gather(List.of(t2, t3, t4)));

        assertEquals(3, results.size());
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testFillingTasksCancelOne() {
        runTest(barrierFillingTasksCancelOne());
    }

    /** BarrierTests {@code test_reset_barrier}. */
    @Async
    Coroutine<Void> barrierResetBarrier() {
        Barrier barrier = new Barrier(1);
        Task<Void> t = createTask(barrier.reset());
        await(sleep(0));
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.broken());
        assertTrue(t.done());
        return done();
    }

    @Test
    void barrier_testResetBarrier() {
        runTest(barrierResetBarrier());
    }

    /** BarrierTests {@code test_reset_barrier_while_tasks_waiting}. */
    @Async
    Coroutine<Void> barrierResetWhileTasksWaiting() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results = new ArrayList<>();

        // N-1 tasks waiting on a barrier of N parties
        List<Task<Void>> tasks = makeTasks(N - 1, () -> {
            try {
                await(barrier.waitFor());
            } catch (BrokenBarrierException e) {
                results.add(true);
            }
            return done();
        });
        await(sleep(0));

        // reset the barrier
        Task<Void> reset = createTask(barrier.reset());
        await(gather(tasks));

        assertEquals(N - 1, results.size());
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.toString().contains("resetting"), barrier.toString());
        assertFalse(barrier.broken());
        await(reset);
        return done();
    }

    @Test
    void barrier_testResetBarrierWhileTasksWaiting() {
        runTest(barrierResetWhileTasksWaiting());
    }

    /** BarrierTests {@code test_reset_barrier_when_tasks_half_draining}. */
    @Async
    Coroutine<Void> barrierResetWhenTasksHalfDraining() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        int restOfTasks = N / 2;

        await(gatherTasks(N, () -> {
            boolean broke = false;
            try {
                await(barrier.waitFor());
            } catch (BrokenBarrierException e) {
                // catch here waiting tasks
                results1.add(true);
                broke = true;
            }
            // here a drained task outside the barrier
            if (!broke && restOfTasks == count(barrier)) {
                // tasks outside the barrier
                await(barrier.reset());
            }
            return done();
        }));

        assertEquals(Collections.nCopies(restOfTasks, true), results1);
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.toString().contains("resetting"), barrier.toString());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testResetBarrierWhenTasksHalfDraining() {
        runTest(barrierResetWhenTasksHalfDraining());
    }

    /** BarrierTests {@code test_reset_barrier_when_tasks_half_draining_half_blocking}. */
    @Async
    Coroutine<Void> barrierResetWhenTasksHalfDrainingHalfBlocking() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        int blockingTasks = N / 2;
        int[] count = {0};

        await(gatherTasks(N, () -> {
            boolean broke = false;
            try {
                await(barrier.waitFor());
            } catch (BrokenBarrierException e) {
                // here catch the still waiting tasks
                results1.add(true);
                broke = true;
            }
            if (broke) {
                // so now waiting again to reach nb_parties
                await(barrier.waitFor());
            } else {
                count[0]++;
                if (count[0] > blockingTasks) {
                    // reset now: BrokenBarrierException for the waiting tasks
                    await(barrier.reset());
                    // so now waiting again to reach nb_parties
                    await(barrier.waitFor());
                } else {
                    try {
                        await(barrier.waitFor());
                    } catch (BrokenBarrierException e) {
                        // here no catch - blocked tasks go to wait
                        results2.add(true);
                    }
                }
            }
            return done();
        }));

        assertEquals(Collections.nCopies(blockingTasks, true), results1);
        assertEquals(List.of(), results2);
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.toString().contains("resetting"), barrier.toString());
        assertFalse(barrier.broken());
        return done();
    }

    @Test
    void barrier_testResetBarrierWhenTasksHalfDrainingHalfBlocking() {
        runTest(barrierResetWhenTasksHalfDrainingHalfBlocking());
    }

    /** BarrierTests {@code test_reset_barrier_while_tasks_waiting_and_waiting_again}. */
    @Async
    Coroutine<Void> barrierResetWhileTasksWaitingAndWaitingAgain() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();

        AsyncCallable<Void> coro1 = () -> {
            try {
                await(barrier.waitFor());
            } catch (BrokenBarrierException e) {
                results1.add(true);
            } finally {
                await(barrier.waitFor());
                results2.add(true);
            }
            return done();
        };
        AsyncCallable<Void> coro2 = () -> {
            await(barrier.waitFor());
            results2.add(true);
            return done();
        };

        List<Task<Void>> tasks = makeTasks(N - 1, coro1);

        // reset the barrier: the N-1 waiting tasks get a BrokenBarrierException
        Task<Void> reset = createTask(barrier.reset());
        await(sleep(0));

        // complete the waiting tasks in their `finally`
        Task<Void> last = createTask(make(coro2));

        await(gather(tasks));

        assertFalse(barrier.broken());
        assertEquals(N - 1, results1.size());
        assertEquals(N, results2.size());
        assertEquals(0, barrier.nWaiting());
        await(reset);
        await(last);
        return done();
    }

    @Test
    void barrier_testResetBarrierWhileTasksWaitingAndWaitingAgain() {
        runTest(barrierResetWhileTasksWaitingAndWaitingAgain());
    }

    /** BarrierTests {@code test_reset_barrier_while_tasks_draining}. */
    @Async
    Coroutine<Void> barrierResetWhileTasksDraining() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        List<Boolean> results3 = new ArrayList<>();
        int[] count = {0};

        await(gatherTasks(N, () -> {
            await(barrier.waitFor());
            count[0]++;
            if (count[0] == N) {
                // the last task out of the barrier
                await(barrier.reset());
                // wait here to reach the `parties`
                await(barrier.waitFor());
            } else {
                try {
                    // second waiting
                    await(barrier.waitFor());
                    // N-1 tasks here
                    results1.add(true);
                } catch (RuntimeException e) {
                    // never goes here
                    results2.add(true);
                }
            }
            // now pass the barrier again: the last wait must complete
            await(barrier.waitFor());
            results3.add(true);
            return done();
        }));

        assertFalse(barrier.broken());
        assertEquals(N - 1, results1.size());
        assertEquals(0, results2.size());
        assertEquals(N, results3.size());
        assertEquals(0, barrier.nWaiting());
        return done();
    }

    @Test
    void barrier_testResetBarrierWhileTasksDraining() {
        runTest(barrierResetWhileTasksDraining());
    }

    /** BarrierTests {@code test_abort_barrier}. */
    @Async
    Coroutine<Void> barrierAbortBarrier() {
        Barrier barrier = new Barrier(1);
        Task<Void> t = createTask(barrier.abort());
        await(sleep(0));
        assertEquals(0, barrier.nWaiting());
        assertTrue(barrier.broken());
        assertTrue(t.done());
        return done();
    }

    @Test
    void barrier_testAbortBarrier() {
        runTest(barrierAbortBarrier());
    }

    /** BarrierTests {@code test_abort_barrier_when_tasks_half_draining_half_blocking}. */
    @Async
    Coroutine<Void> barrierAbortWhenTasksHalfDrainingHalfBlocking() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        int blockingTasks = N / 2;
        int[] count = {0};

        await(gatherTasks(N, () -> {
            boolean broke = false;
            try {
                await(barrier.waitFor());
            } catch (BrokenBarrierException e) {
                // here catch the tasks waiting to drain
                results1.add(true);
                broke = true;
            }
            if (!broke) {
                count[0]++;
                if (count[0] > blockingTasks) {
                    // abort now: BrokenBarrierException for all the tasks
                    await(barrier.abort());
                } else {
                    try {
                        await(barrier.waitFor());
                    } catch (BrokenBarrierException e) {
                        // here catch the blocked tasks (already drained)
                        results2.add(true);
                    }
                }
            }
            return done();
        }));

        assertTrue(barrier.broken());
        assertEquals(Collections.nCopies(blockingTasks, true), results1);
        assertEquals(Collections.nCopies(N - blockingTasks - 1, true), results2);
        assertEquals(0, barrier.nWaiting());
        assertFalse(barrier.toString().contains("resetting"), barrier.toString());
        return done();
    }

    @Test
    void barrier_testAbortBarrierWhenTasksHalfDrainingHalfBlocking() {
        runTest(barrierAbortWhenTasksHalfDrainingHalfBlocking());
    }

    /** BarrierTests {@code test_abort_barrier_when_exception} (from threading.Barrier's {@code lock_tests.test_reset}). */
    @Async
    Coroutine<Void> barrierAbortWhenException() {
        Barrier barrier = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();

        await(gatherTasks(N, () -> {
            boolean raised = false;
            try {
                int i = await(barrier.waitFor());
                if (i == N / 2) {
                    throw new IllegalArgumentException("the RuntimeError of the Python test");
                }
                await(barrier.waitFor());
                results1.add(true);
            } catch (BrokenBarrierException e) {
                results2.add(true);
            } catch (IllegalArgumentException e) {
                raised = true;
            }
            if (raised) {
                await(barrier.abort());
            }
            return done();
        }));

        assertTrue(barrier.broken());
        assertEquals(0, results1.size());
        assertEquals(N - 1, results2.size());
        assertEquals(0, barrier.nWaiting());
        return done();
    }

    @Test
    void barrier_testAbortBarrierWhenException() {
        runTest(barrierAbortWhenException());
    }

    /**
     * BarrierTests {@code test_abort_barrier_when_exception_then_resetting} (from threading.Barrier's
     * {@code lock_tests.test_abort_and_reset}).
     */
    @Async
    Coroutine<Void> barrierAbortWhenExceptionThenResetting() {
        Barrier barrier1 = new Barrier(N);
        Barrier barrier2 = new Barrier(N);
        List<Boolean> results1 = new ArrayList<>();
        List<Boolean> results2 = new ArrayList<>();
        List<Boolean> results3 = new ArrayList<>();

        await(gatherTasks(N, () -> {
            boolean raised = false;
            try {
                int i = await(barrier1.waitFor());
                if (i == N / 2) {
                    throw new IllegalArgumentException("the RuntimeError of the Python test");
                }
                await(barrier1.waitFor());
                results1.add(true);
            } catch (BrokenBarrierException e) {
                results2.add(true);
            } catch (IllegalArgumentException e) {
                raised = true;
            }
            if (raised) {
                await(barrier1.abort());
            }

            // Synchronize and reset the barrier. Must synchronize first so that everyone has left it when we
            // reset, and after so that no one enters it before the reset.
            int i = await(barrier2.waitFor());
            if (i == N / 2) {
                await(barrier1.reset());
            }
            await(barrier2.waitFor());
            await(barrier1.waitFor());
            results3.add(true);
            return done();
        }));

        assertFalse(barrier1.broken());
        assertEquals(0, results1.size());
        assertEquals(N - 1, results2.size());
        assertEquals(N, results3.size());
        assertEquals(0, barrier1.nWaiting());
        return done();
    }

    @Test
    void barrier_testAbortBarrierWhenExceptionThenResetting() {
        runTest(barrierAbortWhenExceptionThenResetting());
    }
}
