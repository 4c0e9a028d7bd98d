package io.jasyncio;

import io.jasyncio.internal.Woven;

/** The coroutine of {@link Asyncio#sleep(double, Object)}: a hand-written frame on the woven protocol. */
final class Sleep<T> extends Coroutine<T> {
    private final long delayNanos;
    /** The value of {@code sleep(delay, result)}. */
    final T result;
    private boolean suspended;

    Sleep(long delayNanos, T result) {
        this.delayNanos = delayNanos;
        this.result = result;
    }

    @Override
    protected Object resume(Object value, Throwable exception) {
        if (!suspended) {
            suspended = true;
            Task<?> t = task;
            EventLoop loop = t.loop;
            if (delayNanos <= 0) { // sleep(0): yield for exactly one iteration
                Coroutine<?> awaiting = caller;
                if (awaiting != null) {
                    // the awaiting frame itself is resumed, with the result (wake() reads it from here): one
                    // resumption and one trampoline step fewer per yield
                    caller = null;
                    t.current = awaiting;
                    t.waitingOn = this;
                } else {
                    t.current = this; // the task's own coroutine: resumed again to return the result
                }
                loop.readyAdd(t);
            } else {
                t.current = this;
                t.waitingOn = loop.addTimer(loop.nowNanos() + delayNanos, t);
            }
            return Woven.SUSPENDED;
        }
        if (exception != null) {
            throw CoreImpl.sneakyThrow(exception);
        }
        return result;
    }

    @Override
    public String toString() {
        return "<coroutine sleep(" + delayNanos / 1e9 + ")>";
    }
}
