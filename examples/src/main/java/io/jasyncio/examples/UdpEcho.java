package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;

import io.jasyncio.Coroutine;
import io.jasyncio.DatagramProtocol;
import io.jasyncio.DatagramTransport;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * asyncio's documented "UDP echo server protocol": every datagram goes back to where it came from. The Python
 * original (asyncio's documentation, with the address from the command line and the first line asked for):
 * <pre>{@code
 * import argparse
 * import asyncio
 *
 * class EchoServerProtocol:
 *     def connection_made(self, transport):
 *         self.transport = transport
 *
 *     def datagram_received(self, data, addr):
 *         message = data.decode()
 *         print('Received %r from %s' % (message, addr))
 *         print('Send %r to %s' % (message, addr))
 *         self.transport.sendto(data, addr)
 *
 * async def main(host, port):
 *     loop = asyncio.get_running_loop()
 *     transport, protocol = await loop.create_datagram_endpoint(
 *         EchoServerProtocol, local_addr=(host, port))
 *     host, port = transport.get_extra_info("sockname")
 *     print(f"Serving on {host}:{port}", flush=True)
 *     try:
 *         await asyncio.Future()  # serve until cancelled
 *     finally:
 *         transport.close()
 *
 * parser = argparse.ArgumentParser()
 * parser.add_argument("--host", default="127.0.0.1")
 * parser.add_argument("--port", type=int, default=8888)
 * args = parser.parse_args()
 * asyncio.run(main(args.host, args.port))
 * }</pre>
 * A datagram "Hello World!" from 127.0.0.1:40000 makes both print {@code Received 'Hello World!' from
 * ('127.0.0.1', 40000)} and {@code Send 'Hello World!' to ('127.0.0.1', 40000)}.
 */
public final class UdpEcho implements TcpExample {

    /** Creates the example. */
    public UdpEcho() {
    }

    /** {@return {@code udp-echo}} */
    @Override
    public String name() {
        return "udp-echo";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "asyncio's UDP echo server protocol: every datagram goes back to its sender";
    }

    /** The protocol: prints and echoes each datagram. */
    static final class EchoServerProtocol implements DatagramProtocol {
        private final PrintStream out;
        private DatagramTransport transport;

        EchoServerProtocol(PrintStream out) {
            this.out = out;
        }

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress address) {
            String message = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
            InetSocketAddress a = (InetSocketAddress) address;
            String from = "('" + a.getAddress().getHostAddress() + "', " + a.getPort() + ")";
            out.println("Received " + TcpExample.repr(message) + " from " + from);
            out.println("Send " + TcpExample.repr(message) + " to " + from);
            out.flush();
            transport.sendto(data, address);
        }
    }

    /**
     * Opens the endpoint and prints {@code Serving on HOST:PORT}.
     *
     * @param out where the server prints
     * @param host the address to listen on
     * @param port the port, or 0 for a free one
     * @return a coroutine of the endpoint
     * @throws IOException (from the coroutine) when the address cannot be bound
     */
    @Async
    public static Coroutine<DatagramTransport> start(PrintStream out, String host, int port) throws IOException {
        DatagramTransport transport = await(getRunningLoop().createDatagramEndpoint(
                () -> new EchoServerProtocol(out), new InetSocketAddress(host, port), null));
        out.println("Serving on " + TcpExample.hostPort((SocketAddress) transport.getExtraInfo("sockname")));
        out.flush();
        return done(transport);
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
        DatagramTransport transport = await(start(out, host, port));
        try {
            await(getRunningLoop().createFuture()); // serve until cancelled
        } finally {
            transport.close();
        }
        return done();
    }
}
