package io.jasyncio;

/**
 * The monotonic clock an {@link EventLoop} reads for {@link EventLoop#time()} and its timers.
 *
 * <p>{@link #system()} is the default. Tests use {@link #virtual()}: virtual time starts at zero and stands still
 * while the loop has work; when the loop has nothing ready and waits only for timers, it jumps straight to the
 * next deadline instead of sleeping. While the loop waits for work on other threads ({@code runInExecutor},
 * {@code toThread}, an awaited {@code CompletionStage}), virtual time runs no faster than real time: the loop
 * waits for that work as long as the next timer is away, and jumps to the timer only if the work has not reported
 * back by then. So a timer never overtakes an outcome that real time would have delivered first, and no outcome
 * overtakes a timer that real time would have fired first: the real wait for a timer is counted from when it
 * began, however often other threads' callbacks or I/O wake the loop meanwhile (keep such timeouts short in tests:
 * a 3-second timeout on work that hangs takes 3 real seconds). A program that sleeps for an hour on virtual time finishes at once, with
 * every timer firing in the same order and at the same loop time as it would for real.
 */
public interface TimeSource {

    /**
     * The current time in nanoseconds. Only differences between readings are meaningful.
     *
     * @return the current time in nanoseconds
     */
    long nanoTime();

    /**
     * Called by an idle loop that has nothing to run before {@code deadlineNanos}. A virtual clock advances to the
     * deadline and returns {@code true}, so that the loop does not block; a real clock returns {@code false}.
     *
     * @param deadlineNanos the next timer's deadline, in this source's nanoseconds
     * @return whether the time was advanced to the deadline
     */
    default boolean advanceTo(long deadlineNanos) {
        return false;
    }

    /**
     * The system's monotonic clock, {@link System#nanoTime()}.
     *
     * @return the system clock
     */
    static TimeSource system() {
        return System::nanoTime;
    }

    /**
     * A new virtual clock at time zero, for deterministic tests of timers and timeouts.
     *
     * @return a new virtual clock
     */
    static TimeSource virtual() {
        return new TimeSource() {
            private long now;

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

            @Override
            public String toString() {
                return "TimeSource.virtual(now=" + now + "ns)";
            }
        };
    }
}
