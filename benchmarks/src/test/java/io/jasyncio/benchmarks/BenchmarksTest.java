package io.jasyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs every benchmark's code once with a small N and checks its verified result, so that a broken benchmark
 * (or a regression in the runtime or the weaving it uses) fails the build. JMH itself is not run here.
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
}
