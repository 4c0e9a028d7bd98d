package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.openConnection;
import static io.jasyncio.Asyncio.startServer;
import static io.jasyncio.Asyncio.toThread;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Streams;
import io.jasyncio.annotations.Async;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS streams on SSLEngine, against each other and against openssl's s_server and s_client. The certificate
 * (CN=localhost, SAN localhost and 127.0.0.1) is made at test time with openssl, never checked in.
 */
class TlsTest extends AsyncTestBase {
    @TempDir
    static Path dir;
    static Path cert;
    static Path key;
    static SSLContext serverContext;
    static SSLContext clientContext;

    @BeforeAll
    static void makeCertificate() throws Exception {
        assumeTrue(exists("openssl"), "openssl is not installed (apt-get install -y openssl)");
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Path p12 = dir.resolve("server.p12");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        run("openssl", "pkcs12", "-export", "-in", cert.toString(), "-inkey", key.toString(), "-out", p12.toString(),
                "-passout", "pass:changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
    }

    private static boolean exists(String tool) {
        try {
            return new ProcessBuilder(tool, "version").redirectErrorStream(true).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + out);
    }

    @Async
    static Coroutine<Void> upperLine(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] line = await(reader.readLine());
        writer.write(new String(line, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        await(writer.drain());
        writer.close();
        return done();
    }

    @Async
    Coroutine<String> echoOverTls(String serverHostname) throws IOException {
        Server server = await(startServer(TlsTest::upperLine, "127.0.0.1", 0, serverContext));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        try {
            Streams s = await(waitFor(openConnection("127.0.0.1", port, clientContext, serverHostname,
                    StreamReader.DEFAULT_LIMIT), 5));
            assertNotNull(s.writer().getExtraInfo("cipher"));
            X509Certificate peer = (X509Certificate) s.writer().getExtraInfo("peercert");
            assertTrue(peer.getSubjectX500Principal().getName().contains("CN=localhost"));
            s.writer().write("secret\n".getBytes(StandardCharsets.UTF_8));
            await(s.writer().drain());
            byte[] reply = await(waitFor(s.reader().read(-1), 5));
            s.writer().close();
            return done(new String(reply, StandardCharsets.UTF_8));
        } finally {
            server.close();
        }
    }

    @Test
    void tls_streamsAgainstEachOther() throws IOException {
        assertEquals("SECRET\n", runTest(echoOverTls("localhost")));
    }

    @Async
    Coroutine<Void> wrongName() throws IOException {
        try {
            await(echoOverTls("not-this-host.example"));
            expectUnreached();
        } catch (SSLHandshakeException expected) {
            assertTrue(expected.getMessage() != null);
        }
        return done();
    }

    @Test
    void tls_hostnameVerificationIsOnForClients() throws IOException {
        runTest(wrongName());
    }

    @Async
    Coroutine<String> plaintextClientThenTls() throws IOException {
        Server server = await(startServer(TlsTest::upperLine, "127.0.0.1", 0, serverContext));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        try {
            Streams plain = await(waitFor(openConnection("127.0.0.1", port), 5));
            plain.writer().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = await(waitFor(plain.reader().read(-1), 5)); // the server drops it
            plain.writer().close();
            Streams s = await(waitFor(openConnection("127.0.0.1", port, clientContext), 5));
            s.writer().write("still serving\n".getBytes(StandardCharsets.UTF_8));
            byte[] reply = await(waitFor(s.reader().read(-1), 5));
            s.writer().close();
            return done(answer.length + ":" + new String(reply, StandardCharsets.UTF_8));
        } finally {
            server.close();
        }
    }

    @Test
    void tls_aPlaintextClientIsDroppedAndTheServerKeepsServing() throws IOException {
        String r = runTest(plaintextClientThenTls());
        assertTrue(r.endsWith(":STILL SERVING\n"), r);
    }

    @Async
    Coroutine<String> clientOf(int port) throws IOException {
        Streams s = await(waitFor(openConnection("localhost", port, clientContext), 5));
        s.writer().write("hello openssl\n".getBytes(StandardCharsets.UTF_8));
        await(s.writer().drain());
        byte[] line = await(waitFor(s.reader().readLine(), 5));
        s.writer().close();
        return done(new String(line, StandardCharsets.UTF_8));
    }

    @Test
    void tls_clientAgainstOpensslSServer() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                cert.toString(), "-key", key.toString(), "-rev").redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            for (String l; (l = out.readLine()) != null; ) {
                if (l.startsWith("ACCEPT")) {
                    break;
                }
            }
            // -rev answers each line reversed
            assertEquals("lssnepo olleh\n", runTest(clientOf(port)));
        } finally {
            server.destroyForcibly();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Async
    Coroutine<String> serveOpensslClient() throws IOException {
        Server server = await(startServer(TlsTest::upperLine, "127.0.0.1", 0, serverContext));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        try {
            String reply = await(waitFor(toThread(() -> {
                Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                        "-CAfile", cert.toString(), "-servername", "localhost", "-verify_return_error", "-quiet")
                        .redirectErrorStream(false).start();
                try {
                    OutputStream in = client.getOutputStream();
                    in.write("from s_client\n".getBytes(StandardCharsets.UTF_8));
                    in.flush();
                    BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                            StandardCharsets.UTF_8));
                    String line = out.readLine();
                    in.close();
                    return line;
                } finally {
                    client.destroyForcibly();
                    client.waitFor(5, TimeUnit.SECONDS);
                }
            }), 10));
            return done(reply);
        } finally {
            server.close();
            await(io.jasyncio.Asyncio.getRunningLoop().shutdownDefaultExecutor());
        }
    }

    @Test
    void tls_serverAgainstOpensslSClient() throws IOException {
        assertEquals("FROM S_CLIENT", runTest(serveOpensslClient()));
    }

    @Async
    static Coroutine<Void> starttlsServer(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] command = await(reader.readLine());
        assertEquals("STARTTLS\n", new String(command, StandardCharsets.UTF_8));
        writer.write("OK\n".getBytes(StandardCharsets.UTF_8));
        await(writer.drain());
        await(writer.startTls(serverContext));
        byte[] secret = await(reader.readLine());
        writer.write(("got " + new String(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        await(writer.drain());
        writer.close();
        return done();
    }

    @Async
    Coroutine<String> starttlsClient() throws IOException {
        Server server = await(startServer(TlsTest::starttlsServer, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        try {
            Streams s = await(waitFor(openConnection("127.0.0.1", port), 5));
            s.writer().write("STARTTLS\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("OK\n", new String(await(waitFor(s.reader().readLine(), 5)), StandardCharsets.UTF_8));
            assertEquals(null, s.writer().getExtraInfo("cipher"));
            await(waitFor(s.writer().startTls(clientContext, "localhost"), 5));
            assertNotNull(s.writer().getExtraInfo("cipher"), "the writer now goes through TLS");
            s.writer().write("over tls\n".getBytes(StandardCharsets.UTF_8));
            await(s.writer().drain());
            byte[] reply = await(waitFor(s.reader().read(-1), 5));
            s.writer().close();
            return done(new String(reply, StandardCharsets.UTF_8));
        } finally {
            server.close();
        }
    }

    @Test
    void tls_startTlsUpgradesALiveConnectionOnBothSides() throws IOException {
        assertEquals("got over tls\n", runTest(starttlsClient()));
    }
}
