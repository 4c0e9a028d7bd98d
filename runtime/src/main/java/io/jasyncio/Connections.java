package io.jasyncio;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The coroutines of {@link EventLoop#createConnection} and {@link EventLoop#createServer}. */
final class Connections {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Connections() {
    }

    /** {@return the address of a numeric host, resolved without a lookup, or {@code null} for a name} */
    static InetSocketAddress literal(String host, int port) {
        if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: parsed, not looked up
            } catch (java.net.UnknownHostException e) {
                return null; // not a valid literal after all: let the resolver say so
            }
        }
        return null;
    }

    static final class CreateConnection extends Op<Transport> {
        private static final int RESOLVED = 1;
        private static final int CONNECTED = 2;
        private static final int MADE = 3;
        private static final int RACING = 4;
        private final EventLoop loop;
        private final Supplier<? extends BaseProtocol> factory;
        private final String host;
        private final int port;
        private List<InetSocketAddress> addresses;
        private int next;
        private SocketChannel channel;
        private IOException failure;
        private SocketTransport transport;

        private final javax.net.ssl.SSLContext ssl;
        private final String serverHostname;
        private SslProtocol tls;

        private final java.net.SocketAddress localAddress;

        CreateConnection(EventLoop loop, Supplier<? extends BaseProtocol> factory, String host, int port,
                         ConnectOptions options) {
            this.loop = loop;
            this.factory = factory;
            this.host = host;
            this.port = port;
            this.ssl = options.ssl();
            this.serverHostname = options.serverHostname();
            this.localAddress = options.localAddress();
            this.happyEyeballsDelay = options.happyEyeballsDelay();
        }

        private final double happyEyeballsDelay;

        @Override
        Object step(Object value, Throwable exception) {
            try {
                switch (state) {
                    case 0: {
                        if (exception != null) {
                            throw CoreImpl.sneakyThrow(exception);
                        }
                        if (addresses != null) {
                            return connectNext(); // given (tests of the race)
                        }
                        InetSocketAddress lit = literal(host, port);
                        if (lit == null) {
                            return await(loop.getaddrinfo(host, port), RESOLVED);
                        }
                        addresses = List.of(lit);
                        return connectNext();
                    }
                    case RESOLVED: {
                        if (exception != null) {
                            throw CoreImpl.sneakyThrow(exception);
                        }
                        @SuppressWarnings("unchecked") List<InetSocketAddress> all = (List<InetSocketAddress>) value;
                        addresses = all;
                        return connectNext();
                    }
                    case CONNECTED: {
                        if (exception != null) {
                            closeChannel();
                            if (exception instanceof IOException) {
                                if (failure != null) {
                                    exception.addSuppressed(failure);
                                }
                                failure = (IOException) exception;
                                return connectNext();
                            }
                            throw CoreImpl.sneakyThrow(exception);
                        }
                        return connected();
                    }
                    case RACING:
                        return raceStep(value, exception);
                    default: // MADE
                        if (exception != null) {
                            transport.abort();
                            throw CoreImpl.sneakyThrow(exception);
                        }
                        return tls != null ? tls.appTransport() : transport;
                }
            } catch (IOException e) {
                closeChannel();
                throw CoreImpl.sneakyThrow(e);
            }
        }

        /** For tests: the addresses to try, as if {@code host} had resolved to them. */
        CreateConnection resolvedTo(List<InetSocketAddress> all) {
            addresses = List.copyOf(all);
            return this;
        }

        /** {@link #channel} is connected: start the transport (and TLS), and wait for connectionMade. */
        private Object connected() {
                        BaseProtocol protocol;
                        try {
                            protocol = factory.get();
                        } catch (RuntimeException e) {
                            closeChannel();
                            throw e;
                        }
                        Future<Void> made = new Future<>(loop);
                        if (ssl != null) {
                            String name = serverHostname != null ? serverHostname : host;
                            tls = new SslProtocol(loop, ssl, SslProtocol.clientEngine(ssl, name, port), protocol, made);
                            transport = new SocketTransport(loop, channel, tls, null);
                            transport.start(null); // made completes when the handshake is done
                        } else {
                            transport = new SocketTransport(loop, channel, protocol, null);
                            transport.start(made);
                        }
                        return await(made, MADE);
        }

        // ---- happy eyeballs (RFC 8305, asyncio's happy_eyeballs_delay) -----------------------------------

        /** Attempts running, in the order they started. */
        private final List<Task<SocketChannel>> racing = new ArrayList<>();

        /** Starts the next address's attempt, and waits for an outcome or the delay. */
        private Object raceNext() {
            InetSocketAddress a = addresses.get(next++);
            racing.add(loop.createTask(new Attempt(loop, a, localAddress)));
            return raceWait();
        }

        private Object raceWait() {
            double wait = next < addresses.size() ? happyEyeballsDelay : Double.POSITIVE_INFINITY;
            return await(Asyncio.wait(new ArrayList<>(racing), ReturnWhen.FIRST_COMPLETED, wait), RACING);
        }

        private Object raceStep(Object value, Throwable exception) throws IOException {
            if (exception != null) { // this task was cancelled: so are the attempts
                for (Task<SocketChannel> t : racing) {
                    t.cancel();
                }
                throw CoreImpl.sneakyThrow(exception);
            }
            @SuppressWarnings("unchecked") WaitResult<SocketChannel> r = (WaitResult<SocketChannel>) value;
            boolean failed = false;
            for (Future<SocketChannel> f : r.done()) {
                racing.remove(f);
                if (f.state == Future.FINISHED && f.exception == null) {
                    if (channel == null) {
                        channel = (SocketChannel) f.result;
                    } else {
                        closeQuietly((SocketChannel) f.result); // two won at once: keep the first
                    }
                } else if (f.state == Future.FINISHED) {
                    f.markRetrieved();
                    if (f.exception instanceof IOException) {
                        if (failure != null) {
                            f.exception.addSuppressed(failure);
                        }
                        failure = (IOException) f.exception;
                        failed = true;
                    } else {
                        throw CoreImpl.sneakyThrow(f.exception);
                    }
                }
            }
            if (channel != null) {
                for (Task<SocketChannel> t : racing) { // the losers: cancelled, or closed if they connect anyway
                    t.cancel();
                    t.addCallbackEntry((java.util.function.Consumer<Future<SocketChannel>>) f -> {
                        if (f.state == Future.FINISHED && f.exception == null) {
                            closeQuietly((SocketChannel) f.result);
                        } else if (f.state == Future.FINISHED) {
                            f.markRetrieved();
                        }
                    });
                }
                racing.clear();
                return connected();
            }
            if (next < addresses.size() && (failed || r.done().isEmpty() || racing.isEmpty())) {
                return raceNext(); // the delay passed, or an attempt failed: start the next
            }
            if (racing.isEmpty()) {
                throw failure != null ? failure : new ConnectException("no address to connect to for " + host + ":" + port);
            }
            return raceWait();
        }

        private void closeQuietly(SocketChannel c) {
            try {
                loop.closeChannel(c);
            } catch (IOException ignored) {
                // a losing attempt: nothing more to do
            }
        }

        private Object connectNext() throws IOException {
            if (happyEyeballsDelay > 0 && addresses.size() - next > 1) {
                return raceNext();
            }
            if (next >= addresses.size()) {
                if (failure != null) {
                    throw failure;
                }
                throw new ConnectException("no address to connect to for " + host + ":" + port);
            }
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // asyncio sets it for TCP too
            if (localAddress != null) {
                channel.bind(localAddress);
            }
            return await(loop.sockConnect(channel, addresses.get(next++)), CONNECTED);
        }

        private void closeChannel() {
            if (channel != null) {
                try {
                    loop.closeChannel(channel); // registered by sockConnect
                } catch (IOException ignored) {
                    // the attempt failed already
                }
                channel = null;
            }
        }

        @Override
        public String toString() {
            return "<coroutine createConnection(" + host + ", " + port + ")>";
        }
    }

    /** One connection attempt of a happy-eyeballs race: a connected channel, or closed on any failure. */
    static final class Attempt extends Op<SocketChannel> {
        private final EventLoop loop;
        private final InetSocketAddress address;
        private final java.net.SocketAddress local;
        private SocketChannel channel;

        Attempt(EventLoop loop, InetSocketAddress address, java.net.SocketAddress local) {
            this.loop = loop;
            this.address = address;
            this.local = local;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (state == 0 && exception == null) {
                try {
                    channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    if (local != null) {
                        channel.bind(local);
                    }
                    return await(loop.sockConnect(channel, address), 1);
                } catch (IOException e) {
                    exception = e;
                }
            }
            if (exception != null) {
                if (channel != null) {
                    try {
                        loop.closeChannel(channel);
                    } catch (IOException ignored) {
                        // the attempt failed already
                    }
                }
                throw CoreImpl.sneakyThrow(exception);
            }
            return channel;
        }

        @Override
        public String toString() {
            return "<coroutine connect attempt to " + address + ">";
        }
    }

    static final class CreateServer extends Op<Server> {
        private final EventLoop loop;
        private final Supplier<? extends BaseProtocol> factory;
        private final String host;
        private final int port;
        private final int backlog;

        private final javax.net.ssl.SSLContext ssl;
        private final ServeOptions options;

        CreateServer(EventLoop loop, Supplier<? extends BaseProtocol> factory, String host, int port,
                     ServeOptions options) {
            this.loop = loop;
            this.factory = factory;
            this.host = host;
            this.port = port;
            this.backlog = options.backlog();
            this.ssl = options.ssl();
            this.options = options;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            List<InetSocketAddress> addresses;
            if (state == 0) {
                if (host == null) {
                    addresses = List.of(new InetSocketAddress(port)); // every interface
                } else {
                    InetSocketAddress lit = literal(host, port);
                    if (lit == null) {
                        try {
                            return await(loop.getaddrinfo(host, port), 1);
                        } catch (IOException e) {
                            throw CoreImpl.sneakyThrow(e);
                        }
                    }
                    addresses = List.of(lit);
                }
            } else {
                @SuppressWarnings("unchecked") List<InetSocketAddress> all = (List<InetSocketAddress>) value;
                addresses = all;
            }
            List<ServerSocketChannel> sockets = new ArrayList<>();
            try {
                for (InetSocketAddress a : addresses) {
                    ServerSocketChannel s = ServerSocketChannel.open();
                    sockets.add(s);
                    s.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
                    if (options.reusePort()) {
                        if (!s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                            throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this platform");
                        }
                        s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    }
                    s.bind(a, backlog);
                    s.configureBlocking(false);
                }
            } catch (IOException e) {
                for (ServerSocketChannel s : sockets) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // the bind failed already
                    }
                }
                throw CoreImpl.sneakyThrow(e);
            }
            return new Server(loop, sockets, factory, ssl);
        }

        @Override
        public String toString() {
            return "<coroutine createServer(" + host + ", " + port + ")>";
        }
    }
}
