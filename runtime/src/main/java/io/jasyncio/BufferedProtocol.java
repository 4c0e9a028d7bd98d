package io.jasyncio;

import java.nio.ByteBuffer;

/**
 * A stream protocol that supplies the buffers the transport reads into, so that received bytes are copied once;
 * asyncio's {@code BufferedProtocol}.
 */
public interface BufferedProtocol extends BaseProtocol {
    /**
     * The buffer to read the next bytes into, between its position and limit.
     *
     * @param sizeHint how many bytes the transport would like room for (a hint)
     * @return a buffer with room left
     */
    ByteBuffer getBuffer(int sizeHint);

    /**
     * {@code nbytes} bytes were read into the buffer {@link #getBuffer} returned (its position advanced by them).
     *
     * @param nbytes how many
     */
    void bufferUpdated(int nbytes);

    /**
     * The peer closed its side (end of stream).
     *
     * @return {@code true} to keep the connection half-open, {@code false} to close it
     */
    default boolean eofReceived() {
        return false;
    }
}
