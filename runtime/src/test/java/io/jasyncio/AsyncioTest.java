package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Asyncio.run and the loop accessors (SEMANTICS 60-61). run() uses a real-time loop: nothing here waits. */
class AsyncioTest extends LoopTestBase {

    @Test
    void run_returnsTheResultOfMain() {
        assertEquals(42, Asyncio.run(Asyncio.sleep(0.0, 42)));
    }

    @Test
    void run_throwsTheExceptionOfMainUnchangedAndClosesTheLoop() {
        IllegalStateException boom = new IllegalStateException("boom");
        EventLoop[] used = new EventLoop[1];
        Body<String> main = Body.of(() -> {
            used[0] = Asyncio.getRunningLoop();
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Asyncio.run(main)));
        assertTrue(used[0].isClosed());
    }

    @Test
    void run_cancelsLeftoverTasksAndClosesTheLoop() {
        EventLoop[] used = new EventLoop[1];
        List<Task<?>> leftovers = new ArrayList<>();
        Body<String> main = Body.of(() -> {
            used[0] = Asyncio.getRunningLoop();
            leftovers.add(Asyncio.createTask(Asyncio.sleep(3600.0), "sleeper"));
            leftovers.add(Asyncio.createTask(Awaiting.of(Asyncio.getRunningLoop().<String>createFuture())));
            return "main";
        });
        long start = System.nanoTime();
        assertEquals("main", Asyncio.run(main));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "run() must not wait for the sleeper");
        for (Task<?> t : leftovers) {
            assertTrue(t.cancelled(), t.toString());
        }
        assertTrue(used[0].isClosed());
        assertFalse(used[0].isRunning());
    }

    @Test
    void run_reportsAFailedTaskNobodyAwaited() {
        IllegalStateException lost = new IllegalStateException("lost");
        Body<Integer> main = Body.of(() -> {
            Asyncio.createTask(Body.of(() -> {
                throw lost;
            }));
            return 1; // the task fails in the next iteration, in which main's runUntilComplete also stops
        });
        assertEquals(1, Asyncio.run(main));
        LogRecord r = reported.takeOne();
        assertSame(lost, r.getThrown());
        Reported.failIfNotContains(r, "never retrieved");
    }

    @Test
    void run_insideARunningLoopThrowsAndStartsNothing() {
        Body<String> main = Body.of(() -> "should not run");
        AtomicReference<Throwable> refused = new AtomicReference<>();
        loop.callSoon(() -> refused.set(EventLoopTest.catching(() -> Asyncio.run(main))));
        runOnce();
        assertTrue(refused.get() instanceof IllegalStateException, String.valueOf(refused.get()));
        assertEquals(0, main.runs);
        assertFalse(loop.isClosed());
    }

    @Test
    void run_insideRunThrows() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Asyncio.run(Body.run(() -> refused.set(EventLoopTest.catching(() -> Asyncio.run(Asyncio.sleep(0))))));
        assertTrue(refused.get() instanceof IllegalStateException, String.valueOf(refused.get()));
    }

    @Test
    void run_makesItsLoopTheCurrentOneAndRestoresThePreviousAfter() {
        EventLoop mine = track(Asyncio.newEventLoop());
        Asyncio.setEventLoop(mine);
        EventLoop during = Asyncio.run(Body.of(Asyncio::getEventLoop));
        assertNotSame(mine, during);
        assertTrue(during.isClosed());
        assertSame(mine, Asyncio.getEventLoop());
    }

    @Test
    void getRunningLoop_outsideALoopThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertEquals("no running event loop", e.getMessage());
    }

    @Test
    void getRunningLoop_insideACallbackIsThatLoop() {
        List<EventLoop> seen = new ArrayList<>();
        loop.callSoon(() -> seen.add(Asyncio.getRunningLoop()));
        runOnce();
        assertEquals(List.of(loop), seen);
        assertThrows(IllegalStateException.class, Asyncio::getRunningLoop); // and not after
    }

    @Test
    void getEventLoop_createsOneLoopPerThreadAndRemembersIt() {
        Asyncio.setEventLoop(null);
        EventLoop first = track(Asyncio.getEventLoop());
        assertNotNull(first);
        assertSame(first, Asyncio.getEventLoop());
        assertFalse(first.isRunning());
        first.close();
        EventLoop second = track(Asyncio.getEventLoop()); // a closed current loop is replaced
        assertNotSame(first, second);
        assertFalse(second.isClosed());
    }

    @Test
    void getEventLoop_isPerThread() throws InterruptedException {
        EventLoop here = track(Asyncio.getEventLoop());
        AtomicReference<EventLoop> there = new AtomicReference<>();
        Thread t = new Thread(() -> there.set(Asyncio.getEventLoop()));
        t.start();
        t.join();
        track(there.get());
        assertNotSame(here, there.get());
    }

    @Test
    void getEventLoop_returnsTheSetLoopOrTheRunningOne() {
        EventLoop mine = track(Asyncio.newEventLoop());
        Asyncio.setEventLoop(mine);
        assertSame(mine, Asyncio.getEventLoop());
        List<EventLoop> seen = new ArrayList<>();
        loop.callSoon(() -> seen.add(Asyncio.getEventLoop()));
        runOnce();
        assertEquals(List.of(loop), seen); // the running loop wins
        assertSame(mine, Asyncio.getEventLoop());
    }

    @Test
    void newEventLoop_isANewOpenLoopThatIsNotMadeCurrent() {
        EventLoop current = track(Asyncio.getEventLoop());
        EventLoop a = track(Asyncio.newEventLoop());
        EventLoop b = track(Asyncio.newEventLoop());
        assertNotSame(a, b);
        assertFalse(a.isRunning() || a.isClosed());
        assertSame(current, Asyncio.getEventLoop());
    }

    @Test
    void currentTaskAndAllTasks_outsideALoop() {
        assertNull(Asyncio.currentTask());
        assertThrows(IllegalStateException.class, Asyncio::allTasks);
        assertThrows(IllegalStateException.class, () -> Asyncio.createTask(Asyncio.sleep(0)));
    }
}
