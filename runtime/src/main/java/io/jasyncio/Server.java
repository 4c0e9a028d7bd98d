package io.jasyncio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A listening TCP server; asyncio's {@code Server}. Made by {@link EventLoop#createServer} and
 * {@link Asyncio#startServer}; it accepts connections from the moment it is made until {@link #close()}, each
 * with a new protocol from the factory. Closing stops accepting and closes the listening socket; connections
 * already accepted go on, and {@link #waitClosed()} waits until they are closed too.
 * <pre>{@code
 * try (Server server = await(startServer(Handler::handle, "127.0.0.1", 8888))) {
 *     await(server.serveForever());
 * }
 * }</pre>
 */
public final class Server implements AutoCloseable {
    private final EventLoop loop;
    private final List<ServerSocketChannel> sockets;
    private final Supplier<? extends BaseProtocol> factory;
    private boolean serving = true;
    private int activeConnections;
    private final List<Future<Void>> closedWaiters = new ArrayList<>();
    private Future<Void> servingForever;
    /** A Unix socket's file, removed when the server closes (asyncio 3.13's {@code cleanup_socket}). */
    private java.nio.file.Path socketFile;

    private final javax.net.ssl.SSLContext ssl;

    Server(EventLoop loop, List<ServerSocketChannel> sockets, Supplier<? extends BaseProtocol> factory) {
        this(loop, sockets, factory, null);
    }

    Server(EventLoop loop, List<ServerSocketChannel> sockets, Supplier<? extends BaseProtocol> factory,
           javax.net.ssl.SSLContext ssl) {
        this.loop = loop;
        this.sockets = List.copyOf(sockets);
        this.factory = factory;
        this.ssl = ssl;
        for (ServerSocketChannel s : this.sockets) {
            loop.addReader(s, () -> acceptReady(s));
        }
    }

    private void acceptReady(ServerSocketChannel s) {
        for (int i = 0; i < 100 && serving; i++) { // at most a backlog's worth per readiness, as asyncio
            SocketChannel c;
            try {
                c = s.accept();
            } catch (IOException e) {
                loop.callExceptionHandler(new ExceptionContext("accept() failed on " + this, e));
                return;
            }
            if (c == null) {
                return;
            }
            BaseProtocol p;
            try {
                c.configureBlocking(false);
                if (c.supportedOptions().contains(java.net.StandardSocketOptions.TCP_NODELAY)) {
                    c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true); // as asyncio, for every TCP transport
                }
                p = factory.get();
            } catch (IOException | RuntimeException e) {
                loop.callExceptionHandler(new ExceptionContext("cannot set up a connection of " + this, e));
                try {
                    c.close();
                } catch (IOException ignored) {
                    // the connection is dropped either way
                }
                continue;
            }
            activeConnections++;
            if (ssl != null) {
                SslProtocol tls = new SslProtocol(loop, ssl, SslProtocol.serverEngine(ssl), p, null);
                tls.afterLost(this::connectionClosed);
                new SocketTransport(loop, c, tls, null).start(null);
            } else {
                new SocketTransport(loop, c, p, this::connectionClosed).start(null);
            }
        }
    }

    private void connectionClosed() {
        activeConnections--;
        wakeClosedWaiters();
    }

    private void wakeClosedWaiters() {
        if (!serving && activeConnections == 0) {
            for (Future<Void> w : closedWaiters) {
                if (w.state == Future.PENDING) {
                    w.complete(null);
                }
            }
            closedWaiters.clear();
        }
    }

    /** Stops accepting and closes the listening sockets; accepted connections go on. Calling it again does nothing. */
    @Override
    public void close() {
        loop.checkThread("Server.close");
        if (!serving) {
            return;
        }
        serving = false;
        for (ServerSocketChannel s : sockets) {
            loop.removeReader(s);
            try {
                loop.closeChannel(s); // released at once: the port can be bound again
            } catch (IOException e) {
                loop.callExceptionHandler(new ExceptionContext("cannot close " + s, e));
            }
        }
        if (socketFile != null) {
            try {
                java.nio.file.Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                loop.callExceptionHandler(new ExceptionContext("cannot remove the socket file " + socketFile, e));
            }
        }
        if (servingForever != null && servingForever.state == Future.PENDING) {
            servingForever.cancelInternal(null);
        }
        wakeClosedWaiters();
    }

    void removeOnClose(java.nio.file.Path file) {
        socketFile = file;
    }

    /**
     * Waits until the server is closed and every connection it accepted is closed.
     *
     * @return a coroutine that completes then
     */
    public Coroutine<Void> waitClosed() {
        Future<Void> f = new Future<>(loop);
        if (!serving && activeConnections == 0) {
            f.complete(null);
        } else {
            closedWaiters.add(f);
        }
        return new Combinators.Awaiter<>(f);
    }

    /**
     * Serves until the task awaiting this is cancelled (which closes the server) or {@link #close()} is called.
     *
     * @return a coroutine that serves
     * @throws IllegalStateException if the server is closed or already serving forever
     */
    public Coroutine<Void> serveForever() {
        if (!serving) {
            throw new IllegalStateException(this + " is closed");
        }
        if (servingForever != null) {
            throw new IllegalStateException(this + " is already serving forever");
        }
        Future<Void> f = new Future<>(loop);
        servingForever = f;
        f.addCallbackEntry((java.util.function.Consumer<Future<Void>>) done -> close());
        return new Combinators.Awaiter<>(f);
    }

    /** {@return whether the server accepts connections} */
    public boolean isServing() {
        return serving;
    }

    /** {@return the listening sockets (empty once closed)} */
    public List<ServerSocketChannel> sockets() {
        return serving ? sockets : List.of();
    }

    /** {@return the addresses the server listens on, such as {@code /127.0.0.1:8888}} */
    public List<SocketAddress> addresses() {
        List<SocketAddress> all = new ArrayList<>();
        for (ServerSocketChannel s : sockets()) {
            try {
                all.add(s.getLocalAddress());
            } catch (IOException closed) {
                // closed meanwhile
            }
        }
        return all;
    }

    @Override
    public String toString() {
        return "<Server " + (serving ? addresses() : "closed") + ">";
    }
}
