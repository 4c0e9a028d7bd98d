package io.jasyncio;

/**
 * What {@link Asyncio#startServer} runs for each connection, in a task of its own; asyncio's
 * {@code client_connected_cb}. Usually an {@code @Async} method reference or a woven lambda:
 * <pre>{@code
 * await(startServer((reader, writer) -> echo(reader, writer), "127.0.0.1", 8888));
 * }</pre>
 */
@FunctionalInterface
public interface ClientConnected {
    /**
     * Makes the coroutine that serves one connection.
     *
     * @param reader the connection's incoming bytes
     * @param writer the connection's outgoing bytes
     * @return the coroutine
     * @throws Exception what the handler's awaits declare (an {@code IOException} of its reads, say); a handler
     *                   that throws is reported to the loop's exception handler and its connection closed
     */
    Coroutine<Void> accept(StreamReader reader, StreamWriter writer) throws Exception;
}
