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
     * Makes the coroutine; running it (awaiting it) runs the lambda's body. It declares {@code Exception} so that
     * the body may await coroutines that declare checked exceptions (an {@code IOException} of a stream read, say):
     * they are thrown where the lambda's coroutine is awaited.
     *
     * @return the coroutine
     * @throws Exception what the body's awaits declare (making the coroutine itself runs none of the body)
     */
    Coroutine<T> call() throws Exception;
}
