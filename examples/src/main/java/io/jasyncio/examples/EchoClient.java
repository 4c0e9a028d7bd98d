package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.openConnection;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.Coroutine;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.Streams;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.PrintStream;

/**
 * asyncio's documented "TCP echo client using streams": connects, sends a message, prints the reply and closes.
 * {@code openConnection} gives the {@link Streams} record where Python unpacks a {@code (reader, writer)} tuple.
 * The Python original (asyncio's documentation, with the address from the command line):
 * <pre>{@code
 * import argparse
 * import asyncio
 *
 * async def tcp_echo_client(message, host, port):
 *     reader, writer = await asyncio.open_connection(host, port)
 *
 *     print(f"Send: {message!r}")
 *     writer.write(message.encode())
 *     await writer.drain()
 *
 *     data = await reader.read(100)
 *     print(f"Received: {data.decode()!r}")
 *
 *     print("Close the connection")
 *     writer.close()
 *     await writer.wait_closed()
 *
 * parser = argparse.ArgumentParser()
 * parser.add_argument("--host", default="127.0.0.1")
 * parser.add_argument("--port", type=int, default=8888)
 * args = parser.parse_args()
 * asyncio.run(tcp_echo_client("Hello World!", args.host, args.port))
 * }</pre>
 * Against an echo server (the example {@code echo-server}, or the Python one) both print:
 * <pre>
 * Send: 'Hello World!'
 * Received: 'Hello World!'
 * Close the connection
 * </pre>
 * Where no server listens, both fail: Python with {@code ConnectionRefusedError}, Java with
 * {@link java.net.ConnectException}.
 */
public final class EchoClient implements TcpExample {
    /** What the client sends. */
    static final String MESSAGE = "Hello World!";

    /** Creates the example. */
    public EchoClient() {
    }

    /** {@return {@code echo-client}} */
    @Override
    public String name() {
        return "echo-client";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "asyncio's TCP echo client on streams: sends 'Hello World!', prints the reply";
    }

    /**
     * Sends {@code message} to the echo server at {@code host}:{@code port} and prints what comes back.
     *
     * @param out where the coroutine prints
     * @param message what to send
     * @param host the server's address
     * @param port the server's port
     * @return the coroutine
     * @throws IOException (from the coroutine) when the connection fails
     */
    @Async
    public static Coroutine<Void> tcpEchoClient(PrintStream out, String message, String host, int port)
            throws IOException {
        Streams streams = await(openConnection(host, port));
        StreamReader reader = streams.reader();
        StreamWriter writer = streams.writer();

        out.println("Send: " + TcpExample.repr(message));
        writer.write(message.getBytes(UTF_8));
        await(writer.drain());

        byte[] data = await(reader.read(100));
        out.println("Received: " + TcpExample.repr(new String(data, UTF_8)));

        out.println("Close the connection");
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    /**
     * Sends {@code Hello World!} to {@code host}:{@code port}.
     *
     * @param out where the program prints
     * @param host the server's address
     * @param port the server's port
     * @return the program's main coroutine
     * @throws IOException (from the coroutine) when the connection fails
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out, String host, int port) throws IOException {
        await(tcpEchoClient(out, MESSAGE, host, port));
        return done();
    }
}
