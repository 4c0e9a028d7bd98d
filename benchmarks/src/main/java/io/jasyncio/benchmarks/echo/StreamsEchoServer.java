package io.jasyncio.benchmarks.echo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.startServer;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Server;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.annotations.Async;
import java.io.IOException;

/**
 * W6 echo server on jasyncio's streams, written the way a user would (asyncio's {@code start_server} echo):
 * each connection reads what is there, writes it back and drains, until end of stream. Runs until killed.
 */
public final class StreamsEchoServer {
    private StreamsEchoServer() {
    }

    /**
     * Serves one connection.
     *
     * @param reader its incoming bytes
     * @param writer its outgoing bytes
     * @return the coroutine
     * @throws IOException when the connection fails
     */
    @Async
    static Coroutine<Void> echo(StreamReader reader, StreamWriter writer) throws IOException {
        for (;;) {
            byte[] data = await(reader.read(65536));
            if (data.length == 0) {
                break; // end of stream
            }
            writer.write(data);
            await(writer.drain());
        }
        writer.close();
        return done();
    }

    @Async
    static Coroutine<Void> serve(String host, int port) throws IOException {
        Server server = await(startServer(StreamsEchoServer::echo, host, port));
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
