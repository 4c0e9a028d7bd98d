package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.DatagramProtocol;
import io.jasyncio.DatagramTransport;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.annotations.Async;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** UDP endpoints (asyncio's create_datagram_endpoint): jasyncio to jasyncio, and against a Python socket peer. */
class UdpTest extends AsyncTestBase {

    /** Echoes every datagram back to where it came from. */
    static final class Echo implements DatagramProtocol {
        private DatagramTransport transport;

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            transport.sendto(data, address);
        }
    }

    /** Completes {@code replies} once {@code expected} datagrams arrived. */
    static final class Collect implements DatagramProtocol {
        final List<String> got = new ArrayList<>();
        final Future<List<String>> replies;
        final int expected;

        Collect(Future<List<String>> replies, int expected) {
            this.replies = replies;
            this.expected = expected;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            got.add(StandardCharsets.UTF_8.decode(data).toString());
            if (got.size() == expected && !replies.done()) {
                replies.setResult(got);
            }
        }
    }

    @Async
    Coroutine<List<String>> echoRoundTrip(SocketAddress server, DatagramTransport serverEndpoint) throws IOException {
        EventLoop l = getRunningLoop();
        Future<List<String>> replies = l.createFuture();
        DatagramTransport client = await(l.createDatagramEndpoint(() -> new Collect(replies, 2), null, server));
        client.sendto("one".getBytes(StandardCharsets.UTF_8), null);
        client.sendto("two".getBytes(StandardCharsets.UTF_8), null);
        assertThrows(IllegalArgumentException.class,
                () -> client.sendto(new byte[1], new InetSocketAddress("127.0.0.1", 9)));
        List<String> got = await(waitFor(replies, 5));
        client.close();
        if (serverEndpoint != null) {
            serverEndpoint.close();
        }
        return done(got);
    }

    @Async
    Coroutine<List<String>> againstJasyncio() throws IOException {
        EventLoop l = getRunningLoop();
        DatagramTransport server = await(l.createDatagramEndpoint(Echo::new, new InetSocketAddress("127.0.0.1", 0), null));
        SocketAddress address = (SocketAddress) server.getExtraInfo("sockname");
        return done(await(echoRoundTrip(address, server)));
    }

    @Test
    void udp_echoBetweenTwoEndpoints() throws IOException {
        assertEquals(List.of("one", "two"), runTest(againstJasyncio()));
    }

    @Test
    void udp_againstAPythonSocketPeer() throws Exception {
        Path script = Files.createTempFile("udp-echo", ".py");
        Files.writeString(script, String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.bind(('127.0.0.1', 0))",
                "s.settimeout(5)",
                "print(s.getsockname()[1], flush=True)",
                "for _ in range(2):",
                "    data, addr = s.recvfrom(2048)",
                "    s.sendto(b'py:' + data, addr)",
                ""));
        Process python;
        try {
            python = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed: " + e.getMessage());
            return;
        }
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().trim());
            assertEquals(List.of("py:one", "py:two"),
                    runTest(echoRoundTrip(new InetSocketAddress("127.0.0.1", port), null)));
            assertEquals(true, python.waitFor(5, TimeUnit.SECONDS));
        } finally {
            python.destroyForcibly();
            Files.deleteIfExists(script);
        }
    }
}
