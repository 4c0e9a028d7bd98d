package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * callSoonThreadsafe and the loop-thread check (SEMANTICS 67, DESIGN rule 7). The wake-up tests use real time;
 * their waits are bounded safety nets, a passing run takes milliseconds.
 */
class ThreadingTest extends LoopTestBase {

    @Test
    void callSoonThreadsafe_wakesALoopBlockedWithNoTimers() throws InterruptedException {
        assertWakesUp(track(new EventLoop()), Thread.State.WAITING);
    }

    @Test
    void callSoonThreadsafe_wakesALoopWaitingForAFarTimer() throws InterruptedException {
        EventLoop real = track(new EventLoop());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        real.callLater(60.0, () -> log.add("far timer"));
        assertWakesUp(real, Thread.State.TIMED_WAITING);
        assertEquals(List.of(), log);
    }

    /** Runs {@code real} on this thread; once it is parked in {@code state}, another thread wakes it. */
    private static void assertWakesUp(EventLoop real, Thread.State state) throws InterruptedException {
        Thread loopThread = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicBoolean notWoken = new AtomicBoolean();
        Thread poster = new Thread(() -> {
            waitFor(() -> real.isRunning() && loopThread.getState() == state);
            real.callSoonThreadsafe(() -> {
                ranOn.set(Thread.currentThread());
                real.stop();
            });
            if (!waitFor(() -> ranOn.get() != null)) {
                notWoken.set(true);
                real.callSoonThreadsafe(real::stop);
                java.util.concurrent.locks.LockSupport.unpark(loopThread); // end the test instead of hanging
            }
        }, "poster");
        poster.start();
        real.runForever();
        poster.join();
        assertFalse(notWoken.get(), "callSoonThreadsafe did not wake the loop");
        assertSame(loopThread, ranOn.get());
    }

    @Test
    void callSoonThreadsafe_beforeTheLoopRunsIsRunInTheFirstIteration() throws InterruptedException {
        List<String> log = new ArrayList<>();
        Thread t = new Thread(() -> loop.callSoonThreadsafe(() -> log.add("posted")));
        t.start();
        t.join();
        runOnce();
        assertEquals(List.of("posted"), log);
    }

    @Test
    void callSoonThreadsafe_fromManyThreadsRunsEveryCallbackOnTheLoopInPerThreadOrder()
            throws InterruptedException {
        EventLoop real = track(new EventLoop());
        int threads = 4;
        int each = 500;
        List<List<Integer>> seen = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            seen.add(new ArrayList<>());
        }
        Thread loopThread = Thread.currentThread();
        AtomicInteger wrongThread = new AtomicInteger();
        int[] total = {0};
        List<Thread> posters = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            posters.add(new Thread(() -> {
                for (int n = 0; n < each; n++) {
                    int value = n;
                    real.callSoonThreadsafe(() -> {
                        if (Thread.currentThread() != loopThread) {
                            wrongThread.incrementAndGet();
                        }
                        seen.get(id).add(value);
                        if (++total[0] == threads * each) {
                            real.stop();
                        }
                    });
                }
            }, "poster-" + i));
        }
        posters.forEach(Thread::start);
        real.runForever();
        for (Thread t : posters) {
            t.join();
        }
        assertEquals(0, wrongThread.get());
        for (List<Integer> s : seen) {
            assertEquals(EventLoopTest.range(each), s);
        }
    }

    @Test
    void callSoon_fromAnotherThreadWhileTheLoopRunsThrowsNamingBothThreads() {
        assertRejectedFromAnotherThread("callSoon", () -> loop.callSoon(() -> { }));
    }

    @Test
    void callLaterAndCreateTask_fromAnotherThreadThrow() {
        assertRejectedFromAnotherThread("callLater", () -> loop.callLater(1.0, () -> { }));
        assertRejectedFromAnotherThread("createTask", () -> loop.createTask(Asyncio.sleep(0)));
        assertRejectedFromAnotherThread("stop", loop::stop);
        assertRejectedFromAnotherThread("runForever", loop::runForever);
    }

    @Test
    void futureSetResult_fromAnotherThreadWhileTheLoopRunsThrowsNamingBothThreads() {
        Future<String> f = loop.createFuture();
        assertRejectedFromAnotherThread("Future.setResult", () -> f.setResult("x"));
        assertFalse(f.done());
        assertRejectedFromAnotherThread("Future.setException", () -> f.setException(new RuntimeException()));
        assertRejectedFromAnotherThread("Future.cancel", f::cancel);
        assertRejectedFromAnotherThread("Future.addDoneCallback", () -> f.addDoneCallback(x -> { }));
        assertFalse(f.done());
    }

    @Test
    void handleCancel_fromAnotherThreadThrows() {
        Handle h = loop.callSoon(() -> { });
        TimerHandle th = loop.callLater(1.0, () -> { });
        assertRejectedFromAnotherThread("Handle.cancel", h::cancel);
        assertRejectedFromAnotherThread("TimerHandle.cancel", th::cancel);
        assertFalse(th.cancelled());
    }

    @Test
    void callSoon_fromAnotherThreadWhileTheLoopIsNotRunningIsAllowed() throws InterruptedException {
        List<String> log = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                loop.callSoon(() -> log.add("set up elsewhere"));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        assertEquals(null, failure.get());
        runOnce();
        assertEquals(List.of("set up elsewhere"), log);
    }

    /**
     * From a callback of the running loop, runs {@code action} on a thread named "intruder" and asserts it throws
     * IllegalStateException naming the method, the intruder and the loop's thread.
     */
    private void assertRejectedFromAnotherThread(String method, Runnable action) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        String[] loopThreadName = new String[1];
        loop.callSoon(() -> {
            loopThreadName[0] = Thread.currentThread().getName();
            Thread intruder = new Thread(() -> thrown.set(EventLoopTest.catching(action)), "intruder");
            intruder.start();
            try {
                intruder.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        runOnce();
        Throwable e = thrown.get();
        assertNotNull(e, method + " from another thread did not throw");
        assertTrue(e instanceof IllegalStateException, String.valueOf(e));
        String m = e.getMessage();
        assertTrue(m.contains(method + "()"), m);
        assertTrue(m.contains("'intruder'"), m);
        assertTrue(m.contains("'" + loopThreadName[0] + "'"), m);
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    // ---- virtual time while other threads work ---------------------------------------------------------------

    @Test
    void virtualTime_standsStillWhileTheLoopWaitsForAnExecutorJob() {
        // The job takes ~20 ms of real time; a 5 s timer is pending meanwhile. On virtual time the loop must not
        // jump to the timer: the job's outcome comes first, at loop time 0, as it would on the real clock.
        List<String> log = new ArrayList<>();
        loop.callLater(5.0, () -> log.add("timer at " + loop.time()));
        Task<String> t = loop.createTask(Awaiting.then(() -> loop.runInExecutor(null, () -> {
            Thread.sleep(20);
            return "job";
        }), v -> {
            log.add(v + " at " + loop.time());
            return (String) v;
        }));
        assertEquals("job", loop.runUntilComplete(t));
        loop.runUntilComplete(Asyncio.sleep(10.0));
        assertEquals(List.of("job at 0.0", "timer at 5.0"), log);
        loop.runUntilComplete(loop.shutdownDefaultExecutor());
    }

    @Test
    void virtualTime_standsStillWhileATaskAwaitsAStageOfAnotherThread() throws InterruptedException {
        java.util.concurrent.CompletableFuture<String> stage = new java.util.concurrent.CompletableFuture<>();
        List<String> log = new ArrayList<>();
        loop.callLater(1.0, () -> log.add("timer at " + loop.time()));
        Task<String> t = loop.createTask(Awaiting.then(() -> stage, v -> {
            log.add(v + " at " + loop.time());
            return (String) v;
        }));
        Thread completer = new Thread(() -> {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stage.complete("stage");
        }, "completer");
        completer.start();
        assertEquals("stage", loop.runUntilComplete(t));
        completer.join();
        loop.runUntilComplete(Asyncio.sleep(2.0));
        assertEquals(List.of("stage at 0.0", "timer at 1.0"), log);
    }

    @Test
    void virtualTime_runsAtRealSpeedWhileAStageIsAwaited_andJumpsAgainOnceItIsAbandoned() {
        java.util.concurrent.CompletableFuture<String> never = new java.util.concurrent.CompletableFuture<>();
        // a wait for another thread keeps virtual time at real speed: a 20 ms timeout takes 20 real ms
        Task<String> t = loop.createTask(Awaiting.of(Asyncio.waitFor(new Awaiting<String>(() -> never), 0.02)));
        long start = System.nanoTime();
        TimeoutException e = org.junit.jupiter.api.Assertions.assertThrows(TimeoutException.class,
                () -> loop.runUntilComplete(t));
        assertTrue(System.nanoTime() - start >= 20_000_000L, "the timeout did not fire before real time reached it");
        assertTrue(e.getCause() instanceof CancelledError);
        assertEquals(0.02, loop.time());
        loop.runUntilComplete(Asyncio.sleep(1.0)); // no external work is left: virtual time jumps again
        assertEquals(1.02, loop.time(), 1e-9);
        assertTrue(never.isCancelled(), "the abandoned CompletableFuture is cancelled");
    }

    @Test
    void virtualTime_callbacksFromOtherThreadsDoNotPostponeATimerWhileAStageIsAwaited() throws InterruptedException {
        java.util.concurrent.CompletableFuture<String> never = new java.util.concurrent.CompletableFuture<>();
        // Another thread posts a callback every 20 ms (a publisher's items, a watchdog's heartbeat). Each one used
        // to restart the loop's real-time wait for the 0.2 s timer, so the timer fired only once the posts stopped.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread pinger = new Thread(() -> {
            long end = System.nanoTime() + 3_000_000_000L;
            while (!stop.get() && System.nanoTime() < end) {
                loop.callSoonThreadsafe(() -> { });
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
        }, "pinger");
        Task<String> t = loop.createTask(Awaiting.of(Asyncio.waitFor(new Awaiting<String>(() -> never), 0.2)));
        long start = System.nanoTime();
        pinger.start();
        try {
            org.junit.jupiter.api.Assertions.assertThrows(TimeoutException.class, () -> loop.runUntilComplete(t));
        } finally {
            stop.set(true);
            pinger.join();
        }
        double took = (System.nanoTime() - start) / 1e9;
        assertTrue(took >= 0.2, "the timeout fired before real time reached it: " + took);
        assertTrue(took < 1.5, "the 0.2 s timeout fired after " + took + " s of real time");
        assertEquals(0.2, loop.time());
    }
}
