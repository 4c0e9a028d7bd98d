package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.taskGroup;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Awaitable;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.LifoQueue;
import io.jasyncio.PriorityQueue;
import io.jasyncio.Queue;
import io.jasyncio.QueueEmptyException;
import io.jasyncio.QueueFullException;
import io.jasyncio.QueueShutDownException;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SEMANTICS.md item 72 (queues), and a port of CPython 3.13's {@code test_asyncio/test_queues.py}.
 *
 * <p>Ported: every test of QueueBasicTests, QueueGetTests, QueuePutTests, LifoQueueTests, PriorityQueueTests, the
 * {@code _QueueJoinTestMixin} and the {@code _QueueShutdownTestMixin} (both run on the three queue classes, as in
 * Python), named {@code queue_testXxx} after the Python test. Skipped, having no meaning in Java:
 * {@code test_repr} (its only difference from {@code test_str} is the object id in {@code repr}; Java has one
 * {@code toString}, ported as {@code test_str}), {@code test_generic_alias} ({@code __class_getitem__}; Java
 * generics are erased), {@code test_float_maxsize} ({@code maxsize} is an {@code int} in Java). There are no
 * loop-argument tests in 3.13's file. Tests that poke at {@code _getters}/{@code _putters}/{@code _unfinished_tasks}
 * use the public {@code toString} (Python's {@code str}) or a real waiting task instead; each says so.
 */
class SemanticsQueuesTest extends AsyncTestBase {

    /** The three queue classes, for the tests that Python runs on each (its mixins). */
    enum Kind {
        QUEUE, LIFO, PRIORITY;

        <T> Queue<T> make() {
            return make(0);
        }

        <T> Queue<T> make(int maxsize) {
            switch (this) {
                case QUEUE:
                    return new Queue<>(maxsize);
                case LIFO:
                    return new LifoQueue<>(maxsize);
                default:
                    return new PriorityQueue<>(maxsize);
            }
        }

        String simpleName() {
            return this == QUEUE ? "Queue" : this == LIFO ? "LifoQueue" : "PriorityQueue";
        }
    }

    /** Awaits {@code c} and returns what it threw, or {@code null} if it returned. */
    @Async
    <T> Coroutine<Throwable> thrownBy(Awaitable<T> c) {
        try {
            await(c);
        } catch (Throwable t) {
            return done(t);
        }
        return done(null);
    }

    @Async
    <T> Coroutine<T> getInto(Queue<T> q, List<String> log, String name) {
        T item = await(q.get());
        log.add(name + " got " + item);
        return done(item);
    }

    @Async
    <T> Coroutine<Void> putLogged(Queue<T> q, T item, List<String> log, String name) {
        await(q.put(item));
        log.add(name + " put " + item);
        return done();
    }

    // ==== SEMANTICS.md item 72 =================================================================================

    @Async
    Coroutine<Void> fifo() {
        Queue<Integer> q = new Queue<>();
        for (int i : new int[] {1, 3, 2, 5, 4}) {
            await(q.put(i));
        }
        List<Integer> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(await(q.get()));
        }
        assertEquals(List.of(1, 3, 2, 5, 4), out, "items come out in the order they went in");
        // waiting getters are served first come, first served
        List<String> log = new ArrayList<>();
        List<Task<Integer>> getters = new ArrayList<>();
        for (String name : new String[] {"A", "B", "C"}) {
            getters.add(createTask(getInto(q, log, name)));
            await(sleep(0)); // each starts waiting before the next one
        }
        q.putNowait(10);
        q.putNowait(20);
        q.putNowait(30);
        for (Task<Integer> t : getters) {
            await(t);
        }
        assertEquals(List.of("A got 10", "B got 20", "C got 30"), log);
        return done();
    }

    /** Q {@code test_order}: a Queue is FIFO, for items and for the getters waiting for them. */
    @Test
    void semantics72_fifo() {
        runTest(fifo());
    }

    @Async
    Coroutine<Void> maxsizeBlocksPut() {
        Queue<Integer> q = new Queue<>(2);
        List<String> log = new ArrayList<>();
        Task<Void> producer = createTask(producesThree(q, log));
        await(sleep(0));
        expect(2);
        assertEquals(List.of("put 0", "put 1"), log, "the third put waits: the queue is full");
        assertTrue(q.full());
        await(sleep(1));
        assertEquals(List.of("put 0", "put 1"), log, "still waiting a second later");
        expect(3);
        assertEquals(0, await(q.get()));
        await(producer);
        expect(5);
        assertEquals(1.0, getRunningLoop().time(), "the put completed as soon as the get made room");
        assertEquals(List.of("put 0", "put 1", "put 2"), log);
        assertEquals(2, q.qsize());
        finish(6);
        return done();
    }

    @Async
    Coroutine<Void> producesThree(Queue<Integer> q, List<String> log) {
        expect(1);
        for (int i = 0; i < 3; i++) {
            await(q.put(i));
            log.add("put " + i);
        }
        expect(4);
        return done();
    }

    /** Q {@code test_maxsize}: {@code put} waits while {@code maxsize} items are in the queue. */
    @Test
    void semantics72_maxsizeBlocksPut() {
        runTest(maxsizeBlocksPut());
    }

    /** Q {@code test_nonblocking_get_exception}, {@code test_nonblocking_put_exception}. */
    @Test
    void semantics72_nonBlockingVariantsThrowEmptyAndFull() {
        Queue<Integer> q = new Queue<>(1);
        QueueEmptyException empty = assertThrows(QueueEmptyException.class, q::getNowait);
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        q.putNowait(1);
        QueueFullException full = assertThrows(QueueFullException.class, () -> q.putNowait(2));
        assertTrue(full.getMessage().contains("is full"), full.getMessage());
        assertEquals(1, q.qsize(), "the refused item was not added");
        assertEquals(1, q.getNowait());
        assertThrows(QueueEmptyException.class, q::getNowait);
        assertEquals("<Queue maxsize=1 tasks=1>", q.toString(), "the refused put counted no task");
    }

    @Async
    Coroutine<Void> joinWaitsForEachTaskDone() {
        Queue<String> q = new Queue<>();
        await(q.join()); // nothing unfinished: at once
        q.putNowait("a");
        q.putNowait("b");
        q.putNowait("c");
        Task<Void> joiner = createTask(joins(q));
        for (int i = 0; i < 3; i++) {
            await(q.get());
        }
        await(sleep(0));
        assertFalse(joiner.done(), "taking the items out is not enough");
        q.taskDone();
        q.taskDone();
        await(sleep(0));
        assertFalse(joiner.done(), "two taskDone() for three items");
        expect(2);
        q.taskDone();
        await(joiner);
        finish(4);
        return done();
    }

    @Async
    Coroutine<Void> joins(Queue<?> q) {
        expect(1);
        await(q.join());
        expect(3);
        return done();
    }

    /** Q {@code test_task_done}: {@code join()} returns once every item put in was reported done. */
    @Test
    void semantics72_joinWaitsForOneTaskDonePerItem() {
        runTest(joinWaitsForEachTaskDone());
    }

    @Async
    Coroutine<Void> extraTaskDone() {
        Queue<Integer> q = new Queue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        // Python 3.13: ValueError: task_done() called too many times
        assertTrue(e.getMessage().contains("taskDone() called too many times"), e.getMessage());
        q.putNowait(1);
        q.getNowait();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
        q.putNowait(2);
        Task<Void> joiner = createTask(q.join());
        await(sleep(0));
        assertFalse(joiner.done(), "the extra taskDone() did not count for the next item");
        q.getNowait();
        q.taskDone();
        await(joiner);
        return done();
    }

    /** Q {@code test_task_done_underflow}: an extra {@code taskDone()} throws and changes nothing. */
    @Test
    void semantics72_extraTaskDoneThrows() {
        runTest(extraTaskDone());
    }

    @Async
    Coroutine<Void> cancelledGetterLosesNoItem() {
        Queue<String> q = new Queue<>();
        List<String> log = new ArrayList<>();
        Task<String> a = createTask(getInto(q, log, "A"));
        Task<String> b = createTask(getInto(q, log, "B"));
        await(sleep(0));
        q.putNowait("x"); // wakes A ...
        a.cancel(); // ... which is cancelled before it runs: the item must go to B
        await(sleep(0));
        await(sleep(0));
        assertTrue(a.cancelled());
        assertEquals("x", b.result());
        assertEquals(List.of("B got x"), log);
        // a getter timed out while waiting leaves nothing behind either
        try {
            await(waitFor(q.get(), 1));
            expectUnreached();
        } catch (TimeoutException expected) {
            // asyncio: TimeoutError
        }
        q.putNowait("y");
        assertEquals("y", await(q.get()));
        // Python 3.13 (the same A/B race): a cancelled True b x <Queue maxsize=0 tasks=1>
        assertEquals("<Queue maxsize=0 tasks=2>", q.toString(), "no getter left waiting, no item lost");
        return done();
    }

    /** Q {@code test_get_cancelled_race}: a getter woken for an item and then cancelled passes it on. */
    @Test
    void semantics72_cancelledGetterLosesNoItem() {
        runTest(cancelledGetterLosesNoItem());
    }

    @Async
    Coroutine<Void> cancelledPutterLosesNoSlot() {
        Queue<String> q = new Queue<>(1);
        q.putNowait("0");
        List<String> log = new ArrayList<>();
        Task<Void> a = createTask(putLogged(q, "a", log, "A"));
        Task<Void> b = createTask(putLogged(q, "b", log, "B"));
        await(sleep(0));
        assertEquals("0", q.getNowait()); // wakes A ...
        a.cancel(); // ... which is cancelled before it runs: the slot must go to B
        await(sleep(0));
        await(sleep(0));
        assertTrue(a.cancelled());
        assertTrue(b.done());
        assertEquals(List.of("B put b"), log);
        // Python 3.13: a cancelled True b done True <Queue maxsize=1 _queue=['b'] tasks=2>
        assertEquals("<Queue maxsize=1 _queue=[b] tasks=2>", q.toString());
        return done();
    }

    /** Q {@code test_put_cancelled_race}: a putter woken for a free slot and then cancelled passes it on. */
    @Test
    void semantics72_cancelledPutterLosesNoSlot() {
        runTest(cancelledPutterLosesNoSlot());
    }

    @Async
    Coroutine<Void> shutdownLetsGettersDrain() {
        Queue<Integer> q = new Queue<>();
        Task<Integer> waiting = createTask(q.get());
        await(sleep(0));
        q.putNowait(1); // wakes the waiting getter
        q.putNowait(2);
        q.shutdown();
        await(sleep(0));
        // Python 3.13: g 1 <Queue maxsize=0 _queue=[2] tasks=2 shutdown> 2 / then QueueShutDown
        assertEquals(1, waiting.result(), "a getter woken before the shutdown gets its item");
        assertEquals("<Queue maxsize=0 _queue=[2] tasks=2 shutdown>", q.toString());
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(q.put(3))));
        assertThrows(QueueShutDownException.class, () -> q.putNowait(3));
        assertEquals(2, await(q.get()), "gets go on while items are left");
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(q.get())));
        assertThrows(QueueShutDownException.class, q::getNowait);
        // a getter waiting on an empty queue is woken by the shutdown and throws
        Queue<Integer> empty = new Queue<>();
        Task<Integer> g = createTask(empty.get());
        await(sleep(0));
        empty.shutdown();
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(g)));
        return done();
    }

    /** Q {@code test_shutdown_nonempty}, {@code test_shutdown_empty}: after {@code shutdown()} gets drain the queue. */
    @Test
    void semantics72_shutdownLetsGettersDrainThenThrows() {
        runTest(shutdownLetsGettersDrain());
    }

    @Async
    Coroutine<Void> shutdownImmediate() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        Task<Void> putter = createTask(q.put(2));
        Task<Void> joiner = createTask(q.join());
        await(sleep(0));
        assertFalse(putter.done());
        assertFalse(joiner.done());
        q.shutdown(true);
        assertEquals(0, q.qsize(), "the items are dropped at once");
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(putter)), "the waiting putter throws");
        await(joiner); // the dropped item counted as done
        // Python 3.13: putter after immediate QueueShutDown <Queue maxsize=1 shutdown>
        assertEquals("<Queue maxsize=1 shutdown>", q.toString());
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(q.get())));
        assertThrows(QueueShutDownException.class, q::getNowait);
        assertThrows(IllegalStateException.class, q::taskDone, "nothing is unfinished any more");
        return done();
    }

    /** Q {@code test_shutdown_immediate}: {@code shutdown(true)} drops the items, each counted done for join. */
    @Test
    void semantics72_shutdownImmediateDropsItemsAndReleasesJoin() {
        runTest(shutdownImmediate());
    }

    // ==== jasyncio's own rules =================================================================================

    @Async
    Coroutine<Void> noNull() {
        Queue<String> q = new Queue<>(1);
        NullPointerException e = assertThrows(NullPointerException.class, () -> q.putNowait(null));
        assertTrue(e.getMessage().contains("no null"), e.getMessage());
        assertThrows(NullPointerException.class, () -> q.put(null), "put(null) throws at the call");
        assertTrue(q.empty());
        assertEquals("<Queue maxsize=1>", q.toString(), "nothing counted");
        await(q.put("x"));
        assertEquals("x", await(q.get()));
        return done();
    }

    /** A jasyncio queue holds no null (Python's holds None): put and putNowait throw NullPointerException. */
    @Test
    void queue_holdsNoNull() {
        runTest(noNull());
    }

    @Async
    Coroutine<Void> priorityWithComparator() {
        Queue<String> q = new PriorityQueue<>(Comparator.reverseOrder());
        for (String s : new String[] {"b", "d", "a", "c"}) {
            await(q.put(s));
        }
        // jasyncio lists the items in the order they come out; Python's str shows its heap list as it is
        // (Python 3.13, PriorityQueue after put 3, 1, 2: <PriorityQueue maxsize=0 _queue=[1, 3, 2] tasks=3>)
        assertEquals("<PriorityQueue maxsize=0 _queue=[d, c, b, a] tasks=4>", q.toString());
        List<String> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(await(q.get()));
        }
        assertEquals(List.of("d", "c", "b", "a"), out);
        Queue<String> bounded = new PriorityQueue<>(2, Comparator.comparing(String::length));
        assertEquals(2, bounded.maxsize());
        bounded.putNowait("ccc");
        bounded.putNowait("a");
        assertThrows(QueueFullException.class, () -> bounded.putNowait("bb"));
        assertEquals("a", bounded.getNowait());
        // natural order with an item that is not Comparable: refused at the put, the queue unchanged
        Queue<Object> natural = new PriorityQueue<>();
        assertThrows(ClassCastException.class, () -> natural.putNowait(new Object()));
        assertTrue(natural.empty());
        assertEquals("<PriorityQueue maxsize=0>", natural.toString(), "nothing counted");
        return done();
    }

    /** PriorityQueue in natural order (PriorityQueueTests.test_order) or by a Comparator. */
    @Test
    void queue_priorityQueueUsesAComparator() {
        runTest(priorityWithComparator());
    }

    @Async
    Coroutine<Void> bindsByWaiting(Queue<Integer> q) {
        try {
            await(waitFor(q.get(), 1)); // waits: binds q to this loop
            expectUnreached();
        } catch (TimeoutException expected) {
            // asyncio: TimeoutError
        }
        q.putNowait(1);
        try {
            await(waitFor(q.join(), 1)); // binds the queue's join event too
            expectUnreached();
        } catch (TimeoutException expected) {
            // asyncio: TimeoutError
        }
        return done();
    }

    @Async
    Coroutine<Void> usedFromSecondLoop(Queue<Integer> q) {
        // Python 3.13: RuntimeError: <Queue at 0x... maxsize=0> is bound to a different event loop
        q.putNowait(2); // operations that do not wait need no loop
        assertEquals(1, q.getNowait());
        assertEquals(2, await(q.get()), "a get that does not wait works");
        Throwable e = await(thrownBy(q.get()));
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
        q.putNowait(3);
        Throwable j = await(thrownBy(q.join()));
        assertInstanceOf(IllegalStateException.class, j);
        assertTrue(j.getMessage().contains("different event loop"), j.getMessage());
        assertEquals(3, q.getNowait(), "the refused get took nothing");
        assertEquals("<Queue maxsize=0 tasks=3>", q.toString(), "no getter left behind");
        return done();
    }

    @Async
    Coroutine<Void> fullFromSecondLoop(Queue<Integer> q) {
        Throwable e = await(thrownBy(q.put(2)));
        assertInstanceOf(IllegalStateException.class, e);
        assertTrue(e.getMessage().contains("different event loop"), e.getMessage());
        assertEquals("<Queue maxsize=1 _queue=[1] tasks=1>", q.toString(), "the refused put added nothing");
        return done();
    }

    @Async
    Coroutine<Void> bindsPutter(Queue<Integer> q) {
        q.putNowait(1);
        try {
            await(waitFor(q.put(9), 1));
            expectUnreached();
        } catch (TimeoutException expected) {
            // asyncio: TimeoutError
        }
        return done();
    }

    /** A queue belongs to the loop that first waited on it (asyncio's _LoopBoundMixin): waiting from another throws. */
    @Test
    void queue_usedFromASecondLoopThrows() {
        Queue<Integer> q = new Queue<>();
        runTest(bindsByWaiting(q));
        runTest(usedFromSecondLoop(q));
        Queue<Integer> bounded = new Queue<>(1);
        runTest(bindsPutter(bounded));
        runTest(fullFromSecondLoop(bounded));
    }

    @Async
    Coroutine<Void> noLoopIteration() {
        Queue<Integer> q = new Queue<>(1);
        boolean[] ran = {false};
        getRunningLoop().callSoon(() -> ran[0] = true);
        Coroutine<Void> p1 = q.put(1);
        await(p1);
        Coroutine<Integer> g1 = q.get();
        assertEquals(1, await(g1));
        assertFalse(ran[0], "a put with room and a get of a held item did not go through the loop");
        Coroutine<Void> p2 = q.put(2);
        assertSame(p1, p2, "the completed put is handed out again");
        await(p2);
        Coroutine<Integer> g2 = q.get();
        assertSame(g1, g2, "the completed get is handed out again");
        assertEquals(2, await(g2));
        assertFalse(ran[0]);
        // while one is handed out and not yet done, the next call gets another coroutine
        Coroutine<Integer> lent = q.get();
        Coroutine<Integer> other = q.get();
        assertSame(g1, lent);
        assertNotSame(lent, other);
        q.putNowait(3);
        assertEquals(3, await(other));
        q.putNowait(4);
        assertEquals(4, await(lent));
        assertFalse(ran[0]);
        await(sleep(0));
        assertTrue(ran[0], "the callback runs at the next iteration");
        // a get that had to wait is handed out again once it completed too
        Coroutine<Integer> third = q.get();
        assertSame(lent, third);
        Task<Integer> waiting = createTask(third);
        await(sleep(0));
        assertNotSame(lent, q.get(), "still lent while it waits");
        q.putNowait(5);
        assertEquals(5, await(waiting));
        Coroutine<Integer> again = q.get();
        assertSame(lent, again);
        q.putNowait(6);
        assertEquals(6, await(again));
        assertEquals(0.0, getRunningLoop().time());
        return done();
    }

    /**
     * The cost rule of issue 7: a get that finds an item and a put that finds room complete without a loop
     * iteration, and the next get()/put() returns the same coroutine object once the first completed (Op's reuse).
     */
    @Test
    void queue_nonBlockingPutAndGetSkipTheLoopAndReuseTheirCoroutine() {
        runTest(noLoopIteration());
    }

    @Async
    Coroutine<Void> newcomerTakesWokenItem() {
        Queue<Integer> q = new Queue<>();
        List<String> log = new ArrayList<>();
        Task<Integer> a = createTask(getInto(q, log, "A"));
        await(sleep(0));
        q.putNowait(1); // wakes A
        log.add("main got " + await(q.get())); // a newcomer finds the item in the queue and takes it
        await(sleep(0));
        // Python 3.13: after sleep: ['main got 1'] A done: False <Queue maxsize=0 _getters[1] tasks=1>
        assertFalse(a.done());
        assertEquals("<Queue maxsize=0 _getters[1] tasks=1>", q.toString(), "A waits again");
        q.putNowait(2);
        await(a);
        // Python 3.13: ['main got 1', 'A got 2']
        assertEquals(List.of("main got 1", "A got 2"), log);
        return done();
    }

    /**
     * As asyncio's Queue (unlike its Lock): a getter woken for an item does not reserve it; a get() that finds the
     * item before the woken getter runs takes it, and the woken getter waits again.
     */
    @Test
    void queue_newcomerTakesTheItemOfAWokenGetterAsInAsyncio() {
        runTest(newcomerTakesWokenItem());
    }

    @Async
    Coroutine<Void> cancelledBeforeStarting() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        Coroutine<Integer> first = q.get();
        try {
            await(waitFor(first, 0));
            expectUnreached();
        } catch (TimeoutException expected) {
            // Python 3.13: wait_for 0: TimeoutError, qsize 1
        }
        assertEquals(1, q.qsize(), "the get, cancelled before it started, took nothing");
        Coroutine<Integer> g = q.get();
        assertSame(first, g, "the get cancelled before it started is handed out again (the cost rule)");
        Task<Integer> t = createTask(g);
        t.cancel();
        assertInstanceOf(CancelledError.class, await(thrownBy(t)));
        assertEquals("<Queue maxsize=1 _queue=[1] tasks=1>", q.toString());
        Coroutine<Integer> h = q.get();
        assertSame(g, h, "the cancelled get was given back for reuse");
        assertEquals(1, await(h));
        return done();
    }

    /** A get cancelled before it starts (waitFor with a zero timeout, a task cancelled at once) takes no item. */
    @Test
    void semantics72_getCancelledBeforeItStartsTakesNoItem() {
        runTest(cancelledBeforeStarting());
    }

    @Async
    Coroutine<Void> negativeMaxsize() {
        Queue<Integer> q = new Queue<>(-1);
        for (int i = 0; i < 5; i++) {
            await(q.put(i));
        }
        // Python 3.13: neg maxsize full: False -1
        assertFalse(q.full());
        assertEquals(-1, q.maxsize());
        assertEquals(5, q.qsize());
        return done();
    }

    /** A zero or negative maxsize means unbounded, as in asyncio (its docstring: "less than or equal to zero"). */
    @Test
    void queue_negativeMaxsizeIsUnbounded() {
        runTest(negativeMaxsize());
    }

    // ==== test_queues.py: QueueBasicTests ======================================================================

    @Async
    Coroutine<Void> str() {
        Queue<Integer> q = new Queue<>();
        assertTrue(q.toString().startsWith("<Queue"), q.toString());
        Queue<Integer> q2 = new Queue<>();
        Task<Integer>[] getter = newTaskArray();
        await(taskGroup(tg -> {
            getter[0] = tg.createTask(q2.get());
            await(sleep(0));
            assertTrue(q2.toString().contains("_getters[1]"), q2.toString());
            q2.putNowait(0);
            return done();
        }));
        assertEquals(0, await(getter[0]));
        Queue<Integer> q3 = new Queue<>(1);
        Task<Void>[] putter = newTaskArray();
        await(taskGroup(tg -> {
            q3.putNowait(1);
            putter[0] = tg.createTask(q3.put(2));
            await(sleep(0));
            assertTrue(q3.toString().contains("_putters[1]"), q3.toString());
            q3.getNowait();
            return done();
        }));
        assertTrue(putter[0].done());
        Queue<Integer> q4 = new Queue<>();
        q4.putNowait(1);
        assertTrue(q4.toString().contains("_queue=[1]"), q4.toString());
        return done();
    }

    @SuppressWarnings("unchecked") // an array of a generic type, for a task created inside a lambda
    private static <T> Task<T>[] newTaskArray() {
        return (Task<T>[]) new Task<?>[1];
    }

    /** Q QueueBasicTests.test_str (and test_repr without the object id, which Java's toString has not). */
    @Test
    void queue_testStr() {
        runTest(str());
    }

    @Async
    Coroutine<Void> empty() {
        Queue<Integer> q = new Queue<>();
        assertTrue(q.empty());
        await(q.put(1));
        assertFalse(q.empty());
        assertEquals(1, await(q.get()));
        assertTrue(q.empty());
        return done();
    }

    /** Q QueueBasicTests.test_empty. */
    @Test
    void queue_testEmpty() {
        runTest(empty());
    }

    @Async
    Coroutine<Void> full() {
        Queue<Integer> q = new Queue<>();
        assertFalse(q.full());
        Queue<Integer> q1 = new Queue<>(1);
        await(q1.put(1));
        assertTrue(q1.full());
        return done();
    }

    /** Q QueueBasicTests.test_full. */
    @Test
    void queue_testFull() {
        runTest(full());
    }

    @Async
    Coroutine<List<Integer>> orderOf(Queue<Integer> q) {
        for (int i : new int[] {1, 3, 2}) {
            await(q.put(i));
        }
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(await(q.get()));
        }
        return done(items);
    }

    /** Q QueueBasicTests.test_order. */
    @Test
    void queue_testOrder() {
        assertEquals(List.of(1, 3, 2), runTest(orderOf(new Queue<>())));
    }

    @Async
    Coroutine<Void> maxsize() {
        Queue<Integer> q = new Queue<>(2);
        assertEquals(2, q.maxsize());
        List<Integer> haveBeenPut = new ArrayList<>();
        Task<Boolean> t = createTask(putsThree(q, haveBeenPut));
        for (int i = 0; i < 2; i++) {
            await(sleep(0));
        }
        assertEquals(List.of(0, 1), haveBeenPut, "the putter is blocked after putting two items");
        assertEquals(0, await(q.get()));
        await(sleep(0)); // let the putter resume and put the last item
        assertEquals(List.of(0, 1, 2), haveBeenPut);
        assertEquals(1, await(q.get()));
        assertEquals(2, await(q.get()));
        assertTrue(t.done());
        assertTrue(t.result());
        return done();
    }

    @Async
    Coroutine<Boolean> putsThree(Queue<Integer> q, List<Integer> haveBeenPut) {
        for (int i = 0; i < 3; i++) {
            await(q.put(i));
            haveBeenPut.add(i);
        }
        return done(true);
    }

    /** Q QueueBasicTests.test_maxsize. */
    @Test
    void queue_testMaxsize() {
        runTest(maxsize());
    }

    // ==== test_queues.py: QueueGetTests ========================================================================

    @Async
    Coroutine<Void> blockingGet() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        assertEquals(1, await(q.get()));
        return done();
    }

    /** Q QueueGetTests.test_blocking_get. */
    @Test
    void queue_testBlockingGet() {
        runTest(blockingGet());
    }

    @Async
    Coroutine<Void> getWithPutters() {
        Queue<Integer> q = new Queue<>(1);
        await(q.put(1));
        // Python appends a bare future to q._putters; here a real putter waits in its place
        Task<Void> putter = createTask(q.put(2));
        await(sleep(0));
        assertFalse(putter.done());
        assertEquals(1, await(q.get()));
        await(sleep(0));
        assertTrue(putter.done(), "the get woke the putter");
        assertNull(putter.result());
        assertEquals(2, q.getNowait());
        return done();
    }

    /** Q QueueGetTests.test_get_with_putters (a real waiting putter instead of a future put in _putters). */
    @Test
    void queue_testGetWithPutters() {
        runTest(getWithPutters());
    }

    @Async
    Coroutine<Void> blockingGetWait() {
        Queue<Integer> q = new Queue<>();
        io.jasyncio.Event started = new io.jasyncio.Event();
        boolean[] finished = {false};
        Task<Integer> queueGetTask = createTask(queueGet(q, started, finished));
        await(started.waitFor());
        assertFalse(finished[0]);
        getRunningLoop().callLater(0.01, () -> q.putNowait(1));
        int res = await(queueGetTask);
        assertTrue(finished[0]);
        assertEquals(1, res);
        assertEquals(0.01, getRunningLoop().time(), 1e-9);
        return done();
    }

    @Async
    Coroutine<Integer> queueGet(Queue<Integer> q, io.jasyncio.Event started, boolean[] finished) {
        started.set();
        int res = await(q.get());
        finished[0] = true;
        return done(res);
    }

    /** Q QueueGetTests.test_blocking_get_wait. */
    @Test
    void queue_testBlockingGetWait() {
        runTest(blockingGetWait());
    }

    /** Q QueueGetTests.test_nonblocking_get. */
    @Test
    void queue_testNonblockingGet() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    /** Q QueueGetTests.test_nonblocking_get_exception. */
    @Test
    void queue_testNonblockingGetException() {
        Queue<Integer> q = new Queue<>();
        assertThrows(QueueEmptyException.class, q::getNowait);
    }

    @Async
    Coroutine<Void> getCancelledRace() {
        Queue<String> q = new Queue<>();
        Task<String> t1 = createTask(q.get());
        Task<String> t2 = createTask(q.get());
        await(sleep(0));
        t1.cancel();
        await(sleep(0));
        assertTrue(t1.done());
        await(q.put("a"));
        await(sleep(0));
        assertEquals("a", await(t2));
        return done();
    }

    /** Q QueueGetTests.test_get_cancelled_race. */
    @Test
    void queue_testGetCancelledRace() {
        runTest(getCancelledRace());
    }

    @Async
    Coroutine<Void> getWithWaitingPutters() {
        Queue<String> q = new Queue<>(1);
        Task<Void> a = createTask(q.put("a"));
        Task<Void> b = createTask(q.put("b"));
        assertEquals("a", await(q.get()));
        assertEquals("b", await(q.get()));
        await(a); // Python leaves them to the test case's teardown
        await(b);
        return done();
    }

    /** Q QueueGetTests.test_get_with_waiting_putters. */
    @Test
    void queue_testGetWithWaitingPutters() {
        runTest(getWithWaitingPutters());
    }

    @Async
    Coroutine<Void> consumer(Queue<Integer> queue, int numExpected, List<Integer> got) {
        for (int i = 0; i < numExpected; i++) {
            got.add(await(queue.get()));
        }
        return done();
    }

    @Async
    Coroutine<Void> producer(Queue<Integer> queue, int numItems) {
        for (int i = 0; i < numItems; i++) {
            await(queue.put(i));
        }
        return done();
    }

    @Async
    Coroutine<Void> whyAreGettersWaiting() {
        int producerNumItems = 5;
        Queue<Integer> q = new Queue<>(1);
        List<Integer> got = new ArrayList<>();
        await(taskGroup(tg -> {
            tg.createTask(producer(q, producerNumItems));
            tg.createTask(consumer(q, producerNumItems, got));
            return done();
        }));
        // Python only checks that the group ends (no getter left waiting for ever)
        assertEquals(List.of(0, 1, 2, 3, 4), got);
        assertEquals("<Queue maxsize=1 tasks=5>", q.toString());
        return done();
    }

    /** Q QueueGetTests.test_why_are_getters_waiting. */
    @Test
    void queue_testWhyAreGettersWaiting() {
        runTest(whyAreGettersWaiting());
    }

    @Async
    Coroutine<Void> cancelledGettersNotHeld() {
        Queue<Integer> queue = new Queue<>(5);
        try {
            await(waitFor(queue.get(), 0.1));
            expectUnreached();
        } catch (TimeoutException expected) {
            // asyncio: TimeoutError
        }
        // Python: len(queue._getters) == 0
        assertFalse(queue.toString().contains("_getters"), queue.toString());
        assertEquals("<Queue maxsize=5>", queue.toString());
        return done();
    }

    /** Q QueueGetTests.test_cancelled_getters_not_being_held_in_self_getters (through toString). */
    @Test
    void queue_testCancelledGettersNotBeingHeldInSelfGetters() {
        runTest(cancelledGettersNotHeld());
    }

    // ==== test_queues.py: QueuePutTests ========================================================================

    @Async
    Coroutine<Void> blockingPut() {
        Queue<Integer> q = new Queue<>();
        await(q.put(1)); // no maxsize, won't block
        assertEquals(1, await(q.get()));
        return done();
    }

    /** Q QueuePutTests.test_blocking_put. */
    @Test
    void queue_testBlockingPut() {
        runTest(blockingPut());
    }

    @Async
    Coroutine<Void> blockingPutWait() {
        Queue<Integer> q = new Queue<>(1);
        io.jasyncio.Event started = new io.jasyncio.Event();
        boolean[] finished = {false};
        getRunningLoop().callLater(0.01, q::getNowait);
        Task<Void> queuePutTask = createTask(queuePut(q, started, finished));
        await(started.waitFor());
        assertFalse(finished[0]);
        await(queuePutTask);
        assertTrue(finished[0]);
        assertEquals(0.01, getRunningLoop().time(), 1e-9, "the second put waited for the get");
        return done();
    }

    @Async
    Coroutine<Void> queuePut(Queue<Integer> q, io.jasyncio.Event started, boolean[] finished) {
        started.set();
        await(q.put(1));
        await(q.put(2));
        finished[0] = true;
        return done();
    }

    /** Q QueuePutTests.test_blocking_put_wait. */
    @Test
    void queue_testBlockingPutWait() {
        runTest(blockingPutWait());
    }

    /** Q QueuePutTests.test_nonblocking_put. */
    @Test
    void queue_testNonblockingPut() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    @Async
    Coroutine<Void> getCancelDropOnePendingReader() {
        Queue<Integer> q = new Queue<>();
        Task<Integer> reader = createTask(q.get());
        await(sleep(0));
        q.putNowait(1);
        q.putNowait(2);
        reader.cancel();
        try {
            await(reader);
        } catch (CancelledError e) {
            reader = createTask(q.get()); // try again
            await(reader);
        }
        // if we get 2, it means 1 got dropped!
        assertEquals(1, reader.result());
        return done();
    }

    /** Q QueuePutTests.test_get_cancel_drop_one_pending_reader. */
    @Test
    void queue_testGetCancelDropOnePendingReader() {
        runTest(getCancelDropOnePendingReader());
    }

    @Async
    Coroutine<Void> getCancelDropManyPendingReaders() {
        Queue<Integer> q = new Queue<>();
        Task<Integer>[] readers = newTaskArray3();
        await(taskGroup(tg -> {
            readers[0] = tg.createTask(q.get());
            readers[1] = tg.createTask(q.get());
            readers[2] = tg.createTask(q.get());
            await(sleep(0));
            q.putNowait(1);
            q.putNowait(2);
            readers[0].cancel();
            try {
                await(readers[0]);
                expectUnreached();
            } catch (CancelledError expected) {
                // the reader was cancelled
            }
            await(readers[2]);
            return done();
        }));
        // it is undefined in which order concurrent readers receive results
        assertEquals(Set.of(1, 2), Set.of(readers[1].result(), readers[2].result()));
        return done();
    }

    @SuppressWarnings("unchecked") // an array of a generic type, for tasks created inside a lambda
    private static <T> Task<T>[] newTaskArray3() {
        return (Task<T>[]) new Task<?>[3];
    }

    /** Q QueuePutTests.test_get_cancel_drop_many_pending_readers. */
    @Test
    void queue_testGetCancelDropManyPendingReaders() {
        runTest(getCancelDropManyPendingReaders());
    }

    @Async
    Coroutine<Void> putCancelDrop() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        Task<Void> writer = createTask(q.put(2)); // has to block
        await(sleep(0));
        assertEquals(1, q.getNowait());
        writer.cancel();
        try {
            await(writer);
        } catch (CancelledError e) {
            writer = createTask(q.put(2)); // try again
            await(writer);
        }
        assertEquals(2, q.getNowait());
        assertEquals(0, q.qsize());
        return done();
    }

    /** Q QueuePutTests.test_put_cancel_drop. */
    @Test
    void queue_testPutCancelDrop() {
        runTest(putCancelDrop());
    }

    /** Q QueuePutTests.test_nonblocking_put_exception. */
    @Test
    void queue_testNonblockingPutException() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        assertThrows(QueueFullException.class, () -> q.putNowait(2));
    }

    @Async
    Coroutine<Boolean> queuePutReturnsTrue(Queue<Integer> q) {
        await(q.put(1));
        return done(true);
    }

    @Async
    Coroutine<Void> putCancelled() {
        Queue<Integer> q = new Queue<>();
        Task<Boolean> t = createTask(queuePutReturnsTrue(q));
        assertEquals(1, await(q.get()));
        assertTrue(t.done());
        assertTrue(t.result());
        return done();
    }

    /** Q QueuePutTests.test_put_cancelled. */
    @Test
    void queue_testPutCancelled() {
        runTest(putCancelled());
    }

    @Async
    Coroutine<Void> putCancelledRace() {
        Queue<String> q = new Queue<>(1);
        Task<Void> putA = createTask(q.put("a"));
        Task<Void> putB = createTask(q.put("b"));
        Task<Void> putC = createTask(q.put("X"));
        await(sleep(0));
        assertTrue(putA.done());
        assertFalse(putB.done());
        putC.cancel();
        await(sleep(0));
        assertTrue(putC.done());
        assertEquals("a", q.getNowait());
        await(sleep(0));
        assertEquals("b", q.getNowait());
        await(putB);
        return done();
    }

    /** Q QueuePutTests.test_put_cancelled_race. */
    @Test
    void queue_testPutCancelledRace() {
        runTest(putCancelledRace());
    }

    @Async
    Coroutine<Void> putWithWaitingGetters() {
        Queue<String> q = new Queue<>();
        Task<String> t = createTask(q.get());
        await(sleep(0));
        await(q.put("a"));
        assertEquals("a", await(t));
        return done();
    }

    /** Q QueuePutTests.test_put_with_waiting_getters. */
    @Test
    void queue_testPutWithWaitingGetters() {
        runTest(putWithWaitingGetters());
    }

    @Async
    Coroutine<Void> drains(Queue<Integer> queue, List<Integer> got) {
        await(sleep(0));
        int num = queue.qsize();
        for (int i = 0; i < num; i++) {
            got.add(queue.getNowait());
        }
        return done();
    }

    @Async
    Coroutine<Void> whyArePuttersWaiting() {
        Queue<Integer> queue = new Queue<>(2);
        List<Integer> got = new ArrayList<>();
        await(taskGroup(tg -> {
            tg.createTask(drains(queue, got));
            for (int i = 0; i < 4; i++) {
                tg.createTask(queue.put(i));
            }
            return done();
        }));
        // Python only checks that the group ends (every putter woken in turn)
        assertEquals(List.of(0, 1), got);
        assertEquals("<Queue maxsize=2 _queue=[2, 3] tasks=4>", queue.toString());
        return done();
    }

    /** Q QueuePutTests.test_why_are_putters_waiting. */
    @Test
    void queue_testWhyArePuttersWaiting() {
        runTest(whyArePuttersWaiting());
    }

    @Async
    Coroutine<Void> cancelledPutsNotHeld() {
        Queue<Integer> queue = new Queue<>(1);
        queue.putNowait(1);
        Task<Void> putTask = createTask(queue.put(1));
        await(sleep(0));
        // Python: len(queue._putters) == 1, then 0
        assertTrue(queue.toString().contains("_putters[1]"), queue.toString());
        putTask.cancel();
        try {
            await(putTask);
            expectUnreached();
        } catch (CancelledError expected) {
            // cancelled
        }
        assertFalse(queue.toString().contains("_putters"), queue.toString());
        return done();
    }

    /** Q QueuePutTests.test_cancelled_puts_not_being_held_in_self_putters (through toString). */
    @Test
    void queue_testCancelledPutsNotBeingHeldInSelfPutters() {
        runTest(cancelledPutsNotHeld());
    }

    @Async
    Coroutine<Void> cancelledPutSilenceValueError() {
        Queue<Integer> queue = new Queue<>(1);
        queue.putNowait(1);
        Task<Void> putTask = createTask(queue.put(1));
        await(sleep(0));
        queue.getNowait(); // removes the putter's future from the putters
        putTask.cancel(); // the putter's own removal finds nothing to remove: no error but the cancellation
        try {
            await(putTask);
            expectUnreached();
        } catch (CancelledError expected) {
            // cancelled
        }
        assertEquals("<Queue maxsize=1 tasks=1>", queue.toString(), "the cancelled put added nothing");
        return done();
    }

    /** Q QueuePutTests.test_cancelled_put_silence_value_error_exception. */
    @Test
    void queue_testCancelledPutSilenceValueErrorException() {
        runTest(cancelledPutSilenceValueError());
    }

    // ==== test_queues.py: LifoQueueTests, PriorityQueueTests ===================================================

    /** Q LifoQueueTests.test_order. */
    @Test
    void queue_testLifoOrder() {
        assertEquals(List.of(2, 3, 1), runTest(orderOf(new LifoQueue<>())));
    }

    /** Q PriorityQueueTests.test_order. */
    @Test
    void queue_testPriorityOrder() {
        assertEquals(List.of(1, 2, 3), runTest(orderOf(new PriorityQueue<>())));
    }

    // ==== test_queues.py: _QueueJoinTestMixin, on Queue, LifoQueue and PriorityQueue ===========================

    /** Q _QueueJoinTestMixin.test_task_done_underflow. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testTaskDoneUnderflow(Kind kind) {
        Queue<Integer> q = kind.make();
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @Async
    Coroutine<Void> worker(Queue<Integer> q, int[] accumulator, boolean[] running) {
        while (running[0]) {
            int item = await(q.get());
            accumulator[0] += item;
            q.taskDone();
        }
        return done();
    }

    @Async
    Coroutine<Void> taskDone(Kind kind) {
        Queue<Integer> q = kind.make();
        for (int i = 0; i < 100; i++) {
            q.putNowait(i);
        }
        int[] accumulator = {0};
        boolean[] running = {true};
        await(taskGroup(tg -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int index = 0; index < 2; index++) {
                tasks.add(tg.createTask(worker(q, accumulator, running)));
            }
            await(q.join());
            assertEquals(4950, accumulator[0]); // sum(range(100))
            running[0] = false; // close the running workers
            for (int i = 0; i < tasks.size(); i++) {
                q.putNowait(0);
            }
            return done();
        }));
        return done();
    }

    /** Q _QueueJoinTestMixin.test_task_done. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testTaskDone(Kind kind) {
        runTest(taskDone(kind));
    }

    @Async
    Coroutine<Void> joinEmptyQueue(Kind kind) {
        Queue<Integer> q = kind.make();
        boolean[] ran = {false};
        getRunningLoop().callSoon(() -> ran[0] = true);
        await(q.join()); // done twice for insurance
        await(q.join());
        assertFalse(ran[0], "join() of a queue with nothing unfinished returned before anything else");
        return done();
    }

    /** Q _QueueJoinTestMixin.test_join_empty_queue. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testJoinEmptyQueue(Kind kind) {
        runTest(joinEmptyQueue(kind));
    }

    /** Q _QueueJoinTestMixin.test_format (Python sets _unfinished_tasks = 2; two items put and taken out here). */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testFormat(Kind kind) {
        Queue<Integer> q = kind.make();
        assertEquals("<" + kind.simpleName() + " maxsize=0>", q.toString());
        q.putNowait(1);
        q.putNowait(2);
        q.getNowait();
        q.getNowait();
        assertEquals("<" + kind.simpleName() + " maxsize=0 tasks=2>", q.toString());
    }

    // ==== test_queues.py: _QueueShutdownTestMixin, on Queue, LifoQueue and PriorityQueue =======================

    /** Q _QueueShutdownTestMixin.test_format. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testShutdownFormat(Kind kind) {
        Queue<Integer> q = kind.make();
        q.shutdown();
        assertEquals("<" + kind.simpleName() + " maxsize=0 shutdown>", q.toString());
    }

    /** Awaits a put, a putNowait, a get and a getNowait, each of which must throw QueueShutDownException. */
    @Async
    Coroutine<Void> assertAllShutDown(Queue<String> q) {
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(q.put("data"))), "put");
        assertThrows(QueueShutDownException.class, () -> q.putNowait("data"), "putNowait");
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(q.get())), "get");
        assertThrows(QueueShutDownException.class, q::getNowait, "getNowait");
        return done();
    }

    @Async
    Coroutine<Void> shutdownEmpty(Kind kind) {
        Queue<String> q = kind.make();
        Task<String> getTask = getRunningLoop().createTask(q.get());
        await(sleep(0)); // the get task is pending before the shutdown
        q.shutdown(false); // unfinished tasks: 0 -> 0
        assertEquals(0, q.qsize());
        await(q.join());
        await(sleep(0));
        assertTrue(getTask.done());
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(getTask)));
        await(assertAllShutDown(q));
        return done();
    }

    /** Q _QueueShutdownTestMixin.test_shutdown_empty. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testShutdownEmpty(Kind kind) {
        runTest(shutdownEmpty(kind));
    }

    @Async
    Coroutine<Void> shutdownNonempty(Kind kind) {
        Queue<String> q = kind.make(1);
        q.putNowait("data");
        Task<Void> joinTask = getRunningLoop().createTask(q.join());
        Task<Void> putTask = getRunningLoop().createTask(q.put("data2"));
        await(sleep(0));
        assertFalse(putTask.done());
        q.shutdown(false); // unfinished tasks: 1 -> 1
        assertEquals(1, q.qsize());
        await(sleep(0));
        assertTrue(putTask.done());
        assertInstanceOf(QueueShutDownException.class, await(thrownBy(putTask)));
        assertEquals("data", await(q.get()), "get succeeds on the item left");
        await(sleep(0));
        assertFalse(joinTask.done());
        await(assertAllShutDown(q));
        q.taskDone(); // there is one unfinished task
        await(sleep(0));
        assertTrue(joinTask.done());
        await(joinTask);
        assertThrows(IllegalStateException.class, q::taskDone, "all tasks were marked done");
        return done();
    }

    /** Q _QueueShutdownTestMixin.test_shutdown_nonempty. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testShutdownNonempty(Kind kind) {
        runTest(shutdownNonempty(kind));
    }

    @Async
    Coroutine<Void> shutdownImmediate(Kind kind) {
        Queue<String> q = kind.make();
        q.putNowait("data");
        Task<Void> joinTask = getRunningLoop().createTask(q.join());
        q.shutdown(true); // unfinished tasks: 1 -> 0
        assertEquals(0, q.qsize());
        await(sleep(0));
        assertTrue(joinTask.done());
        await(joinTask);
        await(assertAllShutDown(q));
        assertThrows(IllegalStateException.class, q::taskDone, "no unfinished tasks");
        return done();
    }

    /** Q _QueueShutdownTestMixin.test_shutdown_immediate. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testShutdownImmediate(Kind kind) {
        runTest(shutdownImmediate(kind));
    }

    @Async
    Coroutine<Void> shutdownImmediateWithUnfinished(Kind kind) {
        Queue<String> q = kind.make();
        q.putNowait("data");
        q.putNowait("data");
        Task<Void> joinTask = getRunningLoop().createTask(q.join());
        assertEquals("data", await(q.get()));
        q.shutdown(true); // unfinished tasks: 2 -> 1
        assertEquals(0, q.qsize());
        await(sleep(0));
        assertFalse(joinTask.done());
        await(assertAllShutDown(q));
        q.taskDone(); // there is one unfinished task
        assertThrows(IllegalStateException.class, q::taskDone, "all tasks were marked done");
        await(sleep(0));
        assertTrue(joinTask.done());
        await(joinTask);
        return done();
    }

    /** Q _QueueShutdownTestMixin.test_shutdown_immediate_with_unfinished. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void queue_testShutdownImmediateWithUnfinished(Kind kind) {
        runTest(shutdownImmediateWithUnfinished(kind));
    }
}
