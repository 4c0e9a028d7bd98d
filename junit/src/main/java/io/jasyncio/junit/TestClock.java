package io.jasyncio.junit;

import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;

/**
 * The clock of an {@link AsyncTest}'s loop, injected as a parameter: {@link #now()} is the loop's time, and on
 * virtual time {@link #advance(double)} moves it forward.
 *
 * <p>To let time pass while everything due runs in order, a test simply sleeps: on virtual time
 * {@code await(sleep(3600))} takes no real time. {@code advance} is for moving the clock behind the loop's back,
 * as a jump of the system clock would, for code that measures elapsed time with {@code loop.time()}.
 */
public final class TestClock {
    private final EventLoop loop;
    private final VirtualTime virtual;

    TestClock(EventLoop loop, VirtualTime virtual) {
        this.loop = loop;
        this.virtual = virtual;
    }

    /** {@return the loop's time in seconds: {@link EventLoop#time()}, which starts at 0 on virtual time} */
    public double now() {
        return loop.time();
    }

    /** {@return whether this is virtual time (the test is not {@link RealTime})} */
    public boolean isVirtual() {
        return virtual != null;
    }

    /**
     * Moves virtual time forward by {@code seconds}, at once: {@link #now()} and {@code loop.time()} read the new
     * time, and the timers whose deadline it passed run at the loop's next iteration, in deadline order (each
     * seeing the new time), before any later timer.
     *
     * @param seconds how far, zero or more
     * @throws IllegalArgumentException if {@code seconds} is negative or NaN
     * @throws UnsupportedOperationException on real time ({@link RealTime})
     */
    public void advance(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("advance() takes zero or more seconds, not " + seconds);
        }
        if (virtual == null) {
            throw new UnsupportedOperationException("advance() needs virtual time: this test is @RealTime");
        }
        virtual.advanceBy(Math.round(seconds * 1e9));
    }

    @Override
    public String toString() {
        return "TestClock(" + (virtual != null ? "virtual" : "real") + ", now=" + now() + ")";
    }

    /** Virtual time, as {@link TimeSource#virtual()}, that the test can also move by hand. */
    static final class VirtualTime implements TimeSource {
        private volatile long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public boolean advanceTo(long deadlineNanos) {
            if (deadlineNanos > now) {
                now = deadlineNanos;
            }
            return true;
        }

        synchronized void advanceBy(long nanos) {
            now += nanos;
        }
    }
}
