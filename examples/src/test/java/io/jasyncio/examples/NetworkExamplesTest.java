package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.openConnection;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static io.jasyncio.Asyncio.waitFor;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Server;
import io.jasyncio.Streams;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP examples on real sockets on 127.0.0.1, each on a real-time loop, against each other and against peers
 * nobody here wrote: Python's asyncio (the Python originals in {@code src/test/resources/python}) and
 * {@code curl}. A test whose tool is missing is skipped with a message. Every wait is bounded.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NetworkExamplesTest {
    private static final String HOST = "127.0.0.1";
    /** Held strongly: JUL keeps loggers only weakly. The runtime reports lost exceptions here. */
    private static final Logger JASYNCIO_LOG = Logger.getLogger("io.jasyncio");

    private final List<LogRecord> reports = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (reports) {
                reports.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureReports() {
        JASYNCIO_LOG.addHandler(capture);
    }

    @AfterEach
    void nothingReported() {
        JASYNCIO_LOG.removeHandler(capture);
        synchronized (reports) {
            assertEquals(List.of(), reports.stream().map(r -> r.getMessage() + ": " + r.getThrown()).toList(),
                    "the runtime reported problems");
        }
    }

    /** A print stream whose lines a test reads while the program runs. */
    private static final class Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, UTF_8);

        List<String> lines() {
            synchronized (bytes) {
                return ExamplesTest.lines(bytes);
            }
        }
    }

    private static <T> T runOnRealTime(Coroutine<T> main) {
        try (EventLoop loop = new EventLoop()) {
            return loop.runUntilComplete(main);
        }
    }

    private static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }

    /** Waits (5 s at most) until {@code output} has {@code n} lines. */
    @Async
    static Coroutine<List<String>> linesOf(Output output, int n) {
        for (int i = 0; i < 5000 && output.lines().size() < n; i++) {
            await(sleep(0.001));
        }
        List<String> lines = output.lines();
        assertTrue(lines.size() >= n, () -> "expected " + n + " lines, got " + lines);
        return done(lines);
    }

    // ---- echo-client against echo-server ------------------------------------------------------------------

    @Async
    Coroutine<Void> clientAgainstServer(Output server, Output client) throws IOException {
        Server s = await(EchoServer.start(server.out, HOST, 0));
        await(waitFor(new EchoClient().main(client.out, HOST, port(s)), 5));
        await(linesOf(server, 2)); // the handler prints once it has seen the end of the stream
        s.close();
        await(waitFor(s.waitClosed(), 5));
        return done();
    }

    @Test
    void echoClient_againstEchoServer_inOneLoop() throws Exception {
        Output server = new Output();
        Output client = new Output();
        runOnRealTime(clientAgainstServer(server, client));
        assertEquals(List.of("Send: 'Hello World!'", "Received: 'Hello World!'", "Close the connection"),
                client.lines());
        List<String> lines = server.lines();
        assertEquals(2, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("Serving on 127\\.0\\.0\\.1:\\d+"), lines.get(0));
        assertTrue(lines.get(1).matches("Echoed 12 bytes to 127\\.0\\.0\\.1:\\d+"), lines.get(1));
    }

    /** One client of many: sends {@code data} while it reads, closes its side, and returns all it got back. */
    @Async
    static Coroutine<byte[]> bulkClient(int port, byte[] data) throws IOException {
        Streams s = await(openConnection(HOST, port));
        s.writer().write(data);
        await(s.writer().drain());
        s.writer().writeEof();
        byte[] back = await(s.reader().read(-1)); // the server closes once it has echoed everything
        s.writer().close();
        await(s.writer().waitClosed());
        return done(back);
    }

    @Async
    Coroutine<List<byte[]>> manyClients(Output server, List<byte[]> data) throws IOException {
        Task<Void> serving = createTask(new EchoServer().main(server.out, HOST, 0));
        String first = await(linesOf(server, 1)).get(0);
        int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
        List<Coroutine<byte[]>> clients = new ArrayList<>();
        for (byte[] d : data) {
            clients.add(bulkClient(port, d));
        }
        List<byte[]> back = await(waitFor(gather(clients), 5));
        await(linesOf(server, 1 + data.size()));
        serving.cancel(); // serveForever() ends, and the try-with-resources closes the server
        try {
            await(serving);
        } catch (CancelledError expected) {
            // the server was serving forever
        }
        return done(back);
    }

    /** 20 clients at once, each 256 KiB and more: several times the buffers, so drain() has to wait. */
    @Test
    void echoServer_manyClientsAtOnce_eachGetsItsOwnBytesBack() throws Exception {
        Random random = new Random(8);
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] d = new byte[256 * 1024 + i];
            random.nextBytes(d);
            data.add(d);
        }
        Output server = new Output();
        List<byte[]> back = runOnRealTime(manyClients(server, data));
        for (int i = 0; i < data.size(); i++) {
            assertArrayEquals(data.get(i), back.get(i), "client " + i);
        }
        List<String> lines = server.lines();
        assertEquals(21, lines.size(), lines::toString);
        List<String> echoed = lines.subList(1, 21).stream().map(l -> l.substring(0, l.lastIndexOf(" to "))).sorted()
                .toList();
        List<String> expected = data.stream().map(d -> "Echoed " + d.length + " bytes").sorted().toList();
        assertEquals(expected, echoed);
    }

    // ---- against Python -----------------------------------------------------------------------------------

    private static Path python(String script) {
        try {
            return Path.of(NetworkExamplesTest.class.getResource("/python/" + script).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Skips the test, saying why, unless {@code tool --version} runs. */
    private static void assumeTool(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            Assumptions.assumeTrue(p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0,
                    tool + " --version failed: skipped");
        } catch (IOException e) {
            Assumptions.abort(tool + " is missing (" + e.getMessage() + "): skipped");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Assumptions.abort("interrupted");
        }
    }

    /** Runs a command to its end (4 s at most) and returns what it printed, standard error included. */
    static String runProcess(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(4, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 4 s");
        }
        String text = new String(output.get(1, TimeUnit.SECONDS), UTF_8);
        assertEquals(0, p.exitValue(), () -> command + " failed: " + text);
        return text;
    }

    @Test
    void echoClient_againstPythonsEchoServer() throws Exception {
        assumeTool("python3");
        Process server = new ProcessBuilder("python3", python("echo_server.py").toString(), "--port", "0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(5, TimeUnit.SECONDS);
            assertTrue(first != null && first.matches("Serving on 127\\.0\\.0\\.1:\\d+"), first);
            int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
            Output client = new Output();
            runOnRealTime(waitFor(new EchoClient().main(client.out, HOST, port), 5));
            assertEquals(List.of("Send: 'Hello World!'", "Received: 'Hello World!'", "Close the connection"),
                    client.lines());
            String echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(5, TimeUnit.SECONDS);
            assertTrue(echoed.matches("Echoed 12 bytes to 127\\.0\\.0\\.1:\\d+"), echoed);
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Async
    Coroutine<String> pythonClient(Output server) throws IOException {
        Server s = await(EchoServer.start(server.out, HOST, 0));
        int port = port(s);
        String printed = await(toThread(() -> runProcess(List.of("python3", python("echo_client.py").toString(),
                "--port", String.valueOf(port)))));
        await(linesOf(server, 2));
        s.close();
        await(waitFor(s.waitClosed(), 5));
        return done(printed);
    }

    @Test
    void pythonsEchoClient_againstEchoServer() throws Exception {
        assumeTool("python3");
        Output server = new Output();
        String printed = runOnRealTime(pythonClient(server));
        assertEquals(List.of("Send: 'Hello World!'", "Received: 'Hello World!'", "Close the connection"),
                printed.lines().toList());
        assertTrue(server.lines().get(1).matches("Echoed 12 bytes to 127\\.0\\.0\\.1:\\d+"), server.lines()::toString);
    }

    // ---- http-hello ---------------------------------------------------------------------------------------

    @Async
    Coroutine<String> curl(Output server, List<String> arguments) throws IOException {
        Server s = await(HttpHello.start(server.out, HttpHello::handle, HOST, 0));
        String base = "http://127.0.0.1:" + port(s);
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "--max-time", "4", "-w",
                " %{http_code} %{num_connects}\\n"));
        for (String a : arguments) {
            command.add(a.replace("BASE", base));
        }
        String printed = await(toThread(() -> runProcess(command)));
        s.close();
        await(waitFor(s.waitClosed(), 5)); // curl closed its connection: the handler ended
        return done(printed);
    }

    /** Two URLs in one curl call: the second request goes over the first one's connection (0 new connects). */
    @Test
    void httpHello_curl_twoUrlsOverOneKeptAliveConnection() throws Exception {
        assumeTool("curl");
        Output server = new Output();
        String printed = runOnRealTime(curl(server, List.of("BASE/a", "BASE/b")));
        assertEquals("Hello, World! 200 1\nHello, World! 200 0\n", printed);
        assertTrue(server.lines().get(0).matches("Serving on 127\\.0\\.0\\.1:\\d+"), server.lines()::toString);
    }

    /**
     * Two POSTs of 1 MiB each, kept alive: the server reads each body to its end (else the second request would
     * be read from the middle of the first body), after a {@code 100 Continue} when curl asks for one.
     */
    @Test
    void httpHello_curl_twoPostsOf1MiBOverOneConnection(@TempDir Path dir) throws Exception {
        assumeTool("curl");
        Path body = dir.resolve("body");
        byte[] mib = new byte[1 << 20];
        Arrays.fill(mib, (byte) 'x'); // no line in it: read as a request, it would overrun the reader's limit
        Files.write(body, mib);
        Output server = new Output();
        String printed = runOnRealTime(curl(server, List.of("--data-binary", "@" + body, "BASE/a", "BASE/b")));
        assertEquals("Hello, World! 200 1\nHello, World! 200 0\n", printed);
    }

    @Async
    Coroutine<String> pipelined(Output server) throws IOException {
        Server s = await(HttpHello.start(server.out, HttpHello::handle, HOST, 0));
        Streams c = await(openConnection(HOST, port(s)));
        c.writer().write(("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 19\r\n\r\nGET /x HTTP/1.1\r\n\r\n" // a body, not a request
                + "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
        await(c.writer().drain());
        byte[] all = await(waitFor(c.reader().read(-1), 5)); // the third response closes the connection
        c.writer().close();
        await(c.writer().waitClosed());
        s.close();
        await(waitFor(s.waitClosed(), 5));
        return done(new String(all, ISO_8859_1));
    }

    /**
     * Three requests sent in one write: answered in turn; the last asks to close, and the server closes. The body
     * of the second looks like a request: read as one, it would get a fourth response.
     */
    @Test
    void httpHello_pipelinedRequests_answeredInTurn_thenConnectionClose() throws Exception {
        String keep = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
        String close = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\n"
                + "Hello, World!";
        assertEquals(keep + keep + close, runOnRealTime(pipelined(new Output())));
    }

    // ---- fetch-http ---------------------------------------------------------------------------------------

    /** What the Python original printed (see {@link FetchHttp}), on the port the server got. */
    @Test
    void fetchHttp_threePagesFetchedConcurrently() throws Exception {
        Output output = new Output();
        runOnRealTime(waitFor(new FetchHttp().main(output.out, HOST, 0), 5));
        List<String> lines = output.lines();
        assertEquals(4, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches("Serving on 127\\.0\\.0\\.1:\\d+"), lines.get(0));
        String base = "http://" + lines.get(0).substring("Serving on ".length()) + "/";
        assertEquals(List.of(
                base + "one: 200 'Hello, World!'",
                base + "two: 200 'Hello, World!'",
                base + "three: 200 'Hello, World!'"), lines.subList(1, 4));
    }

    @Test
    void repr_quotesAsPython() throws Exception {
        assertEquals("'Hello World!'", TcpExample.repr("Hello World!"));
        assertEquals("\"it's\"", TcpExample.repr("it's"));
        assertEquals("'a\\'b\"\\n\\\\\\x00'", TcpExample.repr("a'b\"\n\\\u0000"));
        assertEquals("'é'", TcpExample.repr("é"));
    }

    // ---- udp-echo ---------------------------------------------------------------------------------------------

    @Async
    Coroutine<List<String>> udpRoundTrip(Output server) throws IOException {
        io.jasyncio.DatagramTransport endpoint = await(UdpEcho.start(server.out, HOST, 0));
        java.net.SocketAddress address = (java.net.SocketAddress) endpoint.getExtraInfo("sockname");
        io.jasyncio.Future<String> reply = io.jasyncio.Asyncio.getRunningLoop().createFuture();
        io.jasyncio.DatagramTransport client = await(io.jasyncio.Asyncio.getRunningLoop().createDatagramEndpoint(
                () -> new io.jasyncio.DatagramProtocol() {
                    @Override
                    public void datagramReceived(java.nio.ByteBuffer data, java.net.SocketAddress from) {
                        reply.setResult(UTF_8.decode(data).toString());
                    }
                }, null, address));
        client.sendto("Hello World!".getBytes(UTF_8), null);
        String echoed = await(waitFor(reply, 5));
        int clientPort = ((InetSocketAddress) client.getExtraInfo("sockname")).getPort();
        client.close();
        endpoint.close();
        List<String> lines = await(linesOf(server, 3));
        assertEquals(List.of("Received 'Hello World!' from ('127.0.0.1', " + clientPort + ")",
                "Send 'Hello World!' to ('127.0.0.1', " + clientPort + ")"), lines.subList(1, 3));
        return done(List.of(lines.get(0), echoed));
    }

    @Test
    void udpEcho_echoesADatagramAndPrintsWhatPythonPrints() throws Exception {
        Output server = new Output();
        List<String> r = runOnRealTime(udpRoundTrip(server));
        assertTrue(r.get(0).startsWith("Serving on 127.0.0.1:"), r.get(0));
        assertEquals("Hello World!", r.get(1));
    }

    // ---- tls-echo ---------------------------------------------------------------------------------------------

    @Test
    void tlsEcho_echoesOverTlsWithACertificateMadeAtStart() throws Exception {
        Output output = new Output();
        runOnRealTime(waitFor(new TlsEcho().main(output.out, HOST, 0), 20));
        List<String> lines = output.lines();
        assertTrue(lines.get(0).startsWith("Serving on 127.0.0.1:"), lines.toString());
        assertEquals(List.of("Send: 'Hello TLS!'", "Received: 'Hello TLS!'", "Close the connection"),
                lines.subList(1, lines.size()));
    }
}
