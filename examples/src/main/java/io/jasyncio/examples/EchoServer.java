package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.startServer;

import io.jasyncio.Coroutine;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.PrintStream;

/**
 * A TCP echo server on streams: each client gets back every byte it sends, until it closes its side; then the
 * server closes the connection. Every connection is served by a task of its own, so any number of clients are
 * served at once. asyncio's documented "TCP echo server using streams" answers one read and hangs up; this one
 * echoes until the end of the stream, with {@code drain()} after each write so that a client that sends faster
 * than it reads is slowed down instead of filling the server's memory. The Python original (Python 3.8+):
 * <pre>{@code
 * import argparse
 * import asyncio
 *
 * async def handle_echo(reader, writer):
 *     host, port = writer.get_extra_info("peername")[:2]
 *     echoed = 0
 *     try:
 *         while data := await reader.read(65536):  # b"": the client closed its side
 *             writer.write(data)
 *             await writer.drain()
 *             echoed += len(data)
 *     except ConnectionError as e:
 *         print(f"Lost {host}:{port}: {e}")
 *     print(f"Echoed {echoed} bytes to {host}:{port}")
 *     writer.close()
 *
 * async def main(host, port):
 *     server = await asyncio.start_server(handle_echo, host, port)
 *     host, port = server.sockets[0].getsockname()[:2]
 *     print(f"Serving on {host}:{port}", flush=True)
 *     async with server:
 *         await server.serve_forever()
 *
 * parser = argparse.ArgumentParser()
 * parser.add_argument("--host", default="127.0.0.1")
 * parser.add_argument("--port", type=int, default=8888)
 * args = parser.parse_args()
 * asyncio.run(main(args.host, args.port))
 * }</pre>
 * Both print {@code Serving on 127.0.0.1:8888}, then a line per connection as it ends, such as
 * {@code Echoed 12 bytes to 127.0.0.1:50312}; they serve until stopped (Ctrl-C). Python's
 * {@code ConnectionError} is an {@link IOException} here (a reset connection's {@code SocketException}).
 */
public final class EchoServer implements TcpExample {

    /** Creates the example. */
    public EchoServer() {
    }

    /** {@return {@code echo-server}} */
    @Override
    public String name() {
        return "echo-server";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "echoes every byte a client sends until it closes its side; many clients at once";
    }

    /**
     * Echoes what one client sends until it closes its side, then closes the connection.
     *
     * @param out where the coroutine prints
     * @param reader the connection's incoming bytes
     * @param writer the connection's outgoing bytes
     * @return the coroutine
     * @throws IOException never: a broken connection is reported on {@code out}
     */
    @Async
    public static Coroutine<Void> handleEcho(PrintStream out, StreamReader reader, StreamWriter writer)
            throws IOException {
        String peer = TcpExample.hostPort((java.net.SocketAddress) writer.getExtraInfo("peername"));
        long echoed = 0;
        try {
            for (byte[] data = await(reader.read(65536)); data.length > 0; data = await(reader.read(65536))) {
                writer.write(data);
                await(writer.drain());
                echoed += data.length;
            }
        } catch (IOException e) {
            out.println("Lost " + peer + ": " + e.getMessage());
        }
        out.println("Echoed " + echoed + " bytes to " + peer);
        writer.close();
        return done();
    }

    /**
     * Starts the server and prints {@code Serving on HOST:PORT}.
     *
     * @param out where the server prints
     * @param host the address to listen on
     * @param port the port, or 0 for a free one
     * @return a coroutine of the server, serving already
     * @throws IOException (from the coroutine) when the address cannot be bound
     */
    @Async
    public static Coroutine<Server> start(PrintStream out, String host, int port) throws IOException {
        Server server = await(startServer((reader, writer) -> handleEcho(out, reader, writer), host, port));
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
        try (Server server = await(start(out, host, port))) {
            await(server.serveForever());
        }
        return done();
    }
}
