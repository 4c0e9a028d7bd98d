package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.startServer;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.jasyncio.ClientConnected;
import io.jasyncio.Coroutine;
import io.jasyncio.IncompleteReadException;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 server on {@code startServer}: every request, whatever its method and path, is answered
 * {@code 200 OK} with the body {@code Hello, World!} and its {@code Content-Length}. The connection is kept
 * alive for the next request (HTTP/1.1, unless the client sends {@code Connection: close}), so one connection
 * serves any number of requests, pipelined ones included: they are read and answered in turn. A request's body
 * ({@code Content-Length}) is read and dropped, in chunks, after a {@code 100 Continue} if the client asked
 * for one ({@code curl} does for large bodies). A broken connection or a malformed request (a header line over
 * the reader's 64 KiB limit, a bad {@code Content-Length}) drops the connection; other clients are not affected.
 * There is no chunked request body. The Python original:
 * <pre>{@code
 * import argparse
 * import asyncio
 *
 * BODY = b"Hello, World!"
 *
 * async def handle(reader, writer):
 *     try:
 *         while True:
 *             request_line = await reader.readline()
 *             if not request_line:
 *                 break  # the client closed the connection between two requests
 *             headers = {}
 *             while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
 *                 name, _, value = line.decode("latin-1").partition(":")
 *                 headers[name.strip().lower()] = value.strip()
 *             if headers.get("expect", "").lower() == "100-continue":
 *                 writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
 *             length = int(headers.get("content-length", "0"))
 *             while length > 0:  # the body is read and dropped
 *                 chunk = await reader.read(min(length, 65536))
 *                 if not chunk:
 *                     raise asyncio.IncompleteReadError(b"", length)
 *                 length -= len(chunk)
 *             keep_alive = (request_line.rstrip().endswith(b"HTTP/1.1")
 *                           and headers.get("connection", "").lower() != "close")
 *             writer.write(b"HTTP/1.1 200 OK\r\n"
 *                          b"Content-Type: text/plain\r\n"
 *                          + b"Content-Length: %d\r\n" % len(BODY)
 *                          + (b"" if keep_alive else b"Connection: close\r\n")
 *                          + b"\r\n" + BODY)
 *             await writer.drain()
 *             if not keep_alive:
 *                 break
 *         writer.close()
 *         await writer.wait_closed()
 *     except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
 *         writer.close()  # a broken or malformed request: drop the connection
 *
 * async def main(host, port):
 *     server = await asyncio.start_server(handle, host, port)
 *     host, port = server.sockets[0].getsockname()[:2]
 *     print(f"Serving on {host}:{port}", flush=True)
 *     async with server:
 *         await server.serve_forever()
 *
 * if __name__ == "__main__":
 *     parser = argparse.ArgumentParser()
 *     parser.add_argument("--host", default="127.0.0.1")
 *     parser.add_argument("--port", type=int, default=8888)
 *     args = parser.parse_args()
 *     asyncio.run(main(args.host, args.port))
 * }</pre>
 * Both print {@code Serving on 127.0.0.1:8888} and serve until stopped (Ctrl-C);
 * {@code curl -s http://127.0.0.1:8888/a http://127.0.0.1:8888/b} prints {@code Hello, World!} twice over one
 * connection. Python's {@code ConnectionError}, {@code IncompleteReadError} and {@code LimitOverrunError} are
 * {@link IOException}s here, and its {@code ValueError} of {@code int()} a {@link NumberFormatException}.
 */
public final class HttpHello implements TcpExample {
    /** The body of every response. */
    static final String BODY = "Hello, World!";
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1);
    private static final byte[] RESPONSE = response(true);
    private static final byte[] RESPONSE_CLOSE = response(false);

    /** Creates the example. */
    public HttpHello() {
    }

    private static byte[] response(boolean keepAlive) {
        return ("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + BODY.length() + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n" + BODY).getBytes(ISO_8859_1);
    }

    /** {@return {@code http-hello}} */
    @Override
    public String name() {
        return "http-hello";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a minimal HTTP/1.1 server (keep-alive, Content-Length) answering 'Hello, World!'";
    }

    /**
     * Serves the requests of one connection until the client closes it or asks to.
     *
     * @param reader the connection's incoming bytes
     * @param writer the connection's outgoing bytes
     * @return the coroutine
     * @throws IOException never: a broken connection or a malformed request drops the connection
     */
    @Async
    public static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) throws IOException {
        try {
            while (true) {
                byte[] requestLine = await(reader.readLine());
                if (requestLine.length == 0) {
                    break; // the client closed the connection between two requests
                }
                Map<String, String> headers = new HashMap<>();
                for (byte[] line = await(reader.readLine()); !endOfHeaders(line); line = await(reader.readLine())) {
                    String text = new String(line, ISO_8859_1);
                    int colon = text.indexOf(':');
                    String name = colon < 0 ? text : text.substring(0, colon);
                    String value = colon < 0 ? "" : text.substring(colon + 1);
                    headers.put(name.strip().toLowerCase(Locale.ROOT), value.strip());
                }
                if (headers.getOrDefault("expect", "").equalsIgnoreCase("100-continue")) {
                    writer.write(CONTINUE);
                }
                long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
                while (length > 0) { // the body is read and dropped
                    byte[] chunk = await(reader.read((int) Math.min(length, 65536)));
                    if (chunk.length == 0) {
                        throw new IncompleteReadException(chunk, (int) Math.min(length, Integer.MAX_VALUE));
                    }
                    length -= chunk.length;
                }
                boolean keepAlive = new String(requestLine, ISO_8859_1).stripTrailing().endsWith("HTTP/1.1")
                        && !headers.getOrDefault("connection", "").equalsIgnoreCase("close");
                writer.write(keepAlive ? RESPONSE : RESPONSE_CLOSE);
                await(writer.drain());
                if (!keepAlive) {
                    break;
                }
            }
            writer.close();
            await(writer.waitClosed());
        } catch (IOException | NumberFormatException e) {
            writer.close(); // a broken or malformed request: drop the connection
        }
        return done();
    }

    private static boolean endOfHeaders(byte[] line) {
        return line.length == 0 || line.length == 1 && line[0] == '\n'
                || line.length == 2 && line[0] == '\r' && line[1] == '\n';
    }

    /**
     * Starts a server running {@code handler} on each connection and prints {@code Serving on HOST:PORT}.
     *
     * @param out where the server prints
     * @param handler serves one connection: {@link #handle}, or a wrapper of it
     * @param host the address to listen on
     * @param port the port, or 0 for a free one
     * @return a coroutine of the server, serving already
     * @throws IOException (from the coroutine) when the address cannot be bound
     */
    @Async
    public static Coroutine<Server> start(PrintStream out, ClientConnected handler, String host, int port)
            throws IOException {
        Server server = await(startServer(handler, host, port));
        out.println("Serving on " + TcpExample.hostPort(server.addresses().get(0)));
        out.flush();
        return done(server);
    }

    /**
     * Serves until the task is cancelled.
     *
     * @param out where the program prints
     * @param host the address to listen on
     * @param port the port, or 0 for a free one
     * @return the program's main coroutine
     * @throws IOException (from the coroutine) when the address cannot be bound
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out, String host, int port) throws IOException {
        try (Server server = await(start(out, HttpHello::handle, host, port))) {
            await(server.serveForever());
        }
        return done();
    }
}
