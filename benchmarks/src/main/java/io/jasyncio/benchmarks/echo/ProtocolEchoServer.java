package io.jasyncio.benchmarks.echo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Protocol;
import io.jasyncio.Server;
import io.jasyncio.Transport;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * W6 echo server on jasyncio's transports and protocols (asyncio's {@code create_server} echo): the protocol
 * writes each chunk it receives back to its transport. Runs until killed.
 */
public final class ProtocolEchoServer {
    private ProtocolEchoServer() {
    }

    /** Writes back what it receives. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    @Async
    static Coroutine<Void> serve(String host, int port) throws IOException {
        Server server = await(getRunningLoop().createServer(Echo::new, host, port));
        ServerArgs.serving(server.addresses().get(0));
        await(server.serveForever());
        return done();
    }

    /**
     * Serves on {@code --host} (127.0.0.1) and {@code --port} (0: any free port) until killed.
     *
     * @param args the command line
     * @throws IOException if the address cannot be bound
     */
    public static void main(String[] args) throws IOException {
        ServerArgs a = ServerArgs.parse(args);
        Asyncio.run(serve(a.host, a.port));
    }
}
