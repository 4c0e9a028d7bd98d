package io.jasyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.benchmarks.echo.EchoRunner;

import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark's code once with a small N and checks its verified result, so that a broken benchmark
 * (or a regression in the runtime or the weaving it uses) fails the build. JMH itself is not run here; the W6
 * echo runner is, in its smoke mode.
 */
class BenchmarksTest {
    private static ExecutorService executor;

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void yieldWorkloads() {
        assertEquals(1000, YieldBenchmark.jasyncio(1000));
        assertEquals(1000, YieldBenchmark.thenRunAsync(executor, 1000));
        assertEquals(1000, YieldBenchmark.thenComposeAsync(executor, 1000));
        assertEquals(1000, YieldBenchmark.executorResubmit(executor, 1000));
    }

    @Test
    void chainWorkloads() {
        assertEquals(3 * 200, ChainBenchmark.jasyncio(3, 200));
        assertEquals(3 * 200, ChainBenchmark.thenApply(3, 200));
        assertEquals(3 * 200, ChainBenchmark.thenCompose(3, 200));
        assertEquals(3 * 200, ChainBenchmark.plain(3, 200));
        assertEquals(3 * 200, ChainBenchmark.plainBoxed(3, 200));
    }

    @Test
    void chainAtFullDepth() {
        assertEquals(ChainBenchmark.DEPTH, ChainBenchmark.jasyncio(1, ChainBenchmark.DEPTH));
    }

    @Test
    void spawnWorkloads() {
        long expected = 1000L * 999 / 2;
        assertEquals(expected, SpawnBenchmark.jasyncio(1000));
        assertEquals(expected, SpawnBenchmark.jasyncioGatherCoroutines(1000));
        assertEquals(expected, SpawnBenchmark.completableFuture(executor, 1000));
    }

    @Test
    void syncWorkloads() {
        long sum = SyncBenchmark.expectedSum(1000);
        assertEquals(1000, SyncBenchmark.jasyncioLock(1000));
        assertEquals(sum, SyncBenchmark.jasyncioQueueNowait(1000));
        assertEquals(sum, SyncBenchmark.jasyncioQueueAwait(1000));
        assertEquals(1000, SyncBenchmark.reentrantLock(new ReentrantLock(), 1000));
        assertEquals(sum, SyncBenchmark.arrayDeque(new ArrayDeque<>(), 1000));
    }

    /**
     * W6 echo in smoke mode: each of the three servers in its own JVM, loaded by the client in another (2
     * connections, one 0.2 s window). The client checks every echo byte for byte and drains every connection at
     * the end (a stall fails it); the runner kills both processes in a finally. No speed is asserted.
     */
    @Test
    void echoSmokeAgainstEveryServer() throws Exception {
        EchoRunner.Options o = EchoRunner.Options.smoke();
        o.log = null;
        List<EchoRunner.Result> results;
        try {
            results = EchoRunner.run(o);
        } finally {
            assertEquals(List.of(), ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?"))
                    .collect(Collectors.toList()), "processes left behind");
        }
        assertEquals(List.of("streams", "protocol", "netty"),
                results.stream().map(r -> r.server).collect(Collectors.toList()));
        for (EchoRunner.Result r : results) {
            assertEquals(1, r.windows.size(), r.server);
            assertTrue(r.windows.get(0)[0] > 0, r.server + ": no round trip in the window");
            assertTrue(r.fewestPerConnection > 0, r.server + ": a connection got no echo");
            assertTrue(r.echoes >= 2, r.server + ": " + r.echoes + " echoes");
        }
    }
}
