package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.openConnection;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.startServer;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.IncompleteReadException;
import io.jasyncio.LimitOverrunException;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Streams;
import io.jasyncio.Task;
import io.jasyncio.Transport;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SEMANTICS.md items 73-76 (streams), ported from CPython's Lib/test/test_asyncio/test_streams.py (3.13), plus the
 * other cases of that file that apply to what is built (read, readline, readexactly, readuntil with one separator,
 * feedData/feedEof on a StreamReader made directly, set_exception). Cases about several separators
 * ({@code test_readuntil_multi_separator*}), pickling, repr details, Unix sockets, TLS and the deprecated
 * loop arguments have no counterpart here. Where a Python test inspects {@code stream._buffer}, the test here feeds
 * the end of the stream and reads what is left with {@code read(-1)}.
 */
class SemanticsStreamsTest extends AsyncTestBase {
    /** test_streams.py's {@code DATA}. */
    private static final String DATA = "line1\nline2\nline3\n";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void feed(StreamReader r, String s) {
        r.feedData(ByteBuffer.wrap(b(s)));
    }

    /** What is left in {@code r} (Python's {@code stream._buffer}): ends the stream and reads it all. */
    @Async
    private static Coroutine<String> rest(StreamReader r) throws IOException {
        r.feedEof();
        return done(str(await(r.read(-1))));
    }

    /** The number of bytes buffered in a reader, from its toString ({@code <StreamReader N bytes ...>}). */
    static int buffered(StreamReader r) {
        Matcher m = Pattern.compile("^<StreamReader (\\d+) bytes").matcher(r.toString());
        assertTrue(m.find(), r.toString());
        return Integer.parseInt(m.group(1));
    }

    // ---- 73. readExactly at EOF ----------------------------------------------------------------------------------

    @Async
    Coroutine<Void> readExactlyEof() throws IOException {
        StreamReader stream = new StreamReader();
        int n = 2 * DATA.length();
        Task<byte[]> readTask = createTask(stream.readExactly(n));
        getRunningLoop().callSoon(() -> {
            feed(stream, DATA);
            stream.feedEof();
        });
        try {
            await(readTask);
            expectUnreached();
        } catch (Exception thrown) {
            IncompleteReadException e = assertInstanceOf(IncompleteReadException.class, thrown);
            assertEquals(DATA, str(e.partial()));
            assertEquals(n, e.expected());
            assertEquals("18 bytes read on a total of 36 expected bytes", e.getMessage());
            assertTrue(e instanceof java.io.EOFException, "asyncio's IncompleteReadError is an EOFError");
        }
        assertTrue(stream.atEof(), "the partial bytes were taken from the buffer");
        assertEquals("", await(rest(stream)));
        return done();
    }

    /** S test_readexactly_eof. */
    @Test
    void semantics73_readExactlyAtEofThrowsIncompleteReadWithThePartialDataAndTheExpectedSize() throws IOException {
        runTest(readExactlyEof());
    }

    @Async
    Coroutine<Void> readExactlyCases() throws IOException {
        // test_readexactly_zero_or_less
        StreamReader stream = new StreamReader();
        feed(stream, DATA);
        assertArrayEquals(new byte[0], await(stream.readExactly(0)));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> stream.readExactly(-1));
        assertTrue(bad.getMessage().contains("less than zero"), bad.getMessage());
        // test_readexactly: waits for more than one chunk, leaves the rest
        StreamReader s2 = new StreamReader();
        Task<byte[]> readTask = createTask(s2.readExactly(2 * DATA.length()));
        getRunningLoop().callSoon(() -> {
            feed(s2, DATA);
            feed(s2, DATA);
            feed(s2, DATA);
        });
        assertEquals(DATA + DATA, str(await(readTask)));
        assertEquals(DATA, await(rest(s2)));
        // test_readexactly_limit: the limit does not bound readExactly
        StreamReader s3 = new StreamReader(3);
        feed(s3, "chunk");
        assertEquals("chunk", str(await(s3.readExactly(5))));
        assertEquals("", await(rest(s3)));
        // test_readexactly_exception
        StreamReader s4 = new StreamReader();
        feed(s4, "line\n");
        assertEquals("li", str(await(s4.readExactly(2))));
        IOException boom = new IOException("boom");
        s4.setException(boom);
        try {
            await(s4.readExactly(2));
            expectUnreached();
        } catch (IOException e) {
            assertSame(boom, e);
        }
        assertEquals(DATA, await(rest(stream)), "readExactly(0) took nothing");
        return done();
    }

    /** S test_readexactly_zero_or_less, test_readexactly, test_readexactly_limit, test_readexactly_exception. */
    @Test
    void semantics73_readExactlyZeroNegativeMultiChunkLimitAndException() throws IOException {
        runTest(readExactlyCases());
    }

    @Async
    Coroutine<Void> sendThenEof(StreamReader reader, StreamWriter writer) throws IOException {
        writer.write(b("12345"));
        writer.writeEof();
        byte[] rest = await(waitFor(reader.read(-1), 5));
        assertEquals(0, rest.length);
        writer.close();
        return done();
    }

    @Async
    Coroutine<Void> readExactlyOverTcp() throws IOException {
        Server server = await(startServer(this::sendThenEof, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
        try {
            await(waitFor(s.reader().readExactly(10), 5));
            expectUnreached();
        } catch (IncompleteReadException e) {
            assertEquals("12345", str(e.partial()));
            assertEquals(10, e.expected());
        }
        assertTrue(s.reader().atEof());
        s.writer().close();
        await(waitFor(s.writer().waitClosed(), 5));
        server.close();
        await(waitFor(server.waitClosed(), 5));
        return done();
    }

    /** S test_readexactly_eof, over a real connection whose peer sends 5 bytes and half-closes. */
    @Test
    void semantics73_readExactlyOverTcpWhenThePeerEndsTheStreamEarly() throws IOException {
        runTest(readExactlyOverTcp());
    }

    // ---- 74. readUntil and the limit ----------------------------------------------------------------------------

    @Async
    Coroutine<Void> readUntilLimitFoundSep() throws IOException {
        StreamReader stream = new StreamReader(3);
        feed(stream, "some dataAA");
        // Python 3.11 printed: LimitOverrunError('Separator is not found, and chunk exceed the limit') 9 b'some dataAA'
        try {
            await(stream.readUntil(b("AAA")));
            expectUnreached();
        } catch (LimitOverrunException e) {
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
            assertEquals(9, e.consumed());
        }
        feed(stream, "A");
        // Python 3.11 printed: LimitOverrunError('Separator is found, but chunk is longer than limit') 9 b'some dataAAA'
        try {
            await(stream.readUntil(b("AAA")));
            expectUnreached();
        } catch (LimitOverrunException e) {
            assertTrue(e.getMessage().contains("is found"), e.getMessage());
            assertEquals(9, e.consumed());
        }
        assertEquals("some dataAAA", await(rest(stream)), "readUntil left the data buffered");
        return done();
    }

    /** S test_readuntil_limit_found_sep. */
    @Test
    void semantics74_readUntilPastTheLimitThrowsLimitOverrunAndLeavesTheDataBuffered() throws IOException {
        runTest(readUntilLimitFoundSep());
    }

    @Async
    Coroutine<Void> readUntilEof() throws IOException {
        StreamReader stream = new StreamReader();
        String data = "some dataAA";
        feed(stream, data);
        stream.feedEof();
        // Python 3.11 printed: IncompleteReadError('11 bytes read on a total of undefined expected bytes') ... None
        try {
            await(stream.readUntil(b("AAA")));
            expectUnreached();
        } catch (IncompleteReadException e) {
            assertTrue(e.getMessage().contains("undefined expected bytes"), e.getMessage());
            assertEquals(data, str(e.partial()));
            assertEquals(-1, e.expected(), "Python's expected is None");
        }
        assertTrue(stream.atEof());
        return done();
    }

    /** S test_readuntil_eof. */
    @Test
    void semantics74_readUntilAtEofWithoutTheSeparatorThrowsIncompleteRead() throws IOException {
        runTest(readUntilEof());
    }

    @Async
    Coroutine<Void> readUntilChunks() throws IOException {
        // test_readuntil_separator
        StreamReader stream = new StreamReader();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> stream.readUntil(new byte[0]));
        assertTrue(bad.getMessage().contains("Separator should be"), bad.getMessage());
        // test_readuntil_multi_chunks
        feed(stream, "lineAAA");
        assertEquals("lineAAA", str(await(stream.readUntil(b("AAA")))));
        feed(stream, "lineAAAxxx");
        assertEquals("lineAAA", str(await(stream.readUntil(b("AAA")))));
        assertEquals("xxx", str(await(stream.readExactly(3))));
        // test_readuntil_multi_chunks_1: the separator split across chunks
        feed(stream, "QWEaa");
        feed(stream, "XYaa");
        feed(stream, "a");
        assertEquals("QWEaaXYaaa", str(await(stream.readUntil(b("aaa")))));
        feed(stream, "QWEaa");
        feed(stream, "XYa");
        feed(stream, "aa");
        assertEquals("QWEaaXYaaa", str(await(stream.readUntil(b("aaa")))));
        feed(stream, "aaa");
        assertEquals("aaa", str(await(stream.readUntil(b("aaa")))));
        feed(stream, "Xaaa");
        assertEquals("Xaaa", str(await(stream.readUntil(b("aaa")))));
        // ... and fed one byte at a time while readUntil waits
        Task<byte[]> t = createTask(stream.readUntil(b("aaa")));
        EventLoop l = getRunningLoop();
        l.callSoon(() -> feed(stream, "XXX"));
        l.callSoon(() -> feed(stream, "a"));
        l.callSoon(() -> feed(stream, "a"));
        l.callSoon(() -> feed(stream, "a"));
        assertEquals("XXXaaa", str(await(t)));
        assertEquals("", await(rest(stream)));
        return done();
    }

    /** S test_readuntil_separator, test_readuntil_multi_chunks, test_readuntil_multi_chunks_1. */
    @Test
    void semantics74_readUntilFindsASeparatorSplitAcrossChunks() throws IOException {
        runTest(readUntilChunks());
    }

    // ---- 75. readLine and the limit -----------------------------------------------------------------------------

    @Async
    Coroutine<Void> readLineLimit() throws IOException {
        EventLoop l = getRunningLoop();
        // the separator arrives after the limit is passed: the whole line is dropped
        StreamReader s1 = new StreamReader(7);
        l.callSoon(() -> {
            feed(s1, "chunk1");
            feed(s1, "chunk2");
            feed(s1, "chunk3\n");
            s1.feedEof();
        });
        try {
            await(s1.readLine());
            expectUnreached();
        } catch (LimitOverrunException e) {
            assertTrue(e.getMessage().contains("limit"), e.getMessage());
        }
        assertEquals("", await(rest(s1)));
        // the line is dropped up to and with its separator; the next line stays
        StreamReader s2 = new StreamReader(7);
        l.callSoon(() -> {
            feed(s2, "chunk1");
            feed(s2, "chunk2\n");
            feed(s2, "chunk3\n");
            s2.feedEof();
        });
        try {
            await(s2.readLine());
            expectUnreached();
        } catch (LimitOverrunException expected) {
            // dropped
        }
        assertEquals("chunk3\n", await(rest(s2)));
        // strictness of the limit: 7 bytes and '\n' pass, 8 do not
        StreamReader s3 = new StreamReader(7);
        feed(s3, "1234567\n");
        assertEquals("1234567\n", str(await(s3.readLine())));
        feed(s3, "12345678\n");
        try {
            await(s3.readLine());
            expectUnreached();
        } catch (LimitOverrunException expected) {
            // Python 3.11 printed: ValueError('Separator is found, but chunk is longer than limit')
            assertTrue(expected.getMessage().contains("is found"), expected.getMessage());
        }
        assertTrue(buffered(s3) == 0, s3.toString());
        feed(s3, "12345678");
        try {
            await(s3.readLine());
            expectUnreached();
        } catch (LimitOverrunException expected) {
            assertTrue(expected.getMessage().contains("not found"), expected.getMessage());
        }
        assertEquals("", await(rest(s3)));
        return done();
    }

    /** S test_readline_limit. */
    @Test
    void semantics75_readLinePastTheLimitThrowsAndDiscardsUpToTheSeparator() throws IOException {
        runTest(readLineLimit());
    }

    @Async
    Coroutine<Void> readLineLimitWithExistingData() throws IOException {
        StreamReader s1 = new StreamReader(3);
        feed(s1, "li");
        feed(s1, "ne1\nline2\n");
        try {
            await(s1.readLine());
            expectUnreached();
        } catch (LimitOverrunException expected) {
            // dropped up to and with its '\n'
        }
        assertEquals("line2\n", await(rest(s1)));
        StreamReader s2 = new StreamReader(3);
        feed(s2, "li");
        feed(s2, "ne1");
        feed(s2, "li");
        try {
            await(s2.readLine());
            expectUnreached();
        } catch (LimitOverrunException expected) {
            // no '\n': everything is dropped
        }
        assertEquals("", await(rest(s2)));
        return done();
    }

    /** S test_readline_limit_with_existing_data. */
    @Test
    void semantics75_readLinePastTheLimitOnBufferedData() throws IOException {
        runTest(readLineLimitWithExistingData());
    }

    @Async
    Coroutine<Void> readLineEof() throws IOException {
        // test_readline_eof
        StreamReader s1 = new StreamReader();
        feed(s1, "some data");
        s1.feedEof();
        assertEquals("some data", str(await(s1.readLine())));
        assertTrue(s1.atEof());
        assertEquals(0, await(s1.readLine()).length);
        // test_readline_empty_eof
        StreamReader s2 = new StreamReader();
        s2.feedEof();
        assertEquals(0, await(s2.readLine()).length);
        // test_at_eof
        StreamReader s3 = new StreamReader();
        assertFalse(s3.atEof());
        feed(s3, "some data\n");
        assertFalse(s3.atEof());
        await(s3.readLine());
        assertFalse(s3.atEof());
        feed(s3, "some data\n");
        s3.feedEof();
        await(s3.readLine());
        assertTrue(s3.atEof());
        return done();
    }

    /** S test_readline_eof, test_readline_empty_eof, test_at_eof. */
    @Test
    void semantics75_readLineAtEofReturnsThePartialLineThenNothing() throws IOException {
        runTest(readLineEof());
    }

    @Async
    Coroutine<Void> readLineCases() throws IOException {
        // test_readline: waits across chunks, leaves the rest
        StreamReader s1 = new StreamReader();
        feed(s1, "chunk1 ");
        Task<byte[]> t = createTask(s1.readLine());
        getRunningLoop().callSoon(() -> {
            feed(s1, "chunk2 ");
            feed(s1, "chunk3 ");
            feed(s1, "\n chunk4");
        });
        assertEquals("chunk1 chunk2 chunk3 \n", str(await(t)));
        assertEquals(" chunk4", await(rest(s1)));
        // test_readline_nolimit_nowait and test_readline_read_byte_count
        StreamReader s2 = new StreamReader();
        feed(s2, DATA.substring(0, 6));
        feed(s2, DATA.substring(6));
        assertEquals("line1\n", str(await(s2.readLine())));
        assertEquals("line2\nl", str(await(s2.read(7))));
        assertEquals("ine3\n", await(rest(s2)));
        // test_readline_exception
        StreamReader s3 = new StreamReader();
        feed(s3, "line\n");
        assertEquals("line\n", str(await(s3.readLine())));
        IOException boom = new IOException("boom");
        s3.setException(boom);
        try {
            await(s3.readLine());
            expectUnreached();
        } catch (IOException e) {
            assertSame(boom, e);
        }
        return done();
    }

    /** S test_readline, test_readline_nolimit_nowait, test_readline_read_byte_count, test_readline_exception. */
    @Test
    void semantics75_readLineAcrossChunksAndAfterAnException() throws IOException {
        runTest(readLineCases());
    }

    // ---- the other reads of test_streams.py ----------------------------------------------------------------------

    @Async
    Coroutine<Void> readCases() throws IOException {
        EventLoop l = getRunningLoop();
        // test_feed_empty_data, test_feed_nonempty_data
        StreamReader s0 = new StreamReader();
        s0.feedData(ByteBuffer.allocate(0));
        assertEquals(0, buffered(s0));
        feed(s0, DATA);
        assertEquals(DATA.length(), buffered(s0));
        // test_read_zero
        assertEquals(0, await(s0.read(0)).length);
        assertEquals(DATA, await(rest(s0)));
        // test_read: waits for data
        StreamReader s1 = new StreamReader();
        Task<byte[]> t1 = createTask(s1.read(30));
        l.callSoon(() -> feed(s1, DATA));
        assertEquals(DATA, str(await(t1)));
        // test_read_line_breaks
        StreamReader s2 = new StreamReader();
        feed(s2, "line1");
        feed(s2, "line2");
        assertEquals("line1", str(await(s2.read(5))));
        assertEquals("line2", await(rest(s2)));
        // test_read_eof
        StreamReader s3 = new StreamReader();
        Task<byte[]> t3 = createTask(s3.read(1024));
        l.callSoon(s3::feedEof);
        assertEquals(0, await(t3).length);
        // test_read_until_eof
        StreamReader s4 = new StreamReader();
        Task<byte[]> t4 = createTask(s4.read(-1));
        l.callSoon(() -> {
            feed(s4, "chunk1\n");
            feed(s4, "chunk2");
            s4.feedEof();
        });
        assertEquals("chunk1\nchunk2", str(await(t4)));
        // test_read_exception
        StreamReader s5 = new StreamReader();
        feed(s5, "line\n");
        assertEquals("li", str(await(s5.read(2))));
        IOException boom = new IOException("boom");
        s5.setException(boom);
        try {
            await(s5.read(2));
            expectUnreached();
        } catch (IOException e) {
            assertSame(boom, e);
        }
        // test_invalid_limit
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> new StreamReader(0));
        assertTrue(zero.getMessage().contains("imit"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StreamReader(-1));
        // test_read_limit: the limit does not bound read
        StreamReader s6 = new StreamReader(3);
        feed(s6, "chunk");
        assertEquals("chunk", str(await(s6.read(5))));
        assertEquals("", await(rest(s6)));
        // feedData after feedEof is refused (asyncio asserts it)
        assertThrows(IllegalStateException.class, () -> feed(s6, "x"));
        return done();
    }

    /** S test_feed_empty_data, test_feed_nonempty_data, test_read_zero, test_read, test_read_line_breaks,
     * test_read_eof, test_read_until_eof, test_read_exception, test_invalid_limit, test_read_limit. */
    @Test
    void streams_readOnAReaderFedDirectly() throws IOException {
        runTest(readCases());
    }

    @Async
    Coroutine<Void> exceptionCases() throws IOException {
        // test_exception
        StreamReader s0 = new StreamReader();
        assertNull(s0.exception());
        IOException exc = new IOException("x");
        s0.setException(exc);
        assertSame(exc, s0.exception());
        // test_exception_waiter: a waiting readLine gets the exception
        StreamReader s1 = new StreamReader();
        Task<byte[]> t1 = createTask(s1.readLine());
        await(sleep(0));
        IOException err = new IOException("set while waiting");
        s1.setException(err);
        try {
            await(t1);
            expectUnreached();
        } catch (Exception e) {
            assertSame(err, e);
        }
        // test_exception_cancel: setException after the waiting read was cancelled is harmless, and the reader has
        // no waiter left (a new read does not complain that another coroutine waits)
        StreamReader s2 = new StreamReader();
        Task<byte[]> t2 = createTask(s2.readLine());
        await(sleep(0));
        t2.cancel();
        await(sleep(0));
        assertTrue(t2.cancelled());
        s2.setException(new RuntimeException("message"));
        await(sleep(0));
        assertFalse(s2.toString().contains("waiter"), s2.toString());
        try {
            await(s2.readLine());
            expectUnreached();
        } catch (RuntimeException e) {
            assertEquals("message", e.getMessage());
        }
        // one waiter at a time (asyncio: RuntimeError 'readuntil() called while another coroutine is already
        // waiting for incoming data')
        StreamReader s3 = new StreamReader();
        Task<byte[]> first = createTask(s3.readLine());
        await(sleep(0));
        try {
            await(s3.read(1));
            expectUnreached();
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("already waiting"), e.getMessage());
        }
        feed(s3, "ok\n");
        assertEquals("ok\n", str(await(first)));
        return done();
    }

    /** S test_exception, test_exception_waiter, test_exception_cancel. */
    @Test
    void streams_setExceptionWakesTheWaiterAndACancelledReadLeavesNoWaiter() throws IOException {
        runTest(exceptionCases());
    }

    @Async
    Coroutine<Void> serveHttpLike(StreamReader reader, StreamWriter writer) throws IOException {
        await(waitFor(reader.readLine(), 5));
        writer.write(b("HTTP/1.0 200 OK\r\n\r\nTest message"));
        writer.close();
        return done();
    }

    @Async
    Coroutine<Void> writerClose() throws IOException {
        List<ExceptionContext> messages = new ArrayList<>();
        getRunningLoop().setExceptionHandler((l, ctx) -> messages.add(ctx));
        Server server = await(startServer(this::serveHttpLike, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        // test_wait_closed_on_close, test_async_writer_api_exception_after_close
        Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
        s.writer().write(b("GET / HTTP/1.0\r\n"));
        assertEquals("HTTP/1.0 200 OK\r\n", str(await(waitFor(s.reader().readLine(), 5))));
        assertEquals("\r\nTest message", str(await(waitFor(s.reader().read(-1), 5))));
        assertFalse(s.writer().isClosing());
        s.writer().close();
        assertTrue(s.writer().isClosing());
        try {
            s.writer().write(b("data"));
            await(s.writer().drain());
            expectUnreached();
        } catch (java.net.SocketException e) {
            // asyncio: ConnectionResetError('Connection lost')
            assertTrue(e.getMessage().contains("Connection lost"), e.getMessage());
        }
        await(waitFor(s.writer().waitClosed(), 5));
        // test_eof_feed_when_closing_writer: closing without reading leaves the reader at its end
        Streams s2 = await(waitFor(openConnection("127.0.0.1", port), 5));
        s2.writer().close();
        await(waitFor(s2.writer().waitClosed(), 5));
        assertTrue(s2.reader().atEof());
        assertEquals(0, await(s2.reader().read(-1)).length);
        server.close();
        await(waitFor(server.waitClosed(), 5));
        assertEquals(List.of(), messages);
        return done();
    }

    /** S test_wait_closed_on_close, test_async_writer_api_exception_after_close, test_eof_feed_when_closing_writer. */
    @Test
    void streams_closeThenWaitClosedAndADrainAfterClose() throws IOException {
        runTest(writerClose());
    }

    // ---- 76. drain and the write buffer's marks; reading paused above 2 x limit ----------------------------------

    /** A peer that accepts one connection and does not read: its receive buffer is small so that writes pile up. */
    private static ServerSocketChannel silentPeer() throws IOException {
        ServerSocketChannel peer = ServerSocketChannel.open();
        peer.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // inherited by the accepted socket
        peer.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        return peer;
    }

    @Async
    static Coroutine<Long> readAll(EventLoop l, SocketChannel conn, long total) throws IOException {
        long n = 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (n < total) {
            buf.clear();
            int r = await(l.sockRecvInto(conn, buf));
            if (r < 0) {
                break;
            }
            for (int i = 0; i < r; i++) {
                if (buf.get(i) != (byte) ((n + i) % 251)) {
                    throw new AssertionError("byte " + (n + i) + " is corrupt");
                }
            }
            n += r;
        }
        return done(n);
    }

    static byte[] pattern(int from, int n) {
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) {
            d[i] = (byte) ((from + i) % 251);
        }
        return d;
    }

    @Async
    Coroutine<Void> mark(int n) {
        expect(n);
        return done();
    }

    @Async
    Coroutine<Integer> drainer(StreamWriter w) throws IOException {
        await(w.drain());
        return done(w.transport().getWriteBufferSize());
    }

    @Async
    Coroutine<Void> drainMarks() throws IOException {
        EventLoop l = getRunningLoop();
        try (ServerSocketChannel peer = silentPeer()) {
            int port = ((InetSocketAddress) peer.getLocalAddress()).getPort();
            Task<SocketChannel> accepting = createTask(l.sockAccept(peer));
            Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
            try (SocketChannel conn = await(waitFor(accepting, 5))) {
                StreamWriter w = s.writer();
                Transport t = w.transport();
                assertEquals(64 * 1024, t.getWriteBufferHigh());
                assertEquals(16 * 1024, t.getWriteBufferLow());
                ((SocketChannel) w.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_SNDBUF, 4096);
                // below the high mark: drain returns without suspending (the task made before it runs after)
                w.write(pattern(0, 100));
                expect(1);
                Task<Void> m = createTask(mark(3));
                await(w.drain());
                expect(2);
                await(m);
                // fill the buffer with no high mark, then put the high mark exactly at its size: still at once
                t.setWriteBufferLimits(Integer.MAX_VALUE, 0);
                int total = 100 + 1024 * 1024;
                w.write(pattern(100, 1024 * 1024));
                int pending = t.getWriteBufferSize();
                assertTrue(pending > 64 * 1024, "the socket took almost nothing: " + pending);
                t.setWriteBufferLimits(pending, 16 * 1024);
                expect(4);
                Task<Void> m2 = createTask(mark(6));
                await(w.drain());
                expect(5);
                await(m2);
                // one byte above the high mark: drains wait, all of them, until the buffer is down to the low mark
                w.write(pattern(total, 1));
                total += 1;
                t.setWriteBufferLimits(64 * 1024, 16 * 1024); // asyncio's defaults again
                List<Task<Integer>> drains = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    drains.add(createTask(drainer(w)));
                }
                await(sleep(0.05)); // real time: the peer reads nothing meanwhile
                for (Task<Integer> d : drains) {
                    assertFalse(d.done(), "a drain returned above the high mark");
                }
                assertTrue(t.getWriteBufferSize() > 64 * 1024);
                Task<Long> reading = createTask(readAll(l, conn, total));
                List<Integer> sizes = await(waitFor(gather(drains), 5));
                Set<Integer> distinct = new HashSet<>(sizes);
                assertEquals(1, distinct.size(), "the ten drains woke together: " + sizes);
                assertTrue(sizes.get(0) <= 16 * 1024, "woken above the low mark: " + sizes);
                assertEquals(total, (long) await(waitFor(reading, 5)), "every byte arrived, in order");
                assertEquals(0, t.getWriteBufferSize());
            }
            s.writer().close();
            await(waitFor(s.writer().waitClosed(), 5));
        }
        finish(7);
        return done();
    }

    /** S test_multiple_drain (on a real connection: the flow-control part of StreamReaderProtocol is internal). */
    @Test
    void semantics76_drainReturnsAtOnceAtTheHighMarkAndConcurrentDrainsWakeTogetherAtTheLowMark() throws IOException {
        runTest(drainMarks());
    }

    @Async
    Coroutine<Void> writeForever(String host, int port) throws IOException {
        Streams s = await(openConnection(host, port));
        for (;;) {
            s.writer().write(b("foo\n"));
            await(s.writer().drain());
        }
    }

    @Async
    Coroutine<Void> drainRaises() throws IOException {
        List<ExceptionContext> messages = new ArrayList<>();
        getRunningLoop().setExceptionHandler((l, ctx) -> messages.add(ctx));
        try (java.net.ServerSocket sock = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> {
                try {
                    sock.accept().close(); // closes at once
                } catch (IOException ignored) {
                    // the test fails on its side
                }
            }, "drain-raises-server");
            server.setDaemon(true);
            server.start();
            try {
                await(waitFor(writeForever("127.0.0.1", sock.getLocalPort()), 5));
                expectUnreached();
            } catch (IOException e) {
                // asyncio: ConnectionResetError, ConnectionAbortedError or BrokenPipeError (a TimeoutException, were
                // drain never to give up, is no IOException and fails the test); the JDK says "Broken pipe" or
                // "Connection reset"
                assertTrue(e.getMessage() != null && !(e instanceof java.io.EOFException), e.toString());
            }
            try {
                server.join(5000);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(List.of(), messages);
        return done();
    }

    /** S test_drain_raises. */
    @Test
    void semantics76_drainThrowsOnceTheConnectionIsLost() throws IOException {
        runTest(drainRaises());
    }

    @Async
    Coroutine<String> pausingReader(StreamReader reader, StreamWriter writer, int total) throws IOException {
        Transport t = writer.transport();
        await(waitFor(untilPaused(t), 5));
        int size = buffered(reader);
        // asyncio pauses once more than 2 x limit is buffered; one read of the loop (64 KiB) may overshoot
        assertTrue(size > 2 * 1024 && size <= 2 * 1024 + 64 * 1024, reader.toString());
        await(sleep(0.05));
        assertEquals(size, buffered(reader), "no read while paused");
        assertArrayEquals(pattern(0, size - 1025), await(reader.readExactly(size - 1025)));
        assertFalse(t.isReading(), "still more than the limit buffered: " + reader);
        assertArrayEquals(pattern(size - 1025, 1), await(reader.readExactly(1)));
        assertTrue(t.isReading(), "read down to the limit: reading resumes");
        int got = size - 1024;
        for (;;) {
            byte[] chunk = await(waitFor(reader.read(8192), 5));
            if (chunk.length == 0) {
                break;
            }
            assertArrayEquals(pattern(got, chunk.length), chunk);
            got += chunk.length;
        }
        assertEquals(total, got);
        writer.close();
        return done("read " + got);
    }

    /** Runs {@code body} and hands its outcome to {@code outcome}, so that a failing server handler fails the test. */
    @Async
    Coroutine<Void> reporting(Coroutine<String> body, io.jasyncio.Future<String> outcome) {
        try {
            outcome.setResult(await(body));
        } catch (Throwable e) {
            outcome.setException(e);
        }
        return done();
    }

    @Async
    static Coroutine<Void> untilPaused(Transport t) {
        while (t.isReading()) {
            await(sleep(0.002));
        }
        return done();
    }

    @Async
    Coroutine<Void> readerPauses() throws IOException {
        int total = 512 * 1024;
        io.jasyncio.Future<String> outcome = getRunningLoop().createFuture();
        Server server = await(startServer((r, w) -> reporting(pausingReader(r, w, total), outcome), "127.0.0.1", 0, 1024));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
        s.writer().write(pattern(0, total));
        s.writer().writeEof();
        assertEquals("read " + total, await(waitFor(outcome, 5)));
        assertEquals(0, await(waitFor(s.reader().read(-1), 5)).length);
        s.writer().close();
        await(waitFor(s.writer().waitClosed(), 5));
        server.close();
        await(waitFor(server.waitClosed(), 5));
        return done();
    }

    /** S test_streams.py has no test of it; asyncio's StreamReader.feed_data / _maybe_resume_transport. */
    @Test
    void semantics76_readerStopsReadingAboveTwiceTheLimitAndResumesAtTheLimit() throws IOException {
        runTest(readerPauses());
    }
}
