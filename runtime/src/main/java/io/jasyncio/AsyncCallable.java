package io.jasyncio;

/**
 * An async lambda without argument: {@code () -> { await(...); return done(value); }}. The transformer weaves a
 * lambda whose functional method returns {@link Coroutine} as it weaves an {@code @Async} method, so the body may
 * {@code await}. Used by {@code Lock.withLock}, {@code Semaphore.withPermit} and the like.
 *
 * @param <T> the coroutine's result type
 */
@FunctionalInterface
public interface AsyncCallable<T> {
    /**
     * Makes the coroutine; running it (awaiting it) runs the lambda's body.
     *
     * @return the coroutine
     */
    Coroutine<T> call();
}
