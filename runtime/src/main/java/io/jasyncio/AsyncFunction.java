package io.jasyncio;

/**
 * An async lambda of one argument: {@code tg -> { await(...); return done(value); }}. The transformer weaves a
 * lambda whose functional method returns {@link Coroutine} as it weaves an {@code @Async} method, so the body may
 * {@code await}. The bodies of {@link Asyncio#taskGroup(AsyncFunction)} and {@link Asyncio#timeout(double,
 * AsyncFunction)} are such functions.
 *
 * @param <A> the argument type
 * @param <T> the coroutine's result type
 */
@FunctionalInterface
public interface AsyncFunction<A, T> {
    /**
     * Makes the coroutine for {@code a}; running it (awaiting it) runs the lambda's body.
     *
     * @param a the argument
     * @return the coroutine
     */
    Coroutine<T> apply(A a);
}
