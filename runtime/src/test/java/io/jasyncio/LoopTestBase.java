package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of the runtime's tests: a fresh loop on virtual time, a {@link Sequence} for ordering, and the
 * capture of the runtime's reports. After each test it fails the test on tasks of {@link #loop} left pending
 * and on threads the test started and left running; it closes the loop (which reports unretrieved task
 * exceptions), then fails the test on a broken sequence or on any report the test did not take.
 */
abstract class LoopTestBase {
    protected final EventLoop loop = new EventLoop(TimeSource.virtual());
    protected final Sequence seq = new Sequence();
    protected final Reported reported = new Reported();
    /** Other loops a test made; closed after it. */
    private final List<EventLoop> extraLoops = new ArrayList<>();

    private Set<Thread> threadsBefore;

    @BeforeEach
    final void installCapture() {
        threadsBefore = Thread.getAllStackTraces().keySet();
        reported.install();
    }

    @AfterEach
    final void checkAndCleanUp() throws InterruptedException {
        try {
            if (!loop.isClosed()) {
                List<Task<?>> pending = loop.liveTasks();
                if (!pending.isEmpty()) {
                    throw new AssertionError("tasks left pending by the test: " + pending);
                }
            }
            checkNoThreadLeft();
            for (EventLoop l : extraLoops) {
                if (!l.isRunning()) {
                    l.close();
                }
            }
            if (!loop.isRunning()) {
                loop.close();
            }
            seq.verify();
            reported.verifyNone();
        } finally {
            reported.uninstall();
            Asyncio.setEventLoop(null);
        }
    }

    private void checkNoThreadLeft() throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        for (;;) {
            Set<Thread> left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !threadsBefore.contains(t) && !t.getName().startsWith("junit-"))
                    .collect(Collectors.toSet());
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads left running by the test: " + left);
            }
            Thread.sleep(5);
        }
    }

    /** {@return a loop closed after the test} */
    protected EventLoop track(EventLoop l) {
        extraLoops.add(l);
        return l;
    }

    /** Runs exactly one iteration of {@link #loop}. */
    protected void runOnce() {
        loop.stop();
        loop.runForever();
    }

    /** Runs exactly {@code n} iterations of {@link #loop}. */
    protected void runIterations(int n) {
        for (int i = 0; i < n; i++) {
            runOnce();
        }
    }

    /**
     * Records, once per iteration for {@code iterations} iterations, what {@code probe} says. Called while the
     * ready queue is empty, the recorder runs first in every iteration (it re-queues itself before anything
     * else of that iteration can queue work, and due timers are queued after ready callbacks).
     */
    protected <V> List<V> probeEachIteration(int iterations, java.util.function.Supplier<V> probe) {
        List<V> seen = new ArrayList<>();
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            seen.add(probe.get());
            if (seen.size() < iterations) {
                loop.callSoon(self[0]);
            }
        };
        loop.callSoon(self[0]);
        return seen;
    }
}
