package io.jasyncio;

/**
 * A callback scheduled for a point in time by {@link EventLoop#callLater(double, Runnable)} or
 * {@link EventLoop#callAt(double, Runnable)}. asyncio's {@code TimerHandle}.
 *
 * <p>Timers fire in deadline order; timers with the same deadline fire in the order they were scheduled
 * (asyncio leaves that order unspecified; jasyncio makes it deterministic).
 */
public final class TimerHandle extends Handle {
    /** Deadline, in the loop's {@link TimeSource} nanoseconds. */
    final long when;
    /** Tie-breaker: the order of scheduling. */
    final long seq;
    /** Whether the handle is in the loop's timer heap (a cancelled one is counted there until it is dropped). */
    boolean inHeap;

    TimerHandle(EventLoop loop, long when, long seq, Object callback) {
        super(loop, callback);
        this.when = when;
        this.seq = seq;
    }

    /** {@return the deadline, in seconds of the loop's {@link EventLoop#time() time}} */
    public double when() {
        return when / 1e9;
    }

    @Override
    public void cancel() {
        loop.checkThread("TimerHandle.cancel");
        if (!cancelled) {
            cancelled = true;
            if (inHeap) {
                loop.timerCancelled();
            }
        }
    }
}
