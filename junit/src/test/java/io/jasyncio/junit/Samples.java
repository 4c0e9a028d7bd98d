package io.jasyncio.junit;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * Sample test classes that {@link AsyncTestTest} launches with the JUnit Platform's test kit; not run by the
 * build itself (the class name matches no test pattern, and nested classes are not selected). Lines that reports
 * must name end with a {@code // marker} comment.
 */
final class Samples {
    private Samples() {
    }

    /** What samples record for the test to check afterwards (each launch runs one sample class). */
    static final List<String> LOG = new ArrayList<>();

    static void busyWait(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    static class Passing {
        EventLoop fromBeforeEach;

        @BeforeEach
        void setUp(EventLoop loop) {
            fromBeforeEach = loop;
        }

        @AsyncTest
        @Async
        Coroutine<Void> anHourOfSleepTakesNoTime(EventLoop loop, TestClock clock) {
            assertSame(loop, getRunningLoop());
            assertSame(fromBeforeEach, loop);
            assertTrue(clock.isVirtual());
            assertEquals(0.0, clock.now());
            await(sleep(3600));
            assertEquals(3600.0, clock.now());
            assertEquals(3600.0, loop.time());
            LOG.add("slept an hour");
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> advanceMovesTheClockAndRunsTheTimersDue(EventLoop loop, TestClock clock) {
            Event fired = new Event();
            loop.callLater(5, () -> {
                LOG.add("timer at " + loop.time());
                fired.set();
            });
            clock.advance(10);
            assertEquals(10.0, clock.now());
            await(fired.waitFor());
            assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> aShortBlockIsUnderTheDefaultLimit() {
            busyWait(50);
            await(sleep(0));
            return done();
        }
    }

    static class Failing {
        @AsyncTest
        @Async
        Coroutine<Void> assertionFails() {
            await(sleep(1));
            assertEquals(1, 2, "one is two");
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> throwsAChecked() throws IOException {
            await(sleep(1));
            throw new IOException("the disk is gone");
        }
    }

    @RealTime
    static class RealTimeClass {
        @AsyncTest
        @Async
        Coroutine<Void> sleepsForReal(TestClock clock) {
            assertFalse(clock.isVirtual());
            double start = clock.now();
            await(sleep(0.05));
            assertTrue(clock.now() - start >= 0.05, "slept " + (clock.now() - start));
            assertThrows(UnsupportedOperationException.class, () -> clock.advance(1));
            LOG.add("real");
            return done();
        }
    }

    static class RealTimeMethod {
        @RealTime
        @AsyncTest
        @Async
        Coroutine<Void> onRealTime(TestClock clock) {
            assertFalse(clock.isVirtual());
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> onVirtualTime(TestClock clock) {
            assertTrue(clock.isVirtual());
            return done();
        }
    }

    static class LeavesATask {
        @Async
        Coroutine<Void> forever() {
            try {
                await(sleep(1e6)); // LEFT SUSPENDED
            } finally {
                LOG.add("cleanup ran at " + getRunningLoop().time());
            }
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> leaks() {
            createTask(forever(), "forgotten"); // LEAK CREATED
            await(sleep(1));
            return done();
        }
    }

    static class UnretrievedException {
        @Async
        Coroutine<Void> boom() {
            throw new IllegalStateException("nobody reads this");
        }

        @AsyncTest
        @Async
        Coroutine<Void> dropsAFailedTask() {
            createTask(boom(), "boomer"); // UNRETRIEVED CREATED
            await(sleep(1));
            return done();
        }
    }

    static class NeverAwaited {
        @Async
        Coroutine<Void> helper() {
            LOG.add("helper ran");
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> forgetsToAwait() {
            helper(); // NEVER AWAITED
            await(sleep(1));
            return done();
        }
    }

    static class CallbackThrows {
        @AsyncTest
        @Async
        Coroutine<Void> scheduleAFailingCallback(EventLoop loop) {
            loop.callSoon(() -> { // CALLBACK SCHEDULED
                throw new IllegalStateException("the callback failed");
            });
            await(sleep(1));
            return done();
        }
    }

    static class Blocks {
        @AsyncTest(blockLimit = 0.05)
        @Async
        Coroutine<Void> blocksTheLoop() {
            await(sleep(1)); // BLOCKING RESUMES HERE
            busyWait(150);
            return done();
        }

        @AsyncTest(blockLimit = 0.05)
        @Async
        Coroutine<Void> hangs() throws InterruptedException {
            await(sleep(1));
            Thread.sleep(60_000); // HANGS HERE
            return done();
        }

        @AsyncTest(blockLimit = 0)
        @Async
        Coroutine<Void> noLimit() {
            busyWait(150);
            return done();
        }
    }

    static class TimesOut {
        @Async
        Coroutine<Void> inner() {
            await(sleep(3600)); // INNER SUSPENDED
            return done();
        }

        @AsyncTest(timeout = 10)
        @Async
        Coroutine<Void> sleepsTooLong() {
            try {
                await(inner()); // OUTER SUSPENDED
            } finally {
                LOG.add("cancelled at " + getRunningLoop().time());
            }
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> waitsForever(EventLoop loop) {
            await(loop.createFuture()); // DEADLOCK
            return done();
        }
    }

    static class IgnoresItsTimeout {
        @AsyncTest(timeout = 1)
        @Async
        Coroutine<Void> keepsGoing() {
            for (;;) {
                try {
                    await(sleep(100));
                } catch (CancelledError e) {
                    LOG.add("swallowed the cancellation");
                }
            }
        }
    }

    static class NotACoroutine {
        @AsyncTest
        Coroutine<Void> returnsNull() {
            return null;
        }
    }

    static class TwoProblems {
        @Async
        Coroutine<Void> helper() {
            return done();
        }

        @AsyncTest
        @Async
        Coroutine<Void> leaksAndForgets() {
            createTask(sleep(100), "sleeper");
            helper();
            return done();
        }
    }
}
