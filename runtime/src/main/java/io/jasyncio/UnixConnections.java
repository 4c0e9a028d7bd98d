package io.jasyncio;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** The coroutines of {@link EventLoop#createUnixConnection} and {@link EventLoop#createUnixServer}. */
final class UnixConnections {
    private UnixConnections() {
    }

    static final class Connect extends Op<Transport> {
        private final EventLoop loop;
        private final Supplier<? extends BaseProtocol> factory;
        private final Path path;
        private SocketChannel channel;
        private SocketTransport transport;

        Connect(EventLoop loop, Supplier<? extends BaseProtocol> factory, Path path) {
            this.loop = loop;
            this.factory = factory;
            this.path = path;
        }

        @Override
        Object step(Object value, Throwable exception) {
            switch (state) {
                case 0:
                    if (exception != null) {
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    try {
                        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                        channel.configureBlocking(false);
                        return await(loop.sockConnect(channel, UnixDomainSocketAddress.of(path)), 1);
                    } catch (IOException e) {
                        close();
                        throw CoreImpl.sneakyThrow(e);
                    }
                case 1: {
                    if (exception != null) {
                        close();
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    BaseProtocol protocol;
                    try {
                        protocol = factory.get();
                    } catch (RuntimeException e) {
                        close();
                        throw e;
                    }
                    transport = new SocketTransport(loop, channel, protocol, null);
                    Future<Void> made = new Future<>(loop);
                    transport.start(made);
                    return await(made, 2);
                }
                default:
                    if (exception != null) {
                        transport.abort();
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    return transport;
            }
        }

        private void close() {
            if (channel != null) {
                try {
                    loop.closeChannel(channel);
                } catch (IOException ignored) {
                    // the attempt failed already
                }
            }
        }

        @Override
        public String toString() {
            return "<coroutine createUnixConnection(" + path + ")>";
        }
    }

    static final class Listen extends Op<Server> {
        private final EventLoop loop;
        private final Supplier<? extends BaseProtocol> factory;
        private final Path path;

        Listen(EventLoop loop, Supplier<? extends BaseProtocol> factory, Path path) {
            this.loop = loop;
            this.factory = factory;
            this.path = path;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            ServerSocketChannel s = null;
            try {
                // as asyncio: a socket file left by an earlier server is removed; anything else is refused by bind
                if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
                    Files.delete(path);
                }
                s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                s.bind(UnixDomainSocketAddress.of(path), 100);
                s.configureBlocking(false);
            } catch (IOException e) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // the bind failed already
                    }
                }
                throw CoreImpl.sneakyThrow(e);
            }
            Server server = new Server(loop, List.of(s), factory);
            server.removeOnClose(path);
            return server;
        }

        @Override
        public String toString() {
            return "<coroutine createUnixServer(" + path + ")>";
        }
    }
}
