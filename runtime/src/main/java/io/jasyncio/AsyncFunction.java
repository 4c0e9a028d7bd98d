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
     * Makes the coroutine for {@code a}; running it (awaiting it) runs the lambda's body. It declares
     * {@code Exception} so that the body may await coroutines that declare checked exceptions (an
     * {@code IOException} of a stream read, say): they are thrown where the lambda's coroutine is awaited.
     *
     * @param a the argument
     * @return the coroutine
     * @throws Exception what the body's awaits declare (making the coroutine itself runs none of the body)
     */
    Coroutine<T> apply(A a) throws Exception;
}
