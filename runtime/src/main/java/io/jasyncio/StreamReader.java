package io.jasyncio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The incoming bytes of a connection; asyncio's {@code StreamReader}. Made by {@link Asyncio#openConnection} and
 * {@link Asyncio#startServer}. One coroutine at a time may wait on it.
 * <pre>{@code
 * byte[] line = await(reader.readLine());            // up to and with '\n'; at the end, what is left
 * byte[] header = await(reader.readExactly(4));      // IncompleteReadException if the stream ends first
 * byte[] rest = await(reader.read(-1));              // everything up to the end of the stream
 * }</pre>
 * The limit (default 64 KiB) bounds what {@link #readUntil} and {@link #readLine} look through for their
 * separator; while more than twice the limit is buffered, the reader stops reading from the socket (the peer is
 * slowed down by TCP) until it has been read down to the limit.
 */
public class StreamReader {
    /** asyncio's default limit: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final int limit;
    private byte[] buf = new byte[1024];
    private int start;
    private int end;
    private boolean eof;
    private Throwable exception;
    private Future<Void> waiter;
    private Transport transport;
    private boolean paused;

    /** Creates a reader with the default limit; {@link #feedData} and {@link #feedEof} fill it. */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * Creates a reader with a limit.
     *
     * @param limit the most bytes {@code readUntil} and {@code readLine} look through
     * @throws IllegalArgumentException if {@code limit} is zero or negative
     */
    public StreamReader(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + limit);
        }
        this.limit = limit;
    }

    // ---- what the protocol calls ----------------------------------------------------------------------------

    void setTransport(Transport t) {
        transport = t;
    }

    /**
     * Adds received bytes (from the position to the limit of {@code data}, which is not kept).
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feedData() after feedEof()");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensureRoom(n);
        data.get(buf, end, n);
        end += n;
        wakeWaiter();
        if (transport != null && !paused && size() > 2 * limit) {
            transport.pauseReading();
            paused = true;
        }
    }

    /** Marks the end of the stream: readers get what is left, then nothing. */
    public void feedEof() {
        eof = true;
        wakeWaiter();
    }

    /**
     * Makes the reads fail with {@code e} (the connection's error).
     *
     * @param e the error
     */
    public void setException(Throwable e) {
        exception = Objects.requireNonNull(e, "e");
        Future<Void> w = waiter;
        if (w != null && w.state == Future.PENDING) {
            w.completeExceptionally(e);
            w.markRetrieved();
        }
    }

    /** {@return the error set by {@link #setException}, or {@code null}} */
    public Throwable exception() {
        return exception;
    }

    /** {@return whether the stream ended and every byte was read} */
    public boolean atEof() {
        return eof && size() == 0;
    }

    /** {@return the limit} */
    public int limit() {
        return limit;
    }

    // ---- reads ----------------------------------------------------------------------------------------------

    /**
     * Reads up to {@code n} bytes: what is there, waiting for at least one byte if none is; with {@code n} negative,
     * everything up to the end of the stream.
     *
     * @param n the most bytes, or -1 for all
     * @return a coroutine of the bytes; none at the end of the stream
     * @throws IOException (from the coroutine) the connection's error
     */
    public Coroutine<byte[]> read(int n) throws IOException {
        return new ReadOp(this, n < 0 ? ReadOp.ALL : ReadOp.SOME, n, null);
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n how many
     * @return a coroutine of the bytes
     * @throws IncompleteReadException (from the coroutine) if the stream ends first, with what was read
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Coroutine<byte[]> readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
        }
        return new ReadOp(this, ReadOp.EXACTLY, n, null);
    }

    /**
     * Reads up to and with {@code separator}.
     *
     * @param separator the bytes that end the chunk, at least one
     * @return a coroutine of the chunk, separator included
     * @throws LimitOverrunException (from the coroutine) if no separator is within the limit; the data stays
     * @throws IncompleteReadException (from the coroutine) if the stream ends first, with what was read
     */
    public Coroutine<byte[]> readUntil(byte[] separator) throws IOException {
        Objects.requireNonNull(separator, "separator");
        if (separator.length == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        return new ReadOp(this, ReadOp.UNTIL, 0, separator.clone());
    }

    /**
     * Reads a line: up to and with {@code '\n'}, or what is left at the end of the stream.
     *
     * @return a coroutine of the line; none at the end of the stream
     * @throws LimitOverrunException (from the coroutine) if the line is longer than the limit: the line (up to its
     *                               separator, if it arrived) is discarded
     */
    public Coroutine<byte[]> readLine() throws IOException {
        return new ReadOp(this, ReadOp.LINE, 0, new byte[] {'\n'});
    }

    /**
     * Runs {@code body} for each line until the end of the stream: Python's {@code async for line in reader}.
     * A line is as {@link #readLine()} returns it (with its {@code '\n'}, except perhaps the last).
     * <pre>{@code
     * await(reader.forEachLine(line -> {
     *     writer.write(line);
     *     return done();
     * }));
     * }</pre>
     *
     * @param body what to do with each line
     * @return a coroutine that completes at the end of the stream
     * @throws IOException (from the coroutine) the connection's error, or a {@link LimitOverrunException}
     */
    public Coroutine<Void> forEachLine(AsyncFunction<byte[], Void> body) throws IOException {
        return new EachLine(this, Objects.requireNonNull(body, "body"));
    }

    /**
     * The lines of the stream as an {@link AsyncIterator}, each as {@link #readLine()} returns it (with its
     * {@code '\n'}, except perhaps the last), until the end of the stream: Python's {@code async for line in reader}
     * written as a loop the body of which may {@code break}, {@code return} or {@code await}.
     * <pre>{@code
     * for (var lines = reader.lines(); await(lines.hasNext()); ) {
     *     byte[] line = lines.next();
     *     ...
     * }
     * }</pre>
     * As {@link java.io.BufferedReader#lines()} does, it wraps the read's {@link IOException} (the connection's
     * error, a {@link LimitOverrunException}) in an {@link java.io.UncheckedIOException}, thrown by
     * {@code hasNext()}. {@code close()} only ends the iteration: the reader stays open.
     *
     * @return an iterator over the lines
     */
    public AsyncIterator<byte[]> lines() {
        return new Interop.LineIterator(this);
    }

    /** The coroutine of {@link #forEachLine}: read a line, run the body, until a read gives nothing. */
    private static final class EachLine extends Op<Void> {
        private final StreamReader r;
        private final AsyncFunction<byte[], Void> body;

        EachLine(StreamReader r, AsyncFunction<byte[], Void> body) {
            this.r = r;
            this.body = body;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            if (state == 1) {
                byte[] line = (byte[]) value;
                if (line.length == 0) {
                    return null; // the end of the stream
                }
                Coroutine<?> c;
                try {
                    c = body.apply(line);
                } catch (Exception e) {
                    throw CoreImpl.sneakyThrow(e);
                }
                if (c == null) {
                    throw new NullPointerException("the body of forEachLine returned null instead of a coroutine");
                }
                return await(c, 2);
            }
            return await(new ReadOp(r, ReadOp.LINE, 0, new byte[] {'\n'}), 1);
        }

        @Override
        public String toString() {
            return "<coroutine StreamReader.forEachLine(" + body + ")>";
        }
    }

    @Override
    public String toString() {
        return "<StreamReader " + size() + " bytes" + (eof ? " eof" : "") + (limit != DEFAULT_LIMIT ? " limit=" + limit : "")
                + (waiter != null ? " waiter" : "") + (exception != null ? " exception=" + exception : "")
                + (paused ? " paused" : "") + ">";
    }

    // ---- the buffer -----------------------------------------------------------------------------------------

    private int size() {
        return end - start;
    }

    private void ensureRoom(int n) {
        if (buf.length - end >= n) {
            return;
        }
        int size = size();
        if (size + n <= buf.length && start > 0) {
            System.arraycopy(buf, start, buf, 0, size);
        } else {
            byte[] bigger = new byte[Math.max(buf.length * 2, size + n)];
            System.arraycopy(buf, start, bigger, 0, size);
            buf = bigger;
        }
        start = 0;
        end = size;
    }

    private byte[] take(int n) {
        byte[] r = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResume();
        return r;
    }

    private void discard(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResume();
    }

    private int indexOf(byte[] sep, int from) {
        outer:
        for (int i = start + from; i <= end - sep.length; i++) {
            for (int j = 0; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    private void maybeResume() {
        if (paused && size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    private void wakeWaiter() {
        Future<Void> w = waiter;
        if (w != null && w.state == Future.PENDING) {
            w.complete(null);
        }
    }

    /** The reads, as one state machine: try; if the data is not there yet, wait for more and try again. */
    private static final class ReadOp extends Op<byte[]> {
        static final int SOME = 0;
        static final int ALL = 1;
        static final int EXACTLY = 2;
        static final int UNTIL = 3;
        static final int LINE = 4;
        private static final Object WAIT = new Object();
        private final StreamReader r;
        private final int kind;
        private final int n;
        private final byte[] sep;
        private int offset;
        private ByteArrayOutputStream all;

        ReadOp(StreamReader r, int kind, int n, byte[] sep) {
            this.r = r;
            this.kind = kind;
            this.n = n;
            this.sep = sep;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (state == 1) {
                r.waiter = null;
            }
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            Object result;
            try {
                result = attempt();
            } catch (LimitOverrunException e) {
                if (kind == LINE) {
                    // asyncio's readline: drop the line, up to and with its separator if it arrived
                    int c = e.consumed();
                    if (r.size() >= c + sep.length && r.indexOf(sep, c) == c) {
                        r.discard(c + sep.length);
                    } else {
                        r.discard(r.size());
                    }
                }
                throw CoreImpl.sneakyThrow(e);
            } catch (IncompleteReadException e) {
                if (kind == LINE) {
                    return e.partial();
                }
                throw CoreImpl.sneakyThrow(e);
            } catch (IOException e) {
                throw CoreImpl.sneakyThrow(e);
            }
            if (result != WAIT) {
                return result;
            }
            if (r.waiter != null) {
                throw new IllegalStateException("a read of " + r + " was called while another coroutine is already "
                        + "waiting for incoming data");
            }
            if (r.paused) {
                r.paused = false;
                r.transport.resumeReading();
            }
            Future<Void> w = new Future<>(task.loop);
            r.waiter = w;
            return await(w, 1);
        }

        private Object attempt() throws IOException {
            if (r.exception != null) {
                throw CoreImpl.sneakyThrow(r.exception);
            }
            switch (kind) {
                case SOME:
                    if (n == 0) {
                        return new byte[0];
                    }
                    if (r.size() == 0) {
                        return r.eof ? new byte[0] : WAIT;
                    }
                    return r.take(Math.min(n, r.size()));
                case ALL:
                    if (all == null) {
                        all = new ByteArrayOutputStream();
                    }
                    all.write(r.buf, r.start, r.size()); // drain as it comes, so reading never pauses
                    r.discard(r.size());
                    return r.eof ? all.toByteArray() : WAIT;
                case EXACTLY:
                    if (n == 0) {
                        return new byte[0];
                    }
                    if (r.size() >= n) {
                        return r.take(n);
                    }
                    if (r.eof) {
                        throw new IncompleteReadException(r.take(r.size()), n);
                    }
                    return WAIT;
                default: { // UNTIL, LINE: asyncio's readuntil
                    int buflen = r.size();
                    if (buflen - offset >= sep.length) {
                        int isep = r.indexOf(sep, offset);
                        if (isep >= 0) {
                            if (isep > r.limit) {
                                throw new LimitOverrunException("Separator is found, but chunk is longer than limit", isep);
                            }
                            return r.take(isep + sep.length);
                        }
                        offset = buflen + 1 - sep.length;
                        if (offset > r.limit) {
                            throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                        }
                    }
                    if (r.eof) {
                        throw new IncompleteReadException(r.take(r.size()), -1);
                    }
                    return WAIT;
                }
            }
        }

        @Override
        public String toString() {
            String[] names = {"read", "read(-1)", "readExactly", "readUntil", "readLine"};
            return "<coroutine StreamReader." + names[kind] + "()" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }
}
