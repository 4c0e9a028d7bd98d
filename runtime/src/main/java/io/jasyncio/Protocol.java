package io.jasyncio;

import java.nio.ByteBuffer;

/**
 * A stream protocol: receives the bytes of a connection as they arrive; asyncio's {@code Protocol}.
 * <pre>{@code
 * class Echo implements Protocol {
 *     private Transport transport;
 *     public void connectionMade(Transport t) { transport = t; }
 *     public void dataReceived(ByteBuffer data) { transport.write(data); }
 * }
 * }</pre>
 */
public interface Protocol extends BaseProtocol {
    /**
     * Bytes arrived. {@code data} is the loop's read buffer: valid only during the call (copy what you keep, or
     * hand it to {@link Transport#write}, which copies what it cannot send at once).
     *
     * @param data the bytes, from its position to its limit
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer closed its side (end of stream).
     *
     * @return {@code true} to keep the connection half-open (this side may still write), {@code false} to close
     *     it
     */
    default boolean eofReceived() {
        return false;
    }
}
