package io.jasyncio;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The protocol under a {@link StreamReader} and {@link StreamWriter}; asyncio's {@code StreamReaderProtocol} with
 * its {@code FlowControlMixin}: feeds the reader, pauses and resumes {@link StreamWriter#drain()}, and for a
 * server runs the {@link ClientConnected} handler in a task of its own.
 */
final class StreamReaderProtocol implements Protocol {
    private final StreamReader reader;
    private final ClientConnected handler;
    private final EventLoop loop;
    private Transport transport;
    private StreamWriter writer;
    private boolean paused;
    private boolean lost;
    private final ArrayDeque<Future<Void>> drainWaiters = new ArrayDeque<>();
    final Future<Void> closed;

    /** With {@code reader} {@code null} for a write-only transport (a child's stdin pipe). */
    StreamReaderProtocol(StreamReader reader, ClientConnected handler, EventLoop loop) {
        this.reader = reader;
        this.handler = handler;
        this.loop = loop;
        this.closed = new Future<>(loop);
    }

    /** {@return whether this is the server's side of its connection} */
    boolean serverSide() {
        return handler != null;
    }

    /** {@link StreamWriter#startTls}: the connection now goes through {@code tls}. */
    void switchedTo(Transport tls) {
        transport = tls;
    }

    @Override
    public void connectionMade(Transport t) {
        if (transport != null) {
            // the TLS transport of StreamWriter.startTls: the streams go on as they are
            transport = t;
            if (reader != null) {
                reader.setTransport(t);
            }
            return;
        }
        transport = t;
        if (reader != null) {
            reader.setTransport(t);
        }
        if (handler != null) {
            writer = new StreamWriter(t, this, reader, loop);
            Coroutine<Void> c;
            try {
                c = handler.accept(reader, writer);
                if (c == null) {
                    throw new NullPointerException("the ClientConnected handler returned null instead of a coroutine");
                }
            } catch (Exception e) {
                loop.callExceptionHandler(new ExceptionContext("the ClientConnected handler failed for " + t, e));
                t.close();
                return;
            }
            Task<Void> task = loop.createTask(c);
            task.addCallbackEntry((java.util.function.Consumer<Future<Void>>) f -> {
                if (f.state == Future.CANCELLED) {
                    t.close(); // as asyncio 3.13: a cancelled handler's connection is closed
                } else if (f.state == Future.FINISHED && f.exception != null) {
                    f.markRetrieved();
                    loop.callExceptionHandler(new ExceptionContext("Unhandled exception in the ClientConnected "
                            + "handler of " + t, f.exception, f, null, null));
                    t.close();
                }
            });
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        // keep a TCP connection half-open (the writer may still write); TLS cannot be half-closed (asyncio's
        // _over_ssl)
        return !(transport != null && transport.getExtraInfo("sslcontext") != null);
    }

    @Override
    public void connectionLost(Exception exception) {
        if (exception == null) {
            if (reader != null) {
                reader.feedEof();
            }
            closed.complete(null);
        } else {
            if (reader != null) {
                reader.setException(exception);
            }
            closed.completeExceptionally(exception);
            closed.markRetrieved(); // waitClosed() rethrows it; nobody has to
        }
        lost = true;
        for (Future<Void> w; (w = drainWaiters.pollFirst()) != null; ) {
            if (w.state == Future.PENDING) {
                if (exception == null) {
                    w.complete(null);
                } else {
                    w.completeExceptionally(exception);
                    w.markRetrieved();
                }
            }
        }
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        for (Future<Void> w; (w = drainWaiters.pollFirst()) != null; ) {
            if (w.state == Future.PENDING) {
                w.complete(null);
            }
        }
    }

    boolean lost() {
        return lost;
    }

    boolean writingPaused() {
        return paused;
    }

    Future<Void> drainWaiter() {
        Future<Void> w = new Future<>(loop);
        drainWaiters.addLast(w);
        return w;
    }

    void forgetDrainWaiter(Future<Void> w) {
        drainWaiters.remove(w);
    }
}
