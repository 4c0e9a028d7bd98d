package io.jasyncio;

/**
 * What a {@link Transport} tells the code that uses it; asyncio's {@code BaseProtocol}. The callbacks run on the
 * loop's thread, in this order: {@link #connectionMade} once, then data callbacks ({@link Protocol} or
 * {@link BufferedProtocol}), then {@link #connectionLost} once. {@link #pauseWriting} and {@link #resumeWriting}
 * come in pairs while the transport's write buffer crosses its high and low water marks.
 */
public interface BaseProtocol {
    /**
     * The connection is made.
     *
     * @param transport the connection's transport
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * The connection is closed: by {@link Transport#close()}, by the peer, or by an error.
     *
     * @param exception the error, or {@code null} for a regular close or end of stream
     */
    default void connectionLost(Exception exception) {
    }

    /** The transport's write buffer went above its high-water mark: stop writing until {@link #resumeWriting}. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low-water mark: writing may go on. */
    default void resumeWriting() {
    }
}
