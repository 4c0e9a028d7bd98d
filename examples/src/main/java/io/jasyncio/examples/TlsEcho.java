package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.openConnection;
import static io.jasyncio.Asyncio.startServer;
import static io.jasyncio.Asyncio.toThread;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.ConnectOptions;
import io.jasyncio.Coroutine;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Streams;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS echo server and a TLS client of it in one program: the echo over TLS, with a self-signed certificate for
 * {@code localhost} that the program makes at start with the JDK's {@code keytool} (never a key checked in). The
 * client verifies the server's certificate and host name. The Python original (the certificate made beforehand
 * with {@code openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 -subj /CN=localhost
 * -addext subjectAltName=DNS:localhost,IP:127.0.0.1}):
 * <pre>{@code
 * import argparse, asyncio, ssl
 *
 * async def handle_echo(reader, writer):
 *     data = await reader.read(100)
 *     writer.write(data)
 *     await writer.drain()
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def main(host, port):
 *     server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
 *     server_ctx.load_cert_chain("cert.pem", "key.pem")
 *     client_ctx = ssl.create_default_context(cafile="cert.pem")
 *     server = await asyncio.start_server(handle_echo, host, port, ssl=server_ctx)
 *     host, port = server.sockets[0].getsockname()[:2]
 *     print(f"Serving on {host}:{port}", flush=True)
 *     async with server:
 *         reader, writer = await asyncio.open_connection(host, port, ssl=client_ctx, server_hostname="localhost")
 *         message = "Hello TLS!"
 *         print(f"Send: {message!r}")
 *         writer.write(message.encode())
 *         await writer.drain()
 *         data = await reader.read(100)
 *         print(f"Received: {data.decode()!r}")
 *         print("Close the connection")
 *         writer.close()
 *         await writer.wait_closed()
 *
 * parser = argparse.ArgumentParser()
 * parser.add_argument("--host", default="127.0.0.1")
 * parser.add_argument("--port", type=int, default=8888)
 * args = parser.parse_args()
 * asyncio.run(main(args.host, args.port))
 * }</pre>
 * Both print {@code Serving on 127.0.0.1:8888}, then {@code Send: 'Hello TLS!'}, {@code Received: 'Hello TLS!'}
 * and {@code Close the connection}.
 */
public final class TlsEcho implements TcpExample {
    /** What the client sends. */
    static final String MESSAGE = "Hello TLS!";

    /** Creates the example. */
    public TlsEcho() {
    }

    /** {@return {@code tls-echo}} */
    @Override
    public String name() {
        return "tls-echo";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a TLS echo server and its client in one program, with a certificate made at start";
    }

    /** The two TLS contexts of the program: the server's (key and certificate) and the client's (trusting it). */
    record Contexts(SSLContext server, SSLContext client) {
    }

    /**
     * Makes a self-signed certificate for {@code localhost} with {@code keytool} and the two contexts.
     *
     * @return the contexts
     * @throws IOException if keytool fails
     * @throws GeneralSecurityException if the keystore cannot be read
     */
    static Contexts makeContexts() throws IOException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("jasyncio-tls-echo");
        Path store = dir.resolve("server.p12");
        char[] password = "changeit".toCharArray();
        try {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048", "-validity", "1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), UTF_8);
            try {
                if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IOException("keytool failed: " + output);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while keytool ran", e);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);

            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("localhost", keys.getCertificate("localhost"));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new Contexts(server, client);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    /**
     * Echoes one read back, then closes.
     *
     * @param reader the connection's reader
     * @param writer the connection's writer
     * @return the coroutine
     * @throws IOException (from the coroutine) when the connection fails
     */
    @Async
    static Coroutine<Void> handleEcho(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] data = await(reader.read(100));
        writer.write(data);
        await(writer.drain());
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    /**
     * Serves TLS on {@code host}:{@code port} and sends one message to itself.
     *
     * @param out where the program prints
     * @param host the address to listen on
     * @param port the port, or 0 for a free one
     * @return the program's main coroutine
     * @throws IOException (from the coroutine) when the address cannot be bound or TLS fails
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out, String host, int port) throws IOException {
        Contexts contexts = await(toThread(TlsEcho::makeContexts)); // keytool blocks: off the loop
        try (Server server = await(startServer(TlsEcho::handleEcho, host, port, contexts.server()))) {
            String hostPort = TcpExample.hostPort(server.addresses().get(0));
            out.println("Serving on " + hostPort);
            int boundPort = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            Streams s = await(openConnection(host, boundPort,
                    ConnectOptions.defaults().withSsl(contexts.client()).withServerHostname("localhost")));
            out.println("Send: " + TcpExample.repr(MESSAGE));
            s.writer().write(MESSAGE.getBytes(UTF_8));
            await(s.writer().drain());
            byte[] data = await(s.reader().read(100));
            out.println("Received: " + TcpExample.repr(new String(data, UTF_8)));
            out.println("Close the connection");
            s.writer().close();
            await(s.writer().waitClosed());
        }
        return done();
    }
}
