package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.openConnection;
import static io.jasyncio.Asyncio.startServer;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Streams;
import io.jasyncio.annotations.Async;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Python's asyncio as a real peer, over 127.0.0.1: as the client of a jasyncio server, and as the server of a
 * jasyncio client. Both sides speak the same small protocol, chosen by the first line of each connection:
 * <ul>
 *   <li>{@code LINES}: the server answers each line upper-cased until {@code END}, then {@code BYE}, then closes;</li>
 *   <li>{@code UPLOAD n}: the client sends n bytes and half-closes; the server reads to the end, answers
 *       {@code GOT n sha256}, sends n bytes back (with drain) and closes;</li>
 *   <li>{@code DOWNLOAD n}: the server sends n bytes (with drain) and half-closes; the client reads to the end and
 *       answers {@code THANKS n sha256} on its still open side, which the server reads and reports.</li>
 * </ul>
 * The bytes are {@code i % 251}; n is 1 MiB. The script is written to a temporary file at test time; every wait is
 * bounded and the process is killed in the end. Without python3 the tests are skipped.
 */
class PythonPeerTest extends AsyncTestBase {
    private static final int N = 1024 * 1024;

    private static final String SCRIPT = String.join("\n",
            "import asyncio, hashlib, sys",
            "N = " + N,
            "PAT = (bytes(range(251)) * (N // 251 + 1))[:N]",
            "def sha(b): return hashlib.sha256(b).hexdigest()",
            "async def write_all(w, data):",
            "    for i in range(0, len(data), 65536):",
            "        w.write(data[i:i + 65536])",
            "        await w.drain()",
            "async def handle(r, w):",
            "    cmd = (await r.readline()).decode().split()",
            "    if cmd[0] == 'LINES':",
            "        while True:",
            "            line = await r.readline()",
            "            if line == b'END\\n':",
            "                w.write(b'BYE\\n')",
            "                break",
            "            w.write(line.upper())",
            "    elif cmd[0] == 'UPLOAD':",
            "        data = await r.read()",
            "        w.write(f'GOT {len(data)} {sha(data)}\\n'.encode())",
            "        await write_all(w, PAT[:int(cmd[1])])",
            "    elif cmd[0] == 'DOWNLOAD':",
            "        await write_all(w, PAT[:int(cmd[1])])",
            "        w.write_eof()",
            "        ack = await r.readline()",
            "        print('ACK', ack.decode().strip(), flush=True)",
            "    await w.drain()",
            "    w.close()",
            "    await w.wait_closed()",
            "async def server():",
            "    srv = await asyncio.start_server(handle, '127.0.0.1', 0)",
            "    print('PORT', srv.sockets[0].getsockname()[1], flush=True)",
            "    async with srv:",
            "        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until stdin closes",
            "async def client(port):",
            "    r, w = await asyncio.open_connection('127.0.0.1', port)",
            "    w.write(b'LINES\\nhello\\nworld\\nEND\\n')",
            "    got = [await r.readline() for _ in range(3)]",
            "    assert got == [b'HELLO\\n', b'WORLD\\n', b'BYE\\n'], got",
            "    assert await r.read() == b''",
            "    w.close()",
            "    await w.wait_closed()",
            "    print('OK lines', flush=True)",
            "    r, w = await asyncio.open_connection('127.0.0.1', port)",
            "    w.write(f'UPLOAD {N}\\n'.encode())",
            "    await write_all(w, PAT)",
            "    w.write_eof()",
            "    line = (await r.readline()).decode().split()",
            "    assert line == ['GOT', str(N), sha(PAT)], line",
            "    assert await r.readexactly(N) == PAT",
            "    assert await r.read() == b''",
            "    w.close()",
            "    await w.wait_closed()",
            "    print('OK upload', flush=True)",
            "    r, w = await asyncio.open_connection('127.0.0.1', port)",
            "    w.write(f'DOWNLOAD {N}\\n'.encode())",
            "    data = await r.read()",
            "    assert data == PAT, len(data)",
            "    w.write(f'THANKS {len(data)} {sha(data)}\\n'.encode())",
            "    await w.drain()",
            "    w.close()",
            "    await w.wait_closed()",
            "    print('OK download', flush=True)",
            "if sys.argv[1] == 'server':",
            "    asyncio.run(server())",
            "else:",
            "    asyncio.run(client(int(sys.argv[2])))",
            "");

    @BeforeAll
    static void needsPython() {
        boolean ok;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import asyncio").redirectErrorStream(true).start();
            ok = p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
            p.destroyForcibly();
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        Assumptions.assumeTrue(ok, "python3 (with asyncio) is not on the PATH: the Python peer tests are skipped");
    }

    /** The Python script running in a process of its own: its output lines, its error output for diagnostics. */
    static final class Py implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> out = new LinkedBlockingQueue<>();
        final Path script;
        final Path err;

        Py(String... args) throws IOException {
            script = Files.createTempFile("jasyncio-peer", ".py");
            err = Files.createTempFile("jasyncio-peer", ".err");
            Files.writeString(script, SCRIPT);
            List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        out.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            }, "python-peer-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** {@return the next output line, waiting up to 5 s} */
        String nextLine() {
            try {
                String line = out.poll(5, TimeUnit.SECONDS);
                assertNotNull(line, "no output from python within 5 s; its stderr: " + stderr());
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        String stderr() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(script);
            Files.deleteIfExists(err);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static final byte[] PAT = SemanticsStreamsTest.pattern(0, N);

    /** Writes in 64 KiB pieces, draining after each, as the Python side does. */
    @Async
    static Coroutine<Void> writeAll(StreamWriter w, byte[] data) throws IOException {
        for (int i = 0; i < data.length; i += 65536) {
            w.write(java.nio.ByteBuffer.wrap(data, i, Math.min(65536, data.length - i)));
            await(waitFor(w.drain(), 5));
        }
        return done();
    }

    // ---- Python as the client of a jasyncio server ---------------------------------------------------------------

    private final List<String> acks = new ArrayList<>();
    private final List<String> uploads = new ArrayList<>();

    @Async
    Coroutine<Void> serve(StreamReader r, StreamWriter w) throws IOException {
        String[] cmd = str(await(waitFor(r.readLine(), 5))).trim().split(" ");
        if (cmd[0].equals("LINES")) {
            for (;;) {
                String line = str(await(waitFor(r.readLine(), 5)));
                if (line.equals("END\n")) {
                    w.write(b("BYE\n"));
                    break;
                }
                w.write(b(line.toUpperCase(Locale.ROOT)));
            }
        } else if (cmd[0].equals("UPLOAD")) {
            byte[] data = await(waitFor(r.read(-1), 5));
            uploads.add(data.length + " " + sha(data));
            w.write(b("GOT " + data.length + " " + sha(data) + "\n"));
            await(writeAll(w, SemanticsStreamsTest.pattern(0, Integer.parseInt(cmd[1]))));
        } else if (cmd[0].equals("DOWNLOAD")) {
            await(writeAll(w, SemanticsStreamsTest.pattern(0, Integer.parseInt(cmd[1]))));
            w.writeEof();
            acks.add(str(await(waitFor(r.readLine(), 5))).trim());
        }
        await(w.drain());
        w.close();
        await(waitFor(w.waitClosed(), 5));
        return done();
    }

    @Async
    Coroutine<List<String>> serveAPythonClient() throws IOException {
        List<ExceptionContext> reports = new ArrayList<>();
        getRunningLoop().setExceptionHandler((l, ctx) -> reports.add(ctx));
        Server server = await(startServer(this::serve, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        List<String> out = new ArrayList<>();
        try (Py py = new Py("client", String.valueOf(port))) {
            Integer code = await(py.process.onExit().thenApply(Process::exitValue).orTimeout(5, TimeUnit.SECONDS));
            py.out.drainTo(out);
            assertEquals(0, code, "python client failed: " + out + "\n" + py.stderr());
        }
        server.close();
        await(waitFor(server.waitClosed(), 5));
        assertEquals(List.of(), reports);
        return done(out);
    }

    @Test
    void python_asyncioClientAgainstAJasyncioServer() throws IOException {
        List<String> out = runTest(serveAPythonClient());
        assertEquals(List.of("OK lines", "OK upload", "OK download"), out);
        assertEquals(List.of(N + " " + sha(PAT)), uploads, "what the server received, to the end of the stream");
        assertEquals(List.of("THANKS " + N + " " + sha(PAT)), acks, "read after the server's half-close");
    }

    // ---- Python as the server of a jasyncio client ---------------------------------------------------------------

    @Async
    Coroutine<Void> clientOfPython(int port) throws IOException {
        // line protocol
        Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
        s.writer().write(b("LINES\nhello\nworld\nEND\n"));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(str(await(waitFor(s.reader().readLine(), 5))));
        }
        assertEquals(List.of("HELLO\n", "WORLD\n", "BYE\n"), got);
        assertEquals(0, await(waitFor(s.reader().read(-1), 5)).length);
        s.writer().close();
        await(waitFor(s.writer().waitClosed(), 5));
        // 1 MiB up, half-close, 1 MiB down
        s = await(waitFor(openConnection("127.0.0.1", port), 5));
        s.writer().write(b("UPLOAD " + N + "\n"));
        await(writeAll(s.writer(), PAT));
        s.writer().writeEof();
        assertEquals("GOT " + N + " " + sha(PAT) + "\n", str(await(waitFor(s.reader().readLine(), 5))));
        assertArrayEquals(PAT, await(waitFor(s.reader().readExactly(N), 5)));
        assertEquals(0, await(waitFor(s.reader().read(-1), 5)).length);
        s.writer().close();
        await(waitFor(s.writer().waitClosed(), 5));
        // 1 MiB down to the server's half-close, then an answer on the side still open
        s = await(waitFor(openConnection("127.0.0.1", port), 5));
        s.writer().write(b("DOWNLOAD " + N + "\n"));
        byte[] data = await(waitFor(s.reader().read(-1), 5));
        assertArrayEquals(PAT, data);
        assertTrue(s.reader().atEof());
        s.writer().write(b("THANKS " + data.length + " " + sha(data) + "\n"));
        await(waitFor(s.writer().drain(), 5));
        s.writer().close();
        await(waitFor(s.writer().waitClosed(), 5));
        return done();
    }

    @Test
    void python_asyncioServerForAJasyncioClient() throws IOException {
        try (Py py = new Py("server")) {
            String first = py.nextLine();
            assertTrue(first.startsWith("PORT "), first + "\n" + py.stderr());
            int port = Integer.parseInt(first.substring(5).trim());
            runTest(clientOfPython(port));
            assertEquals("ACK THANKS " + N + " " + sha(PAT), py.nextLine(), "what the Python server read after its write_eof");
        }
    }
}
