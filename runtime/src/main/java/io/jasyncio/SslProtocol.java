package io.jasyncio;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * TLS over a plain transport; asyncio's {@code SSLProtocol}. It is the protocol of the raw {@link SocketTransport}
 * and gives the application's protocol a {@link Transport} of its own ({@link AppTransport}) that carries
 * plaintext: received records are unwrapped with the {@link SSLEngine} and handed on, written bytes are wrapped
 * and sent.
 *
 * <h2>Implementation overview</h2>
 * <p>{@link #netIn} collects the bytes received and not unwrapped yet (a record may arrive in pieces);
 * {@link #drive()} runs the engine until it needs more input: delegated tasks run in place, {@code NEED_WRAP}
 * sends what the engine makes (handshake messages, {@code close_notify}), unwrapped application data goes to the
 * app protocol. Writes made before the handshake finished wait in {@link #appPending}. The handshake (default 60 s)
 * and the shutdown (default 30 s) have deadlines; past them the connection is aborted with an
 * {@link SSLException}.
 */
final class SslProtocol implements Protocol {
    static final double HANDSHAKE_TIMEOUT = 60.0;
    static final double SHUTDOWN_TIMEOUT = 30.0;

    private final EventLoop loop;
    private final SSLEngine engine;
    private final BaseProtocol app;
    private final Future<Void> made;
    private final javax.net.ssl.SSLContext context;
    private Transport raw;
    private final AppTransport appTransport = new AppTransport();
    private ByteBuffer netIn = ByteBuffer.allocate(17 * 1024);
    private ByteBuffer appIn = ByteBuffer.allocate(17 * 1024);
    private ByteBuffer netOut = ByteBuffer.allocate(17 * 1024);
    private final ArrayDeque<ByteBuffer> appPending = new ArrayDeque<>();
    private boolean handshakeDone;
    private boolean appClosing;
    private boolean lostReported;
    private TimerHandle handshakeTimer;
    private TimerHandle shutdownTimer;
    private Runnable afterLost;

    SslProtocol(EventLoop loop, javax.net.ssl.SSLContext context, SSLEngine engine, BaseProtocol app,
                Future<Void> made) {
        this.loop = loop;
        this.context = context;
        this.engine = engine;
        this.app = java.util.Objects.requireNonNull(app, "the protocol factory returned null");
        this.made = made;
    }

    /** An engine for a client: SNI and hostname verification on (unless the host is an address literal). */
    static SSLEngine clientEngine(javax.net.ssl.SSLContext ctx, String host, int port) {
        SSLEngine e = ctx.createSSLEngine(host, port);
        e.setUseClientMode(true);
        javax.net.ssl.SSLParameters p = e.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (host != null && Connections.literal(host, port) == null) {
            p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
        }
        e.setSSLParameters(p);
        return e;
    }

    /** An engine for a server. */
    static SSLEngine serverEngine(javax.net.ssl.SSLContext ctx) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(false);
        return e;
    }

    void afterLost(Runnable r) {
        afterLost = r;
    }

    AppTransport appTransport() {
        return appTransport;
    }

    // ---- the raw transport's protocol -----------------------------------------------------------------------

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        handshakeTimer = loop.callLater(HANDSHAKE_TIMEOUT, () -> fail(new SSLException(
                "SSL handshake is taking longer than " + HANDSHAKE_TIMEOUT + " seconds: aborting the connection")));
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fail(e);
            return;
        }
        drive();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (netIn.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + data.remaining() + 17 * 1024);
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        drive();
    }

    @Override
    public boolean eofReceived() {
        if (!handshakeDone) {
            fail(new SSLException("the connection was closed during the SSL handshake"));
            return false;
        }
        try {
            engine.closeInbound(); // throws: the peer closed without close_notify (a truncation)
        } catch (SSLException truncated) {
            // as asyncio, treat it as the end of the stream
        }
        boolean keepOpen = appEofReceived();
        if (!keepOpen) {
            appTransport.close();
        }
        return keepOpen;
    }

    @Override
    public void connectionLost(Exception exception) {
        cancelTimers();
        if (!handshakeDone && made != null && made.state == Future.PENDING) {
            made.completeExceptionally(exception != null ? exception
                    : new SSLException("the connection was closed during the SSL handshake"));
            made.markRetrieved();
        }
        if (handshakeDone && !lostReported) {
            lostReported = true;
            try {
                app.connectionLost(exception);
            } finally {
                if (afterLost != null) {
                    afterLost.run();
                }
            }
        } else if (afterLost != null && !lostReported) {
            lostReported = true;
            afterLost.run();
        }
    }

    @Override
    public void pauseWriting() {
        app.pauseWriting();
    }

    @Override
    public void resumeWriting() {
        app.resumeWriting();
    }

    // ---- the engine -----------------------------------------------------------------------------------------

    /** Runs the engine as far as the input allows. */
    private void drive() {
        try {
            for (;;) {
                SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK:
                        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                            task.run();
                        }
                        continue;
                    case NEED_WRAP:
                        if (!wrap(ByteBuffer.allocate(0))) {
                            return;
                        }
                        continue;
                    default:
                        break;
                }
                if (!unwrap()) {
                    break;
                }
            }
        } catch (SSLException e) {
            fail(e);
        }
    }

    /** {@return whether something happened (so the engine may have more to do)} */
    private boolean unwrap() throws SSLException {
        netIn.flip();
        SSLEngineResult r;
        try {
            appIn.clear();
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW:
                appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize()));
                return true;
            case BUFFER_UNDERFLOW:
                int need = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < need) {
                    ByteBuffer bigger = ByteBuffer.allocate(need);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                return false; // a record is incomplete: wait for more bytes
            case CLOSED:
                deliver();
                if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    return true; // answer the peer's close_notify
                }
                peerClosed();
                return false;
            default:
                checkHandshakeFinished(r);
                deliver();
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
        }
    }

    private void deliver() {
        appIn.flip();
        if (appIn.hasRemaining() && !appClosing) {
            if (app instanceof Protocol) {
                ((Protocol) app).dataReceived(appIn);
            } else {
                BufferedProtocol bp = (BufferedProtocol) app;
                while (appIn.hasRemaining()) {
                    ByteBuffer into = bp.getBuffer(appIn.remaining());
                    int n = Math.min(into.remaining(), appIn.remaining());
                    ByteBuffer slice = appIn.duplicate();
                    slice.limit(appIn.position() + n);
                    into.put(slice);
                    appIn.position(appIn.position() + n);
                    bp.bufferUpdated(n);
                }
            }
        }
        appIn.clear();
    }

    /** Wraps {@code src} into records and sends them. {@return whether the engine made progress} */
    private boolean wrap(ByteBuffer src) throws SSLException {
        for (;;) {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            switch (r.getStatus()) {
                case BUFFER_OVERFLOW:
                    netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                    continue;
                case CLOSED:
                    send();
                    return r.bytesProduced() > 0;
                default:
                    send();
                    checkHandshakeFinished(r);
                    if (src.hasRemaining()) {
                        continue;
                    }
                    return r.bytesProduced() > 0 || r.bytesConsumed() > 0;
            }
        }
    }

    private void send() {
        netOut.flip();
        if (netOut.hasRemaining() && raw != null && !raw.isClosing()) {
            raw.write(netOut);
        }
    }

    private void checkHandshakeFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED && !handshakeDone) {
            handshakeDone = true;
            if (handshakeTimer != null) {
                handshakeTimer.cancel();
                handshakeTimer = null;
            }
            loop.callSoon(this::handshakeCompleted);
        }
    }

    private void handshakeCompleted() {
        try {
            app.connectionMade(appTransport);
        } catch (RuntimeException e) {
            loop.callExceptionHandler(new ExceptionContext("protocol.connectionMade() failed on " + appTransport, e));
            appTransport.abort();
            return;
        }
        if (made != null && made.state == Future.PENDING) {
            made.complete(null);
        }
        try {
            for (ByteBuffer b; (b = appPending.pollFirst()) != null; ) {
                wrap(b);
            }
            if (appClosing) {
                shutdown();
            }
        } catch (SSLException e) {
            fail(e);
        }
    }

    private void peerClosed() {
        boolean keepOpen = appEofReceived();
        if (!keepOpen) {
            appTransport.close();
        }
    }

    private boolean appEofReceived() {
        try {
            return app instanceof Protocol ? ((Protocol) app).eofReceived() : ((BufferedProtocol) app).eofReceived();
        } catch (RuntimeException e) {
            loop.callExceptionHandler(new ExceptionContext("protocol.eofReceived() failed on " + appTransport, e));
            return false;
        }
    }

    /** Sends close_notify, then closes the raw transport (which waits for what is buffered). */
    private void shutdown() throws SSLException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            if (!wrap(ByteBuffer.allocate(0))) {
                break;
            }
        }
        shutdownTimer = loop.callLater(SHUTDOWN_TIMEOUT, () -> raw.abort());
        raw.close();
    }

    private void fail(Exception e) {
        cancelTimers();
        if (made != null && made.state == Future.PENDING) {
            made.completeExceptionally(e);
            made.markRetrieved();
        }
        if (raw instanceof SocketTransport) {
            ((SocketTransport) raw).fatalError(e, "SSL error");
        } else if (raw != null) {
            raw.abort();
        }
    }

    private void cancelTimers() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
    }

    /** The plaintext transport the application's protocol sees. */
    final class AppTransport implements Transport {
        private boolean reading = true;

        @Override
        public void write(ByteBuffer data) {
            loop.checkThread("Transport.write");
            if (appClosing) {
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            if (!handshakeDone) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                appPending.addLast(copy);
                return;
            }
            try {
                wrap(data);
            } catch (SSLException e) {
                fail(e);
            }
        }

        @Override
        public void writeEof() {
            throw new UnsupportedOperationException("TLS does not support half-closing (writeEof): "
                    + "close_notify closes both directions");
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void close() {
            loop.checkThread("Transport.close");
            if (appClosing) {
                return;
            }
            appClosing = true;
            if (!handshakeDone) {
                return; // closed once the handshake ends (or fails)
            }
            try {
                shutdown();
            } catch (SSLException e) {
                fail(e);
            }
        }

        @Override
        public void abort() {
            loop.checkThread("Transport.abort");
            appClosing = true;
            if (raw != null) {
                raw.abort();
            }
        }

        @Override
        public boolean isClosing() {
            return appClosing || raw == null || raw.isClosing();
        }

        @Override
        public void pauseReading() {
            reading = false;
            raw.pauseReading();
        }

        @Override
        public void resumeReading() {
            reading = true;
            raw.resumeReading();
        }

        @Override
        public boolean isReading() {
            return reading && raw.isReading();
        }

        @Override
        public int getWriteBufferSize() {
            int n = raw == null ? 0 : raw.getWriteBufferSize();
            for (ByteBuffer b : appPending) {
                n += b.remaining();
            }
            return n;
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            raw.setWriteBufferLimits(high, low);
        }

        @Override
        public int getWriteBufferHigh() {
            return raw.getWriteBufferHigh();
        }

        @Override
        public int getWriteBufferLow() {
            return raw.getWriteBufferLow();
        }

        @Override
        public Object getExtraInfo(String name) {
            switch (name) {
                case "sslcontext":
                    return context;
                case "sslengine":
                    return engine;
                case "cipher":
                    return handshakeDone ? engine.getSession().getCipherSuite() : null;
                case "peercert":
                    try {
                        java.security.cert.Certificate[] chain = engine.getSession().getPeerCertificates();
                        return chain.length == 0 ? null : chain[0];
                    } catch (SSLPeerUnverifiedException e) {
                        return null;
                    }
                default:
                    return raw == null ? null : raw.getExtraInfo(name);
            }
        }

        @Override
        public BaseProtocol getProtocol() {
            return app;
        }

        @Override
        public String toString() {
            return "<TLS transport " + (handshakeDone ? "" : "(handshaking) ") + raw + ">";
        }
    }
}
