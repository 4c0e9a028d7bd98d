package io.jasyncio;

import io.jasyncio.internal.Woven;

/**
 * The coroutine of {@link Asyncio#sleep(double, Object)} with a delay of zero or less: it yields to the loop for
 * exactly one iteration. A hand-written frame on the woven protocol, as {@link Sleep}, and a smaller one (32 bytes,
 * no delay). Awaited from a coroutine, with no result to give, it queues its task to resume the awaiting frame itself
 * (as an awaited future does): the wake-up is one frame step, not two. Run as a task's own coroutine, or with a
 * result, it is resumed itself and returns its result.
 */
final class Yield<T> extends Coroutine<T> {
    private final T result;
    private boolean yielded;

    Yield(T result) {
        this.result = result;
    }

    @Override
    protected Object resume(Object value, Throwable exception) {
        if (!yielded) {
            yielded = true;
            Task<?> t = task;
            Coroutine<?> awaiter = caller;
            t.current = awaiter != null && result == null ? awaiter : this;
            t.loop.readyAdd(t);
            return Woven.SUSPENDED;
        }
        if (exception != null) {
            throw CoreImpl.sneakyThrow(exception);
        }
        return result;
    }

    @Override
    public String toString() {
        return "<coroutine sleep(0.0)>";
    }
}
