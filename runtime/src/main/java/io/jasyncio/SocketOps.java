package io.jasyncio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The coroutines of {@link EventLoop#sockRecvInto} and the other {@code sock*} methods: try the operation on the
 * non-blocking channel; if it would block, wait for readiness (a reader or writer callback completing a future)
 * and try again. The callback is removed whenever the wait ends, also on cancellation.
 */
final class SocketOps {
    private SocketOps() {
    }

    static void nonBlocking(SelectableChannel channel) throws IOException {
        if (channel.isBlocking()) {
            channel.configureBlocking(false);
        }
    }

    /** The common part: waiting for the channel to be readable or writable. */
    private abstract static class SocketOp<T> extends Op<T> {
        final SelectableChannel channel;
        private final boolean write;
        private Future<Void> ready;

        SocketOp(SelectableChannel channel, boolean write) {
            this.channel = channel;
            this.write = write;
        }

        /** Tries the operation: {@return the result, or {@link #WOULD_BLOCK}} */
        abstract Object attempt() throws IOException;

        static final Object WOULD_BLOCK = new Object();

        @Override
        final Object step(Object value, Throwable exception) {
            EventLoop loop = task.loop;
            if (state == 1) {
                ready = null;
                if (write) {
                    loop.removeWriter(channel);
                } else {
                    loop.removeReader(channel);
                }
            }
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            Object r;
            try {
                r = attempt();
            } catch (IOException e) {
                throw CoreImpl.sneakyThrow(e);
            }
            if (r != WOULD_BLOCK) {
                return r;
            }
            Future<Void> f = new Future<>(loop);
            ready = f;
            Runnable wake = () -> {
                if (f.state == Future.PENDING) {
                    f.complete(null);
                }
            };
            if (write) {
                loop.addWriter(channel, wake);
            } else {
                loop.addReader(channel, wake);
            }
            return await(f, 1);
        }
    }

    static final class RecvInto extends SocketOp<Integer> {
        private final ByteBuffer buffer;

        RecvInto(SocketChannel channel, ByteBuffer buffer) {
            super(channel, false);
            this.buffer = buffer;
        }

        @Override
        Object attempt() throws IOException {
            if (!buffer.hasRemaining()) {
                return 0;
            }
            int n = ((SocketChannel) channel).read(buffer);
            return n == 0 ? WOULD_BLOCK : (Object) n;
        }

        @Override
        public String toString() {
            return "<coroutine sockRecvInto(" + channel + ")>";
        }
    }

    static final class Recv extends SocketOp<byte[]> {
        private final ByteBuffer buffer;

        Recv(SocketChannel channel, int nbytes) {
            super(channel, false);
            this.buffer = ByteBuffer.allocate(nbytes);
        }

        @Override
        Object attempt() throws IOException {
            if (!buffer.hasRemaining()) {
                return new byte[0];
            }
            int n = ((SocketChannel) channel).read(buffer);
            if (n == 0) {
                return WOULD_BLOCK;
            }
            if (n < 0) {
                return new byte[0]; // end of stream, as Python's b''
            }
            byte[] data = new byte[n];
            buffer.flip();
            buffer.get(data);
            return data;
        }

        @Override
        public String toString() {
            return "<coroutine sockRecv(" + channel + ")>";
        }
    }

    static final class Sendall extends SocketOp<Void> {
        private final ByteBuffer data;

        Sendall(SocketChannel channel, ByteBuffer data) {
            super(channel, true);
            this.data = data;
        }

        @Override
        Object attempt() throws IOException {
            SocketChannel ch = (SocketChannel) channel;
            while (data.hasRemaining()) {
                if (ch.write(data) == 0) {
                    return WOULD_BLOCK;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "<coroutine sockSendall(" + channel + ")>";
        }
    }

    static final class Connect extends SocketOp<Void> {
        private final SocketAddress address;
        private boolean started;

        Connect(SocketChannel channel, SocketAddress address) {
            super(channel, true);
            this.address = address;
        }

        @Override
        Object attempt() throws IOException {
            SocketChannel ch = (SocketChannel) channel;
            if (!started) {
                started = true;
                if (ch.connect(address)) {
                    return null;
                }
                return WOULD_BLOCK;
            }
            return ch.finishConnect() ? null : WOULD_BLOCK;
        }

        @Override
        public String toString() {
            return "<coroutine sockConnect(" + channel + ", " + address + ")>";
        }
    }

    static final class Accept extends SocketOp<SocketChannel> {
        Accept(ServerSocketChannel channel) {
            super(channel, false);
        }

        @Override
        Object attempt() throws IOException {
            SocketChannel c = ((ServerSocketChannel) channel).accept();
            if (c == null) {
                return WOULD_BLOCK;
            }
            c.configureBlocking(false);
            return c;
        }

        @Override
        public String toString() {
            return "<coroutine sockAccept(" + channel + ")>";
        }
    }
}
