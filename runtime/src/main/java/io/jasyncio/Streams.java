package io.jasyncio;

/**
 * What {@link Asyncio#openConnection} gives: asyncio's {@code (reader, writer)} pair.
 *
 * @param reader the connection's incoming bytes
 * @param writer the connection's outgoing bytes
 */
public record Streams(StreamReader reader, StreamWriter writer) {
}
