package io.jasyncio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The {@link Transport} of a TCP connection on the loop's selector; asyncio's {@code _SelectorSocketTransport}.
 *
 * <h2>Implementation overview</h2>
 * <p>Reading: while reading is on, the channel's reader callback reads once per readiness into the loop's read
 * buffer (or a {@link BufferedProtocol}'s) and hands it to the protocol; nothing is allocated per read. Writing:
 * {@link #write} tries the socket first; only what it does not take is copied into {@link #pending}, which the
 * writer callback sends with a gathering write. {@code connectionLost} is called once, from a callback of its
 * own, after which the channel is closed.
 */
final class SocketTransport implements Transport {
    private final EventLoop loop;
    private final SocketChannel channel;
    private BaseProtocol protocol;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private int pendingBytes;
    private final WriteFlowControl flow;
    private boolean closing;
    private boolean eofWritten;
    private boolean readingPaused;
    private boolean lost;
    private final Runnable onReadable = this::readReady;
    private final Runnable onWritable = this::writeReady;

    /** Run once the connection is lost (a server counts its connections); may be {@code null}. */
    private final Runnable afterLost;

    SocketTransport(EventLoop loop, SocketChannel channel, BaseProtocol protocol, Runnable afterLost) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = Objects.requireNonNull(protocol, "the protocol factory returned null");
        this.afterLost = afterLost;
        this.flow = new WriteFlowControl(loop, this);
    }

    /** Schedules {@code connectionMade}, then reading, then completes {@code waiter} (if any), as asyncio does. */
    void start(Future<Void> waiter) {
        loop.callSoon(() -> {
            try {
                protocol.connectionMade(this);
            } catch (RuntimeException e) {
                fatalError(e, "protocol.connectionMade() failed");
                return;
            }
            if (!closing && !readingPaused) {
                loop.addReader(channel, onReadable);
            }
        });
        if (waiter != null) {
            loop.callSoon(() -> {
                if (waiter.state == Future.PENDING) {
                    waiter.complete(null);
                }
            });
        }
    }

    // ---- reading --------------------------------------------------------------------------------------------

    private void readReady() {
        if (lost) {
            return;
        }
        int n;
        if (protocol instanceof BufferedProtocol) {
            BufferedProtocol bp = (BufferedProtocol) protocol;
            ByteBuffer buf;
            try {
                buf = bp.getBuffer(-1);
                if (buf == null || !buf.hasRemaining()) {
                    throw new IllegalStateException("getBuffer() returned a buffer without room: " + buf);
                }
            } catch (RuntimeException e) {
                fatalError(e, "protocol.getBuffer() failed");
                return;
            }
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                fatalError(e, "read failed");
                return;
            }
            if (n > 0) {
                try {
                    bp.bufferUpdated(n);
                } catch (RuntimeException e) {
                    fatalError(e, "protocol.bufferUpdated() failed");
                }
                return;
            }
        } else {
            ByteBuffer buf = loop.readBuffer();
            buf.clear();
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                fatalError(e, "read failed");
                return;
            }
            if (n > 0) {
                buf.flip();
                try {
                    ((Protocol) protocol).dataReceived(buf);
                } catch (RuntimeException e) {
                    fatalError(e, "protocol.dataReceived() failed");
                }
                return;
            }
        }
        if (n < 0) {
            eofReceived();
        }
    }

    private void eofReceived() {
        boolean keepOpen;
        try {
            keepOpen = protocol instanceof Protocol ? ((Protocol) protocol).eofReceived()
                    : ((BufferedProtocol) protocol).eofReceived();
        } catch (RuntimeException e) {
            fatalError(e, "protocol.eofReceived() failed");
            return;
        }
        if (keepOpen) {
            loop.removeReader(channel); // half-open: this side may still write
        } else {
            close();
        }
    }

    @Override
    public void pauseReading() {
        loop.checkThread("Transport.pauseReading");
        if (closing || readingPaused) {
            return;
        }
        readingPaused = true;
        loop.removeReader(channel);
    }

    @Override
    public void resumeReading() {
        loop.checkThread("Transport.resumeReading");
        if (closing || !readingPaused) {
            return;
        }
        readingPaused = false;
        loop.addReader(channel, onReadable);
    }

    @Override
    public boolean isReading() {
        return !readingPaused && !closing;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    @Override
    public void write(ByteBuffer data) {
        loop.checkThread("Transport.write");
        Objects.requireNonNull(data, "data");
        if (eofWritten) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (!data.hasRemaining() || lost) {
            return; // asyncio drops writes after the connection is lost
        }
        if (pending.isEmpty()) {
            try {
                channel.write(data);
            } catch (IOException e) {
                fatalError(e, "write failed");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            loop.addWriter(channel, onWritable);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        pending.addLast(copy);
        pendingBytes += copy.remaining();
        flow.maybePause(pendingBytes);
    }

    private void writeReady() {
        if (lost) {
            return;
        }
        try {
            ByteBuffer[] bufs = pending.toArray(new ByteBuffer[0]);
            long n = channel.write(bufs);
            pendingBytes -= (int) n;
        } catch (IOException e) {
            loop.removeWriter(channel);
            pending.clear();
            pendingBytes = 0;
            fatalError(e, "write failed");
            return;
        }
        while (!pending.isEmpty() && !pending.peekFirst().hasRemaining()) {
            pending.pollFirst();
        }
        flow.maybeResume(pendingBytes);
        if (pending.isEmpty()) {
            loop.removeWriter(channel);
            if (closing) {
                connectionLost(null);
            } else if (eofWritten) {
                shutdownOutput();
            }
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "shutdownOutput failed");
        }
    }

    @Override
    public void writeEof() {
        loop.checkThread("Transport.writeEof");
        if (closing || eofWritten) {
            return;
        }
        eofWritten = true;
        if (pending.isEmpty()) {
            shutdownOutput();
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public int getWriteBufferSize() {
        return pendingBytes;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        loop.checkThread("Transport.setWriteBufferLimits");
        flow.setLimits(high, low, pendingBytes);
    }

    @Override
    public int getWriteBufferHigh() {
        return flow.high();
    }

    @Override
    public int getWriteBufferLow() {
        return flow.low();
    }

    // ---- closing --------------------------------------------------------------------------------------------

    @Override
    public void close() {
        loop.checkThread("Transport.close");
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

    @Override
    public void abort() {
        loop.checkThread("Transport.abort");
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** An error on the connection: reported unless it is an I/O error (a reset peer is no bug), then closed. */
    void fatalError(Exception e, String what) {
        if (!(e instanceof IOException)) {
            loop.callExceptionHandler(new ExceptionContext("Fatal error on transport " + this + ": " + what, e));
        }
        forceClose(e);
    }

    private void forceClose(Exception e) {
        if (lost) {
            return;
        }
        if (!pending.isEmpty()) {
            pending.clear();
            pendingBytes = 0;
            loop.removeWriter(channel);
        }
        if (!closing) {
            closing = true;
            loop.removeReader(channel);
        }
        lost = true;
        loop.callSoon(() -> connectionLost(e));
    }

    private void connectionLost(Exception e) {
        lost = true;
        try {
            protocol.connectionLost(e);
        } finally {
            try {
                loop.closeChannel(channel);
            } catch (IOException ignored) {
                // closing a socket that failed: nothing more to do
            }
            if (afterLost != null) {
                afterLost.run();
            }
        }
    }

    // ---- information ----------------------------------------------------------------------------------------

    @Override
    public Object getExtraInfo(String name) {
        try {
            switch (name) {
                case "peername":
                    return channel.getRemoteAddress();
                case "sockname":
                    return channel.getLocalAddress();
                case "socket":
                    return channel;
                default:
                    return null;
            }
        } catch (IOException closed) {
            return null;
        }
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    /** Gives the connection to another protocol (asyncio's {@code set_protocol}; used by {@code startTls}). */
    void setProtocol(BaseProtocol p) {
        protocol = Objects.requireNonNull(p, "protocol");
    }

    @Override
    public String toString() {
        return "<SocketTransport " + (lost ? "closed" : closing ? "closing" : "open") + " "
                + getExtraInfo("peername") + (pendingBytes > 0 ? " write buffer=" + pendingBytes : "") + ">";
    }
}
