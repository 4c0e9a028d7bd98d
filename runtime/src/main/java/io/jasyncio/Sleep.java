package io.jasyncio;

import io.jasyncio.internal.Woven;

/**
 * The coroutine of {@link Asyncio#sleep(double, Object)} with a positive delay: a hand-written frame on the woven
 * protocol (a delay of zero or less is a {@link Yield}).
 */
final class Sleep<T> extends Coroutine<T> {
    private final long delayNanos;
    private final T result;
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
            t.current = this;
            EventLoop loop = t.loop;
            t.waitingOn = loop.addTimer(loop.nowNanos() + delayNanos, t);
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
