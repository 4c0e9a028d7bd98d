package io.jasyncio;

/**
 * Something a coroutine can {@code await}: a {@link Coroutine} or a {@link Future} (and so a {@link Task}).
 *
 * <p>{@code Asyncio.await} also accepts any {@link java.util.concurrent.CompletionStage},
 * which is not an {@code Awaitable} because it belongs to the JDK.
 *
 * @param <T> the type of the value that awaiting produces
 */
public sealed interface Awaitable<T> permits Coroutine, Future {
}
