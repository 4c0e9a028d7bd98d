package io.jasyncio.benchmarks.echo;

import io.jasyncio.benchmarks.VirtualThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;

/**
 * W6 with virtual threads (JDK 21+), written as their users write a server: blocking {@code ServerSocket.accept}
 * in a virtual thread, one virtual thread per connection doing blocking {@code read} and {@code write}, TCP_NODELAY.
 * The runner starts it on JDK 25 with one carrier ({@code -Djdk.virtualThreadScheduler.parallelism=1}), the
 * counterpart of one event loop. Runs until killed.
 */
public final class VirtualThreadEchoServer {
    private VirtualThreadEchoServer() {
    }

    /**
     * Serves on {@code --host} (127.0.0.1) and {@code --port} (0: any free port) until killed.
     *
     * @param args the command line
     * @throws Exception if the server cannot listen, or accepting fails
     */
    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args);
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(a.host, a.port));
        ServerArgs.serving(server.getLocalSocketAddress());
        ExecutorService threads = VirtualThreads.newPerTaskExecutor();
        threads.submit(() -> {
            while (true) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                threads.submit(() -> echo(s));
            }
        }).get();
    }

    private static void echo(Socket s) {
        byte[] buffer = new byte[65536];
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
