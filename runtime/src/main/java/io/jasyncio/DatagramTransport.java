package io.jasyncio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A UDP endpoint driven by the loop; asyncio's {@code DatagramTransport}. Made by
 * {@link EventLoop#createDatagramEndpoint}. {@link #sendto} sends at once when the socket takes the datagram and
 * queues it otherwise. Every method must be called on the loop's thread.
 */
public final class DatagramTransport {
    private final EventLoop loop;
    private final DatagramChannel channel;
    private final DatagramProtocol protocol;
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private int pendingBytes;
    private boolean closing;
    private boolean lost;

    DatagramTransport(EventLoop loop, DatagramChannel channel, DatagramProtocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = Objects.requireNonNull(protocol, "the protocol factory returned null");
    }

    void start(Future<Void> made) {
        loop.callSoon(() -> {
            protocol.connectionMade(this);
            if (!closing) {
                loop.addReader(channel, this::readReady);
            }
        });
        loop.callSoon(() -> {
            if (made.state == Future.PENDING) {
                made.complete(null);
            }
        });
    }

    /**
     * Sends one datagram.
     *
     * @param data the datagram, from its position to its limit (not kept)
     * @param address where to send it, or {@code null} for the endpoint's remote address
     * @throws IllegalArgumentException if {@code address} is null on an endpoint without a remote address, or not
     *                                  null and different from it on one with
     */
    public void sendto(ByteBuffer data, SocketAddress address) {
        loop.checkThread("DatagramTransport.sendto");
        Objects.requireNonNull(data, "data");
        SocketAddress remote = remote();
        if (address == null && remote == null) {
            throw new IllegalArgumentException("sendto() without an address on an endpoint with no remote address");
        }
        if (address != null && remote != null && !address.equals(remote)) {
            throw new IllegalArgumentException("Invalid address: must be null or " + remote);
        }
        if (lost) {
            return;
        }
        if (pending.isEmpty()) {
            try {
                int n = remote != null ? channel.write(data) : channel.send(data, address);
                if (n > 0 || !data.hasRemaining()) {
                    return;
                }
            } catch (IOException e) {
                errorReceived(e);
                return;
            }
            loop.addWriter(channel, this::writeReady);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.addLast(new Object[] {copy, address});
        pendingBytes += copy.remaining();
    }

    /**
     * As {@link #sendto(ByteBuffer, SocketAddress)}, for an array.
     *
     * @param data the datagram
     * @param address where to send it, or {@code null} for the remote address
     */
    public void sendto(byte[] data, SocketAddress address) {
        sendto(ByteBuffer.wrap(Objects.requireNonNull(data, "data")), address);
    }

    /** Closes the endpoint once queued datagrams are sent; {@code connectionLost(null)} follows. */
    public void close() {
        loop.checkThread("DatagramTransport.close");
        if (closing) {
            return;
        }
        closing = true;
        loop.removeReader(channel);
        if (pending.isEmpty()) {
            lost = true;
            loop.callSoon(() -> connectionLost(null));
        }
    }

    /** Closes the endpoint at once, dropping queued datagrams. */
    public void abort() {
        loop.checkThread("DatagramTransport.abort");
        forceClose(null);
    }

    /** {@return whether the endpoint is closed or closing} */
    public boolean isClosing() {
        return closing;
    }

    /** {@return how many bytes of datagrams are queued} */
    public int getWriteBufferSize() {
        return pendingBytes;
    }

    /**
     * Information about the endpoint.
     *
     * @param name {@code "sockname"}, {@code "peername"} (the remote address, if any) or {@code "socket"}
     * @return the value, or {@code null}
     */
    public Object getExtraInfo(String name) {
        try {
            switch (name) {
                case "sockname":
                    return channel.getLocalAddress();
                case "peername":
                    return channel.getRemoteAddress();
                case "socket":
                    return channel;
                default:
                    return null;
            }
        } catch (IOException closed) {
            return null;
        }
    }

    /** {@return the protocol receiving this endpoint's events} */
    public DatagramProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "<DatagramTransport " + (lost ? "closed" : closing ? "closing" : "open") + " " + getExtraInfo("sockname") + ">";
    }

    private SocketAddress remote() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException closed) {
            return null;
        }
    }

    private void readReady() {
        if (lost) {
            return;
        }
        ByteBuffer buf = loop.readBuffer();
        buf.clear();
        SocketAddress from;
        try {
            from = channel.receive(buf);
        } catch (IOException e) {
            errorReceived(e);
            return;
        }
        if (from == null) {
            return;
        }
        buf.flip();
        try {
            protocol.datagramReceived(buf, from);
        } catch (RuntimeException e) {
            loop.callExceptionHandler(new ExceptionContext("Fatal error: protocol.datagramReceived() failed on " + this, e));
            forceClose(e);
        }
    }

    private void writeReady() {
        while (!pending.isEmpty()) {
            Object[] d = pending.peekFirst();
            ByteBuffer data = (ByteBuffer) d[0];
            int size = data.remaining();
            try {
                int n = d[1] == null ? channel.write(data) : channel.send(data, (SocketAddress) d[1]);
                if (n == 0 && data.hasRemaining()) {
                    return; // the socket is full again: wait for the next writable
                }
            } catch (IOException e) {
                errorReceived(e); // this datagram is dropped; the others go on
            }
            pending.pollFirst();
            pendingBytes -= size;
        }
        loop.removeWriter(channel);
        if (closing && !lost) {
            lost = true;
            connectionLost(null);
        }
    }

    private void errorReceived(IOException e) {
        try {
            protocol.errorReceived(e);
        } catch (RuntimeException failure) {
            loop.callExceptionHandler(new ExceptionContext("protocol.errorReceived() failed on " + this, failure));
        }
    }

    private void forceClose(Exception e) {
        if (lost) {
            return;
        }
        pending.clear();
        pendingBytes = 0;
        loop.removeWriter(channel);
        closing = true;
        loop.removeReader(channel);
        lost = true;
        loop.callSoon(() -> connectionLost(e));
    }

    private void connectionLost(Exception e) {
        try {
            protocol.connectionLost(e);
        } finally {
            try {
                loop.closeChannel(channel); // its descriptor released at once
            } catch (IOException ignored) {
                // closing an endpoint: nothing more to do
            }
        }
    }

    /** The coroutine of {@link EventLoop#createDatagramEndpoint}. */
    static final class Create extends Op<DatagramTransport> {
        private final EventLoop loop;
        private final java.util.function.Supplier<? extends DatagramProtocol> factory;
        private final SocketAddress local;
        private final SocketAddress remote;
        private DatagramTransport transport;

        Create(EventLoop loop, java.util.function.Supplier<? extends DatagramProtocol> factory, SocketAddress local,
               SocketAddress remote) {
            this.loop = loop;
            this.factory = factory;
            this.local = local;
            this.remote = remote;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                if (transport != null) {
                    transport.abort();
                }
                throw CoreImpl.sneakyThrow(exception);
            }
            if (state == 1) {
                return transport;
            }
            DatagramChannel ch = null;
            try {
                ch = DatagramChannel.open();
                ch.configureBlocking(false);
                if (local != null) {
                    ch.bind(local);
                }
                if (remote != null) {
                    ch.connect(remote);
                }
                transport = new DatagramTransport(loop, ch, factory.get());
            } catch (IOException | RuntimeException e) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // the set-up failed already
                    }
                }
                throw CoreImpl.sneakyThrow(e);
            }
            Future<Void> made = new Future<>(loop);
            transport.start(made);
            return await(made, 1);
        }

        @Override
        public String toString() {
            return "<coroutine createDatagramEndpoint(" + local + ", " + remote + ")>";
        }
    }
}
