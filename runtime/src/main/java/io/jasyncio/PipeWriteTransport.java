package io.jasyncio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The write end of a child's input pipe (asyncio's {@code _UnixWritePipeTransport}). The JDK's process streams
 * block, so {@link #write} queues the bytes and a writer thread writes them; it tells the loop through
 * {@link EventLoop#callSoonThreadsafe} when the queue falls to the low-water mark, so that
 * {@link StreamWriter#drain()} waits while the child does not read.
 */
final class PipeWriteTransport implements Transport {
    private final EventLoop loop;
    private final OutputStream out;
    private final BaseProtocol protocol;
    private final String name;
    private final Runnable onLost;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queuedBytes;
    private boolean finish;
    private boolean aborted;
    /** Set by the loop while the protocol is paused; the writer thread then reports each chunk it wrote. */
    private volatile boolean wantProgress;

    /** On the loop's thread. */
    private Thread writer;
    private boolean closing;
    private boolean eofWritten;
    private boolean lost;
    private final WriteFlowControl flow;

    PipeWriteTransport(EventLoop loop, OutputStream out, BaseProtocol protocol, String name, Runnable onLost) {
        this.loop = loop;
        this.out = out;
        this.protocol = protocol;
        this.name = name;
        this.onLost = onLost;
        this.flow = new WriteFlowControl(loop, this);
    }

    void start() {
        loop.externalStarted(); // the writer reports back: virtual time must not run ahead of it
        protocol.connectionMade(this);
    }

    private void ensureWriter() {
        if (writer == null) {
            writer = new Thread(this::drainQueue, "jasyncio-pipe-" + name);
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void drainQueue() {
        try {
            for (;;) {
                byte[] chunk;
                synchronized (lock) {
                    while (queue.isEmpty() && !finish && !aborted) {
                        lock.wait();
                    }
                    if (aborted || queue.isEmpty()) {
                        break;
                    }
                    chunk = queue.peekFirst();
                }
                out.write(chunk);
                out.flush();
                synchronized (lock) {
                    queue.pollFirst();
                    queuedBytes -= chunk.length;
                }
                if (wantProgress) {
                    post(this::progress);
                }
            }
            out.close();
            post(this::finished);
        } catch (IOException e) {
            closeQuietly();
            post(() -> failed(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts it; if someone does, the writer ends
            closeQuietly();
        }
    }

    private void post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (IllegalStateException closed) {
            // the loop is gone: nobody is left to tell
        }
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the pipe is broken already: closing it has nothing more to say
        }
    }

    private void progress() {
        maybeResumeProtocol();
    }

    private void finished() {
        maybeResumeProtocol();
        if (closing) {
            connectionLost(null);
        }
    }

    private void failed(IOException e) {
        if (lost) {
            return;
        }
        synchronized (lock) {
            queue.clear();
            queuedBytes = 0;
        }
        closing = true;
        connectionLost(e); // the child closed its input (a broken pipe): as asyncio, the protocol learns why
    }

    /**
     * The child exited: its input is gone. The transport closes; bytes it still held are lost, and then the
     * protocol hears of a broken pipe (asyncio's write pipe sees the read end close).
     */
    void peerGone() {
        if (lost) {
            return;
        }
        boolean unwritten;
        synchronized (lock) {
            unwritten = queuedBytes > 0;
            queue.clear();
            queuedBytes = 0;
            aborted = true;
            lock.notifyAll();
        }
        closing = true;
        if (writer == null) {
            closeQuietly();
        }
        connectionLost(unwritten ? new IOException("Broken pipe: " + name + " exited before reading all its input")
                : null);
    }

    private void connectionLost(Exception error) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        loop.externalEnded();
        try {
            protocol.connectionLost(error);
        } catch (RuntimeException e) {
            loop.callExceptionHandler(new ExceptionContext("protocol.connectionLost() failed on " + this, e));
        } finally {
            onLost.run();
        }
    }

    // ---- Transport ------------------------------------------------------------------------------------------

    @Override
    public void write(ByteBuffer data) {
        loop.checkThread("Transport.write");
        Objects.requireNonNull(data, "data");
        if (eofWritten) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (!data.hasRemaining() || closing) {
            return; // as asyncio: writes after close() or a lost pipe are dropped
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        synchronized (lock) {
            queue.addLast(copy);
            queuedBytes += copy.length;
            lock.notifyAll();
        }
        ensureWriter();
        maybePauseProtocol();
    }

    @Override
    public void writeEof() {
        loop.checkThread("Transport.writeEof");
        if (closing || eofWritten) {
            return;
        }
        eofWritten = true;
        closing = true; // a pipe has no half-close: its end of file is its close (as asyncio's write_eof)
        finishWriting();
    }

    private void finishWriting() {
        synchronized (lock) {
            finish = true;
            lock.notifyAll();
        }
        ensureWriter();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void close() {
        loop.checkThread("Transport.close");
        if (closing) {
            return;
        }
        closing = true;
        finishWriting(); // what is queued is written first, then the pipe is closed
    }

    @Override
    public void abort() {
        loop.checkThread("Transport.abort");
        if (lost) {
            return;
        }
        synchronized (lock) {
            queue.clear();
            queuedBytes = 0;
            aborted = true;
            lock.notifyAll();
        }
        closing = true;
        if (writer == null) {
            closeQuietly();
        }
        loop.callSoon(() -> connectionLost(null));
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException(this + " is the write end of a pipe: it is not read");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException(this + " is the write end of a pipe: it is not read");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public int getWriteBufferSize() {
        synchronized (lock) {
            return queuedBytes;
        }
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        loop.checkThread("Transport.setWriteBufferLimits");
        flow.setLimits(high, low, getWriteBufferSize());
        maybeReportProgress();
    }

    @Override
    public int getWriteBufferHigh() {
        return flow.high();
    }

    @Override
    public int getWriteBufferLow() {
        return flow.low();
    }

    private void maybePauseProtocol() {
        flow.maybePause(getWriteBufferSize());
        maybeReportProgress();
    }

    /**
     * While the protocol is paused, the writer thread reports each chunk it writes; it may have caught up before
     * it was told to, so the resume is tried once at once too.
     */
    private void maybeReportProgress() {
        if (flow.paused()) {
            wantProgress = true;
            maybeResumeProtocol();
        }
    }

    private void maybeResumeProtocol() {
        flow.maybeResume(getWriteBufferSize());
        wantProgress = flow.paused();
    }

    /** {@code "pipe"}: the JDK's {@link OutputStream} of the pipe. */
    @Override
    public Object getExtraInfo(String key) {
        return "pipe".equals(key) ? out : null;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "<PipeWriteTransport " + name + (lost ? " closed" : closing ? " closing" : "") + " bufsize="
                + getWriteBufferSize() + ">";
    }
}
