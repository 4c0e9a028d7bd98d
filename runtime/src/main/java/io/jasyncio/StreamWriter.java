package io.jasyncio;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The outgoing bytes of a connection; asyncio's {@code StreamWriter}. {@link #write} never waits: bytes the socket
 * does not take at once are buffered. Call {@link #drain()} after writing to wait while the buffer is above its
 * high-water mark (64 KiB by default) until it is down to the low mark (16 KiB); that is how a fast writer
 * follows a slow peer.
 * <pre>{@code
 * writer.write(data);
 * await(writer.drain());
 * writer.close();
 * await(writer.waitClosed());
 * }</pre>
 */
public class StreamWriter {
    private Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;
    private final EventLoop loop;

    StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader, EventLoop loop) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
        this.loop = loop;
    }

    /** {@return the connection's transport} */
    public Transport transport() {
        return transport;
    }

    /**
     * Sends {@code data}, buffering what the socket does not take now.
     *
     * @param data the bytes (not kept)
     */
    public void write(byte[] data) {
        transport.write(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /**
     * Sends {@code data} from its position to its limit, buffering what the socket does not take now.
     *
     * @param data the bytes (not kept)
     */
    public void write(ByteBuffer data) {
        transport.write(Objects.requireNonNull(data, "data"));
    }

    /**
     * Sends each array in turn.
     *
     * @param data the arrays
     */
    public void writeLines(List<byte[]> data) {
        for (byte[] d : data) {
            write(d);
        }
    }

    /** Closes the writing side once the buffer is sent (the peer reads end of stream). */
    public void writeEof() {
        transport.writeEof();
    }

    /** {@return whether {@link #writeEof()} is supported} */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the connection once the buffer is sent. */
    public void close() {
        transport.close();
    }

    /** {@return whether the connection is closed or closing} */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Waits until the connection is closed.
     *
     * @return a coroutine that completes then
     * @throws IOException (from the coroutine) the error that closed the connection, if one did
     */
    public Coroutine<Void> waitClosed() throws IOException {
        return new Combinators.Awaiter<>(protocol.closed);
    }

    /**
     * Information about the connection: see {@link Transport#getExtraInfo(String)}.
     *
     * @param name the name
     * @return the value, or {@code null}
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /**
     * Waits while the write buffer is above its high-water mark; returns at once at or below it.
     *
     * @return a coroutine that completes when writing may go on
     * @throws IOException (from the coroutine) the connection's error, or a {@link SocketException} "Connection
     *                     lost" once it is closed
     */
    public Coroutine<Void> drain() throws IOException {
        return new Drain(this);
    }

    /**
     * Upgrades the connection to TLS (asyncio's {@code StreamWriter.start_tls}): the reader and this writer go
     * on over TLS once the handshake is done. A client verifies the server's certificate against the host it
     * connected to.
     *
     * @param ssl the TLS context
     * @return a coroutine that completes once the handshake is done
     * @throws IOException (from the coroutine) when the handshake fails
     */
    public Coroutine<Void> startTls(javax.net.ssl.SSLContext ssl) throws IOException {
        return startTls(ssl, null);
    }

    /**
     * As {@link #startTls(javax.net.ssl.SSLContext)}, verifying the server's certificate against
     * {@code serverHostname} (for a client).
     *
     * @param ssl the TLS context
     * @param serverHostname the name, or {@code null} for the host connected to
     * @return a coroutine that completes once the handshake is done
     * @throws IOException (from the coroutine) when the handshake fails
     */
    public Coroutine<Void> startTls(javax.net.ssl.SSLContext ssl, String serverHostname) throws IOException {
        Coroutine<Transport> upgrade = loop.startTls(transport, protocol, ssl, protocol.serverSide(), serverHostname);
        return new Upgrade(this, upgrade);
    }

    /** Awaits the upgrade, then carries on with the TLS transport. */
    private static final class Upgrade extends Op<Void> {
        private final StreamWriter w;
        private final Coroutine<Transport> upgrade;

        Upgrade(StreamWriter w, Coroutine<Transport> upgrade) {
            this.w = w;
            this.upgrade = upgrade;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            if (state == 0) {
                return await(upgrade, 1);
            }
            Transport tls = (Transport) value;
            w.transport = tls;
            w.reader.setTransport(tls);
            w.protocol.switchedTo(tls);
            return null;
        }
    }

    @Override
    public String toString() {
        return "<StreamWriter " + transport + ">";
    }

    /** The coroutine of {@link #drain()}: asyncio's {@code drain} and {@code _drain_helper}. */
    private static final class Drain extends Op<Void> {
        private final StreamWriter w;
        private Future<Void> waiter;

        Drain(StreamWriter w) {
            this.w = w;
        }

        @Override
        Object step(Object value, Throwable exception) {
            switch (state) {
                case 0: {
                    if (exception != null) {
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    Throwable e = w.reader == null ? null : w.reader.exception();
                    if (e != null) {
                        throw CoreImpl.sneakyThrow(e);
                    }
                    if (w.transport.isClosing()) {
                        // yield once, so that the transport's connectionLost() can run and tell us the outcome
                        return await(Asyncio.sleep(0), 1);
                    }
                    return helper();
                }
                case 1:
                    if (exception != null) {
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    return helper();
                default:
                    w.protocol.forgetDrainWaiter(waiter);
                    waiter = null;
                    if (exception != null) {
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    return null;
            }
        }

        private Object helper() {
            if (w.protocol.lost()) {
                throw CoreImpl.sneakyThrow(new SocketException("Connection lost"));
            }
            if (!w.protocol.writingPaused()) {
                return null;
            }
            waiter = w.protocol.drainWaiter();
            return await(waiter, 2);
        }

        @Override
        public String toString() {
            return "<coroutine StreamWriter.drain()>";
        }
    }
}
