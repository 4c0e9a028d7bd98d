package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.openConnection;
import static io.jasyncio.Asyncio.startServer;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.Coroutine;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Streams;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** openConnection and startServer against each other on 127.0.0.1: a line echo, then half-close. */
class StreamsSmokeTest extends AsyncTestBase {

    @Async
    static Coroutine<Void> echoLines(StreamReader reader, StreamWriter writer) throws IOException {
        for (;;) {
            byte[] line = await(reader.readLine());
            if (line.length == 0) {
                break; // end of stream
            }
            writer.write(line);
            await(writer.drain());
        }
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    @Async
    Coroutine<String> client() throws IOException {
        Server server = await(startServer(StreamsSmokeTest::echoLines, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
        s.writer().write("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
        await(s.writer().drain());
        String a = new String(await(waitFor(s.reader().readLine(), 5)), StandardCharsets.UTF_8);
        String b = new String(await(waitFor(s.reader().readLine(), 5)), StandardCharsets.UTF_8);
        s.writer().writeEof();
        byte[] rest = await(waitFor(s.reader().read(-1), 5));
        s.writer().close();
        await(s.writer().waitClosed());
        server.close();
        await(waitFor(server.waitClosed(), 5));
        return done(a + b + rest.length);
    }

    @Test
    void streams_lineEchoThenHalfCloseThenClose() throws IOException {
        assertEquals("hello\nworld\n0", runTest(client()));
    }

    @Async
    static Coroutine<Void> numberLines(StreamReader reader, StreamWriter writer) throws IOException {
        int[] n = {0};
        await(reader.forEachLine(line -> {
            n[0]++;
            writer.write((n[0] + ": " + new String(line, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            await(writer.drain());
            return done();
        }));
        writer.write(("lines: " + n[0] + "\n").getBytes(StandardCharsets.UTF_8));
        writer.close();
        return done();
    }

    @Async
    Coroutine<String> eachLine() throws IOException {
        Server server = await(startServer(StreamsSmokeTest::numberLines, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
        s.writer().write("a\nb\nlast without newline".getBytes(StandardCharsets.UTF_8));
        s.writer().writeEof();
        byte[] all = await(waitFor(s.reader().read(-1), 5));
        s.writer().close();
        server.close();
        return done(new String(all, StandardCharsets.UTF_8));
    }

    @Test
    void forEachLine_runsTheBodyForEveryLineUntilTheEndOfTheStream() throws IOException {
        assertEquals("1: a\n2: b\n3: last without newlinelines: 3\n", runTest(eachLine()));
    }

    @Async
    Coroutine<List<Boolean>> noDelayBothSides() throws IOException {
        List<Boolean> serverSide = new ArrayList<>();
        Server server = await(startServer((reader, writer) -> {
            serverSide.add(((SocketChannel) writer.getExtraInfo("socket")).getOption(StandardSocketOptions.TCP_NODELAY));
            writer.close();
            return done();
        }, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
        boolean clientSide = ((SocketChannel) s.writer().getExtraInfo("socket")).getOption(StandardSocketOptions.TCP_NODELAY);
        byte[] rest = await(waitFor(s.reader().read(-1), 5)); // the handler has run once the server closes
        assertEquals(0, rest.length);
        s.writer().close();
        await(s.writer().waitClosed());
        server.close();
        await(waitFor(server.waitClosed(), 5));
        serverSide.add(clientSide);
        return done(serverSide);
    }

    /**
     * asyncio sets TCP_NODELAY on every TCP transport, the accepted ones included (selector_events'
     * _SelectorSocketTransport.__init__ calls base_events._set_nodelay). Python 3.11, getsockopt(IPPROTO_TCP,
     * TCP_NODELAY) of start_server's and open_connection's sockets printed: {@code server side [1] client side 1}.
     */
    @Test
    void streams_acceptedAndConnectedSocketsHaveTcpNoDelay() throws IOException {
        List<Boolean> got = runTest(noDelayBothSides());
        assertEquals(List.of(true, true), got, "[server side, client side]");
    }
}
