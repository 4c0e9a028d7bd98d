package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * createConnection's happy eyeballs (RFC 8305) on real sockets: an address whose SYNs go unanswered (a listener
 * whose accept queue is full, so Linux drops them) does not hold the connection up past the delay.
 */
class HappyEyeballsTest extends LoopTestBase {

    @Test
    void race_anUnansweredAddressIsOvertakenAfterTheDelay() throws Exception {
        EventLoop real = track(new EventLoop());
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocketChannel full = ServerSocketChannel.open();
             ServerSocketChannel ok = ServerSocketChannel.open()) {
            full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            int port = ((InetSocketAddress) full.getLocalAddress()).getPort();
            ok.bind(new InetSocketAddress("127.0.0.2", port));
            for (int i = 0; i < 4; i++) { // fill the accept queue (never accepted): later SYNs are dropped
                SocketChannel c = SocketChannel.open();
                c.configureBlocking(false);
                c.connect(full.getLocalAddress());
                fillers.add(c);
            }
            Thread.sleep(20);
            ConnectOptions options = ConnectOptions.defaults().withHappyEyeballsDelay(0.05);
            Connections.CreateConnection connect = new Connections.CreateConnection(real, () -> new Protocol() { },
                    "test", port, options).resolvedTo(List.of(new InetSocketAddress("127.0.0.1", port),
                    new InetSocketAddress("127.0.0.2", port)));
            long start = System.nanoTime();
            Transport t = real.runUntilComplete(real.createTask(connect));
            double took = (System.nanoTime() - start) / 1e9;
            assertEquals(new InetSocketAddress("127.0.0.2", port), t.getExtraInfo("peername"));
            assertTrue(took >= 0.04 && took < 2, "the second address won after the delay, took " + took + " s");
            t.abort();
            real.runUntilComplete(real.createTask(Asyncio.sleep(0.01)));
        } finally {
            for (SocketChannel c : fillers) {
                c.close();
            }
        }
    }

    @Test
    void race_aRefusedAddressStartsTheNextAtOnce() throws Exception {
        EventLoop real = track(new EventLoop());
        int free;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            free = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (ServerSocketChannel ok = ServerSocketChannel.open()) {
            ok.bind(new InetSocketAddress("127.0.0.2", free));
            ConnectOptions options = ConnectOptions.defaults().withHappyEyeballsDelay(5);
            Connections.CreateConnection connect = new Connections.CreateConnection(real, () -> new Protocol() { },
                    "test", free, options).resolvedTo(List.of(new InetSocketAddress("127.0.0.1", free),
                    new InetSocketAddress("127.0.0.2", free)));
            long start = System.nanoTime();
            Transport t = real.runUntilComplete(real.createTask(connect));
            double took = (System.nanoTime() - start) / 1e9;
            assertEquals(new InetSocketAddress("127.0.0.2", free), t.getExtraInfo("peername"));
            assertTrue(took < 2, "a refused attempt does not wait for the 5 s delay, took " + took + " s");
            t.abort();
            real.runUntilComplete(real.createTask(Asyncio.sleep(0.01)));
        }
    }

    @Test
    void race_everyAddressRefusedThrowsTheLastFailure() throws IOException {
        EventLoop real = track(new EventLoop());
        int free;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            free = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        ConnectOptions options = ConnectOptions.defaults().withHappyEyeballsDelay(0.25);
        Connections.CreateConnection connect = new Connections.CreateConnection(real, () -> new Protocol() { },
                "test", free, options).resolvedTo(List.of(new InetSocketAddress("127.0.0.1", free),
                new InetSocketAddress("127.0.0.3", free)));
        Task<Transport> t = real.createTask(connect);
        org.junit.jupiter.api.Assertions.assertThrows(java.net.ConnectException.class, () -> real.runUntilComplete(t));
    }
}
