package io.jasyncio;

import io.jasyncio.internal.Woven;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A hand-written coroutine frame on the woven protocol, the equivalent of
 * <pre>{@code @Async Coroutine<T> m() { return done(then.apply(await(what.get()))); }}</pre>
 * {@code what} runs inside the task (so it may call {@link Asyncio#currentTask()} and the like); so does
 * {@code then}, which may throw.
 */
final class Awaiting<T> extends Coroutine<T> {
    private final Supplier<?> what;
    private final Function<Object, ?> then;
    private boolean suspended;
    /** How many times the frame was resumed after suspending. */
    int resumptions;

    Awaiting(Supplier<?> what) {
        this(what, v -> v);
    }

    private Awaiting(Supplier<?> what, Function<Object, ?> then) {
        this.what = what;
        this.then = then;
    }

    static <T> Awaiting<T> of(Awaitable<T> awaitable) {
        return new Awaiting<>(() -> awaitable);
    }

    static <T> Awaiting<T> then(Supplier<?> what, Function<Object, T> then) {
        return new Awaiting<>(what, then);
    }

    @Override
    protected Object resume(Object value, Throwable exception) {
        if (!suspended) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            Object r = Woven.await(what.get(), this);
            if (r == Woven.SUSPENDED) {
                suspended = true;
                return r;
            }
            return then.apply(r);
        }
        resumptions++;
        if (exception != null) {
            throw CoreImpl.sneakyThrow(exception);
        }
        return then.apply(value);
    }
}
