package io.jasyncio;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A connection's byte stream, driven by the loop; asyncio's {@code Transport} (read and write halves together).
 * Made by {@link EventLoop#createConnection} and {@link EventLoop#createServer}; its {@link BaseProtocol}
 * receives the events. Writes go out at once when the socket takes them; what it does not take is buffered and
 * sent as the socket drains, and the protocol is paused above the high-water mark
 * ({@link #setWriteBufferLimits}). Every method must be called on the loop's thread.
 */
public interface Transport {
    /**
     * Sends {@code data} (from its position to its limit), buffering what the socket does not take now. The
     * buffer is not kept: it may be reused once the call returns.
     *
     * @param data the bytes
     * @throws IllegalStateException if {@link #writeEof()} was called
     */
    void write(ByteBuffer data);

    /**
     * As {@link #write(ByteBuffer)}, for an array.
     *
     * @param data the bytes
     */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /**
     * Writes each buffer in turn.
     *
     * @param data the buffers
     */
    default void writelines(List<ByteBuffer> data) {
        for (ByteBuffer b : data) {
            write(b);
        }
    }

    /** Closes this side once the buffered bytes are sent (the peer reads end of stream); reading goes on. */
    void writeEof();

    /** {@return whether {@link #writeEof()} is supported (for TCP: yes)} */
    boolean canWriteEof();

    /** Closes the connection once the buffered bytes are sent; the protocol's {@code connectionLost(null)} follows. */
    void close();

    /** Closes the connection at once, dropping the buffered bytes. */
    void abort();

    /** {@return whether {@link #close()} or {@link #abort()} was called, or the connection was lost} */
    boolean isClosing();

    /** Stops delivering received bytes until {@link #resumeReading()} (the peer is slowed down by TCP). */
    void pauseReading();

    /** Delivers received bytes again. */
    void resumeReading();

    /** {@return whether received bytes are being delivered} */
    boolean isReading();

    /** {@return how many bytes are buffered, waiting to be sent} */
    int getWriteBufferSize();

    /**
     * Sets the write buffer's water marks.
     *
     * @param high above this, the protocol is paused ({@code pauseWriting})
     * @param low at or below this, a paused protocol is resumed
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    void setWriteBufferLimits(int high, int low);

    /** {@return the high-water mark (default 64 KiB)} */
    int getWriteBufferHigh();

    /** {@return the low-water mark (default 16 KiB)} */
    int getWriteBufferLow();

    /**
     * Information about the connection; asyncio's {@code get_extra_info}.
     *
     * @param name {@code "peername"} and {@code "sockname"} (a {@link java.net.SocketAddress}), {@code "socket"}
     *             (the {@link java.nio.channels.SocketChannel})
     * @return the value, or {@code null} if unknown
     */
    Object getExtraInfo(String name);

    /** {@return the protocol receiving this transport's events} */
    BaseProtocol getProtocol();
}
