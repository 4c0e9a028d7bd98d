package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.openUnixConnection;
import static io.jasyncio.Asyncio.startUnixServer;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Streams;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams over Unix domain sockets (JDK 16+ UnixDomainSocketAddress): asyncio's open_unix_connection / start_unix_server. */
class UnixSocketsTest extends AsyncTestBase {
    @TempDir
    Path dir;

    @Async
    static Coroutine<Void> upper(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] line = await(reader.readLine());
        writer.write(new String(line, StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        await(writer.drain());
        writer.close();
        return done();
    }

    @Async
    Coroutine<String> roundTrip(Path socket) throws IOException {
        Server server = await(startUnixServer(UnixSocketsTest::upper, socket));
        assertTrue(Files.exists(socket), "the socket file is there while the server listens");
        Streams s = await(waitFor(openUnixConnection(socket), 5));
        s.writer().write("over a unix socket\n".getBytes(StandardCharsets.UTF_8));
        await(s.writer().drain());
        byte[] reply = await(waitFor(s.reader().read(-1), 5));
        s.writer().close();
        server.close();
        await(waitFor(server.waitClosed(), 5));
        assertFalse(Files.exists(socket), "the socket file is removed when the server closes");
        return done(new String(reply, StandardCharsets.UTF_8));
    }

    @Test
    void unixStreams_roundTripAndTheSocketFileIsRemovedAtClose() throws IOException {
        assertEquals("OVER A UNIX SOCKET\n", runTest(roundTrip(dir.resolve("s.sock"))));
    }

    @Async
    Coroutine<Void> replaceStale(Path socket) throws IOException {
        Server first = await(startUnixServer(UnixSocketsTest::upper, socket));
        // a server that died without closing leaves its socket file: simulate by closing only the channel
        first.sockets().get(0).close();
        assertTrue(Files.exists(socket));
        Server second = await(startUnixServer(UnixSocketsTest::upper, socket));
        Streams s = await(waitFor(openUnixConnection(socket), 5));
        s.writer().write("again\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("AGAIN\n", new String(await(waitFor(s.reader().read(-1), 5)), StandardCharsets.UTF_8));
        s.writer().close();
        second.close();
        first.close();
        await(waitFor(second.waitClosed(), 5));
        return done();
    }

    @Test
    void startUnixServer_replacesAStaleSocketFile() throws IOException {
        runTest(replaceStale(dir.resolve("stale.sock")));
    }
}
