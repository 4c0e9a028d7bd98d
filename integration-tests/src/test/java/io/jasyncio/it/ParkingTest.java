package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Event.waitFor() parks the task itself in the event's queue (no future, no frame of the wait kept): the paths
 * that parking adds, beyond asyncio's EventTests (SemanticsLocksTest).
 */
class ParkingTest extends AsyncTestBase {
    @Async
    Coroutine<Integer> waiter(Event ev, List<Integer> woken, int n) {
        await(ev.waitFor());
        woken.add(n);
        return done(n);
    }

    /** The wait as a task's own coroutine: there is no caller frame to resume, so the wait stays the task's frame. */
    @Test
    void aTaskWhoseCoroutineIsTheWaitItself() {
        runTest(waitAsTask());
    }

    @Async
    Coroutine<Void> waitAsTask() {
        Event ev = new Event();
        Task<Void> t = createTask(ev.waitFor());
        Task<Void> u = createTask(ev.waitFor());
        await(sleep(0));
        assertTrue(ev.toString().contains("waiters:2"), ev.toString());
        ev.set();
        await(sleep(0));
        assertTrue(t.done() && u.done());
        assertNull(t.result());
        assertNull(u.result());
        return done();
    }

    /** A parked task that is cancelled leaves the queue; the others are woken in order; it is not woken again. */
    @Test
    void cancellingAParkedTaskTakesItOutOfTheQueue() {
        runTest(cancelParked());
    }

    @Async
    Coroutine<Void> cancelParked() {
        Event ev = new Event();
        List<Integer> woken = new ArrayList<>();
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tasks.add(createTask(waiter(ev, woken, i)));
        }
        Task<Void> self = createTask(ev.waitFor());
        await(sleep(0));
        tasks.get(1).cancel("no");
        self.cancel();
        await(sleep(0));
        assertTrue(tasks.get(1).cancelled() && self.cancelled());
        assertTrue(ev.toString().contains("waiters:2"), ev.toString());
        ev.set();
        await(sleep(0));
        assertEquals(List.of(0, 2), woken);
        try {
            await(tasks.get(1));
            fail("awaiting the cancelled task returned");
        } catch (CancelledError e) {
            assertEquals("no", e.getMessage());
        }
        return done();
    }

    /** Cancelled after set() woke it but before it ran: the cancellation wins at its await, as in asyncio. */
    @Test
    void cancelledBetweenItsWakeUpAndItsStep() {
        runTest(cancelWoken());
    }

    @Async
    Coroutine<Void> cancelWoken() {
        Event ev = new Event();
        List<Integer> woken = new ArrayList<>();
        Task<Integer> t = createTask(waiter(ev, woken, 7));
        await(sleep(0));
        ev.set();
        t.cancel();
        await(sleep(0));
        assertTrue(t.cancelled());
        assertEquals(List.of(), woken);
        assertFalse(ev.toString().contains("waiters:"), ev.toString());
        return done();
    }

    /** The event's cached wait is free again as soon as a task parks: a thousand waiters, each woken once. */
    @Test
    void manyWaitersOneSet() {
        assertEquals(1000 * 999 / 2, (int) runTest(many()));
    }

    @Async
    Coroutine<Integer> many() {
        Event ev = new Event();
        List<Integer> woken = new ArrayList<>();
        List<Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tasks.add(createTask(waiter(ev, woken, i)));
        }
        await(sleep(0));
        ev.set();
        int sum = 0;
        for (Task<Integer> t : tasks) {
            sum += await(t);
        }
        assertEquals(1000, woken.size());
        assertEquals(0, woken.get(0));
        assertEquals(999, woken.get(999));
        return done(sum);
    }
}
