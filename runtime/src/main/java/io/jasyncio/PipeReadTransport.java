package io.jasyncio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The read end of a child's output pipe (asyncio's {@code _UnixReadPipeTransport}). The JDK's process streams
 * block and have no selectable channel, so a pump thread reads the pipe and hands each chunk to the loop through
 * {@link EventLoop#callSoonThreadsafe}.
 *
 * <p>Flow control: the pump reads the next chunk only after the loop has taken the previous one and while the
 * protocol has not paused reading ({@link #pauseReading}, which a {@link StreamReader} does above twice its
 * limit). So at most one chunk is in flight, and a child that writes more than its reader reads blocks on its
 * full pipe instead of filling this JVM's heap.
 */
final class PipeReadTransport implements Transport {
    /** The most bytes one read hands to the loop. */
    static final int CHUNK = 64 * 1024;

    private final EventLoop loop;
    private final InputStream in;
    private final Protocol protocol;
    private final String name;
    private final Runnable onLost;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}: reading paused by the protocol; a chunk handed to the loop not taken yet; closed. */
    private boolean paused;
    private boolean inFlight;
    private boolean stopped;

    /** On the loop's thread. */
    private boolean closing;
    private boolean lost;

    PipeReadTransport(EventLoop loop, InputStream in, Protocol protocol, String name, Runnable onLost) {
        this.loop = loop;
        this.in = in;
        this.protocol = protocol;
        this.name = name;
        this.onLost = onLost;
    }

    /** Tells the protocol it is connected and starts the pump. */
    void start() {
        loop.externalStarted(); // the pump reports back: virtual time must not run ahead of it
        protocol.connectionMade(this);
        Thread pump = new Thread(this::pump, "jasyncio-pipe-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump() {
        byte[] buf = new byte[CHUNK];
        try {
            for (;;) {
                synchronized (lock) {
                    while ((paused || inFlight) && !stopped) {
                        lock.wait();
                    }
                    if (stopped) {
                        return;
                    }
                    inFlight = true;
                }
                int n = in.read(buf);
                if (n < 0) {
                    closeStream(); // before the loop hears of it: once the pipe is lost, its fd is gone
                    post(() -> ended(null));
                    return;
                }
                ByteBuffer chunk = ByteBuffer.wrap(Arrays.copyOf(buf, n));
                if (!post(() -> received(chunk))) {
                    return;
                }
            }
        } catch (IOException e) {
            closeStream();
            post(() -> ended(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts it; if someone does, the pump ends
        } finally {
            closeStream();
        }
    }

    /** {@return whether the loop took {@code r}} (it does not once it is closed: the pump then ends) */
    private boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    private void received(ByteBuffer chunk) {
        synchronized (lock) {
            inFlight = false;
            lock.notifyAll();
        }
        if (closing) {
            return;
        }
        try {
            protocol.dataReceived(chunk);
        } catch (RuntimeException e) {
            loop.callExceptionHandler(new ExceptionContext("protocol.dataReceived() failed on " + this, e));
            close();
        }
    }

    private void ended(IOException error) {
        if (lost) {
            return;
        }
        if (error == null && !closing) {
            try {
                protocol.eofReceived();
            } catch (RuntimeException e) {
                loop.callExceptionHandler(new ExceptionContext("protocol.eofReceived() failed on " + this, e));
            }
        }
        connectionLost(closing ? null : error);
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

    private void closeStream() {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing the read end of a pipe has nothing to report
        }
    }

    // ---- Transport ------------------------------------------------------------------------------------------

    @Override
    public void close() {
        loop.checkThread("Transport.close");
        if (closing) {
            return;
        }
        closing = true;
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
        closeStream(); // the child's next write past what the pipe holds fails (EPIPE), as in asyncio
        loop.callSoon(() -> connectionLost(null));
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        loop.checkThread("Transport.pauseReading");
        synchronized (lock) {
            paused = true;
        }
    }

    @Override
    public void resumeReading() {
        loop.checkThread("Transport.resumeReading");
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    @Override
    public boolean isReading() {
        synchronized (lock) {
            return !paused && !closing;
        }
    }

    @Override
    public void write(ByteBuffer data) {
        throw new UnsupportedOperationException(this + " is the read end of a pipe: it cannot be written");
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException(this + " is the read end of a pipe: it cannot be written");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public int getWriteBufferSize() {
        return 0;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw new UnsupportedOperationException(this + " is the read end of a pipe: it has no write buffer");
    }

    @Override
    public int getWriteBufferHigh() {
        return 0;
    }

    @Override
    public int getWriteBufferLow() {
        return 0;
    }

    /** {@code "pipe"}: the JDK's {@link InputStream} of the pipe. */
    @Override
    public Object getExtraInfo(String key) {
        return "pipe".equals(key) ? in : null;
    }

    @Override
    public BaseProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "<PipeReadTransport " + name + (lost ? " closed" : closing ? " closing" : paused ? " paused" : "") + ">";
    }
}
