package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loop's Selector and asyncio's low-level socket API (addReader/addWriter, sockConnect, sockAccept, sockRecv,
 * sockRecvInto, sockSendall, getaddrinfo), on real sockets on 127.0.0.1. The loop runs on virtual time; while
 * channels are watched it waits for them as long as real time would (every wait here is bounded by a timeout).
 */
class SocketsTest extends AsyncTestBase {

    @Async
    Coroutine<Void> echoOnce(EventLoop l, ServerSocketChannel server) throws IOException {
        SocketChannel conn = await(l.sockAccept(server));
        try {
            byte[] got = await(l.sockRecv(conn, 1024));
            await(l.sockSendall(conn, ("echo:" + new String(got, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
        } finally {
            conn.close();
        }
        return done();
    }

    @Async
    Coroutine<String> echoRoundTrip() throws IOException {
        EventLoop l = getRunningLoop();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Task<Void> serving = createTask(echoOnce(l, server));
            try (SocketChannel client = SocketChannel.open()) {
                await(waitFor(l.sockConnect(client, server.getLocalAddress()), 5));
                await(l.sockSendall(client, "hello".getBytes(StandardCharsets.UTF_8)));
                ByteBuffer buf = ByteBuffer.allocate(64);
                StringBuilder reply = new StringBuilder();
                for (;;) {
                    buf.clear();
                    int n = await(waitFor(l.sockRecvInto(client, buf), 5));
                    if (n < 0) {
                        break; // the server closed its side after echoing
                    }
                    reply.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
                }
                await(serving);
                return done(reply.toString());
            }
        }
    }

    @Test
    void sockets_acceptConnectSendRecvOverLoopback() throws IOException {
        assertEquals("echo:hello", runTest(echoRoundTrip()));
    }

    @Async
    Coroutine<Void> refusedConnection() throws IOException {
        EventLoop l = getRunningLoop();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (SocketChannel client = SocketChannel.open()) {
            try {
                await(waitFor(l.sockConnect(client, new InetSocketAddress("127.0.0.1", port)), 5));
                expectUnreached();
            } catch (ConnectException expected) {
                assertTrue(expected.getMessage() != null);
            }
        }
        return done();
    }

    @Test
    void sockConnect_refusedThrowsConnectException() throws IOException {
        runTest(refusedConnection());
    }

    @Async
    Coroutine<Void> cancelledRecv() throws IOException {
        EventLoop l = getRunningLoop();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel client = SocketChannel.open()) {
                Task<SocketChannel> accepting = createTask(l.sockAccept(server));
                await(waitFor(l.sockConnect(client, server.getLocalAddress()), 5));
                SocketChannel conn = await(waitFor(accepting, 5));
                try {
                    // nobody sends: the recv times out (on real time, 50 ms), and leaves the channel usable
                    try {
                        await(waitFor(l.sockRecv(conn, 16), 0.05));
                        expectUnreached();
                    } catch (TimeoutException expected) {
                        assertTrue(expected.getCause() instanceof CancelledError);
                    }
                    assertFalse(l.removeReader(conn), "the cancelled recv removed its reader");
                    await(l.sockSendall(client, new byte[] {1, 2, 3}));
                    assertArrayEquals(new byte[] {1, 2, 3}, await(waitFor(l.sockRecv(conn, 16), 5)));
                } finally {
                    conn.close();
                }
            }
        }
        return done();
    }

    @Test
    void sockRecv_cancelledByATimeoutRemovesItsReaderAndLeavesTheChannelUsable() throws IOException {
        runTest(cancelledRecv());
    }

    @Async
    Coroutine<Void> wakeWhileSelecting() throws IOException {
        EventLoop l = getRunningLoop();
        try (Pipe.SourceChannel idle = Pipe.open().source()) {
            l.addReader(idle, () -> { }); // a channel is watched: the loop waits in its selector
            List<String> log = new ArrayList<>();
            io.jasyncio.Future<String> posted = l.createFuture();
            Thread other = new Thread(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                l.callSoonThreadsafe(() -> posted.setResult("woken"));
            }, "poster");
            other.start();
            log.add(await(waitFor(posted, 5)));
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertTrue(l.removeReader(idle));
            assertFalse(l.removeReader(idle));
            assertEquals(List.of("woken"), log);
        }
        return done();
    }

    @Test
    void callSoonThreadsafe_wakesALoopWaitingInItsSelector() throws IOException {
        runTest(wakeWhileSelecting());
    }

    @Async
    Coroutine<Void> readerCallbacks() throws IOException {
        EventLoop l = getRunningLoop();
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            List<Integer> seen = new ArrayList<>();
            io.jasyncio.Future<Void> got = l.createFuture();
            ByteBuffer buf = ByteBuffer.allocate(8);
            l.addReader(source, () -> {
                buf.clear();
                try {
                    int n = source.read(buf);
                    for (int i = 0; i < n; i++) {
                        seen.add((int) buf.get(i));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (seen.size() >= 2 && !got.done()) {
                    got.setResult(null);
                }
            });
            sink.write(ByteBuffer.wrap(new byte[] {7}));
            await(sleep(0.01));
            sink.write(ByteBuffer.wrap(new byte[] {8}));
            await(waitFor(got, 5));
            assertTrue(l.removeReader(source));
            assertEquals(List.of(7, 8), seen);
        }
        return done();
    }

    @Test
    void addReader_runsTheCallbackEachTimeTheChannelIsReadable() throws IOException {
        runTest(readerCallbacks());
    }

    @Async
    Coroutine<Void> resolve() throws IOException {
        List<InetSocketAddress> all = await(getRunningLoop().getaddrinfo("127.0.0.1", 8080));
        assertEquals(1, all.size());
        assertEquals(new InetSocketAddress("127.0.0.1", 8080), all.get(0));
        try {
            await(getRunningLoop().getaddrinfo("no-such-host.invalid", 80));
            expectUnreached();
        } catch (java.net.UnknownHostException expected) {
            assertTrue(expected.getMessage().contains("no-such-host.invalid"), expected.getMessage());
        }
        await(getRunningLoop().shutdownDefaultExecutor());
        return done();
    }

    @Test
    void getaddrinfo_resolvesOnTheExecutorAndThrowsUnknownHost() throws IOException {
        runTest(resolve());
    }
}
