package io.jasyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every benchmark's code once with a small N and checks its verified result, so that a broken benchmark
 * (or a regression in the runtime or the weaving it uses) fails the build; then the whole suite in its smoke mode
 * ({@link #suiteSmoke}), W6 echo included.
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

    @Test
    void kotlinWorkloads() {
        assertEquals(1000, YieldBenchmark.kotlinRunBlocking(1000));
        assertEquals(1000, YieldBenchmark.kotlinDefault(1000));
        assertEquals(1000L * 999 / 2, SpawnBenchmark.kotlinRunBlocking(1000));
        assertEquals(1000L * 999 / 2, SpawnBenchmark.kotlinDefault(1000));
        assertEquals(3 * 200, ChainBenchmark.kotlinRunBlocking(3, 200));
        assertEquals(3 * 200, ChainBenchmark.kotlinDefault(3, 200));
    }

    /** Virtual threads: run here when the build's JDK has them (the JDK 25 pass of .ci/run); the suite's smoke
     * test runs them on JDK 25 in any case. */
    @Test
    void virtualThreadWorkloads() {
        assumeTrue(VirtualThreads.available(), "virtual threads need JDK 21+");
        assertEquals(1000, YieldBenchmark.virtualThread(1000));
        assertEquals(1000L * 999 / 2, SpawnBenchmark.virtualThread(1000));
        assertEquals(3 * 200, ChainBenchmark.virtualThread(3, 200));
    }

    @Test
    void virtualThreadsRefusedBeforeJdk21() {
        assumeFalse(VirtualThreads.available());
        assertThrows(UnsupportedOperationException.class, VirtualThreads::newPerTaskExecutor);
    }

    /** W4's delays: the LCG of BENCHMARKS.md (the Python script computes the same; checked by the suite's runs). */
    @Test
    void timerDelaysFollowTheLcg() {
        int[] d = PlainWorkloads.delays(1_000_000, 1000);
        long sum = 0;
        int max = 0;
        for (int x : d) {
            sum += x;
            max = Math.max(max, x);
            assertTrue(x >= 0 && x < 1000);
        }
        assertEquals(999, max);
        // state = 42 * 6364136223846793005 + 1442695040888963407 (mod 2^64); (state >>> 33) % 1000
        assertEquals(Long.remainderUnsigned((42L * 6364136223846793005L + 1442695040888963407L) >>> 33, 1000), d[0]);
        assertTrue(sum > 490_000_000L && sum < 510_000_000L, "mean delay near 500 ms: " + sum);
    }

    /**
     * The whole suite in smoke mode, as {@code benchmarks/run --smoke} runs it: JMH in this JVM with one 10 ms
     * iteration (virtual threads in one small fork each on JDK 25, when installed), W3 and W4 with N = 2,000,
     * the Python script with tiny N, W6 echo with 2 connections and one 0.2 s window against every server (jasyncio
     * streams and Protocol, Netty, virtual threads, Python asyncio). Every workload checks its own
     * result (a wrong sum or count fails its child, and so the suite); here: every expected row is there, with a
     * number, the CSV, tables and chart are written, and no child process is left. No speed is asserted.
     */
    @Test
    void suiteSmoke(@TempDir Path dir) throws Exception {
        Suite.Options o = Suite.Options.smoke(dir);
        o.log = null;
        Suite.Outcome out;
        try {
            out = Suite.run(o);
        } finally {
            assertEquals(List.of(), ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?"))
                    .collect(Collectors.toList()), "processes left behind");
        }
        Set<String> cells = new HashSet<>();
        for (Suite.Row r : out.rows) {
            cells.add(r.workload + " " + r.column);
            if (!r.workload.equals("W3")) { // W3 with N = 2,000 can be negative (a GC's noise), any other must not
                assertTrue(r.value >= 0 || Double.isNaN(r.value) && r.unit.startsWith("server CPU"),
                        r.workload + " " + r.variant + ": " + r.value);
            }
        }
        List<String> columns = new ArrayList<>(List.of(Suite.JASYNCIO, Suite.KOTLIN_1, Suite.KOTLIN_DEFAULT,
                Suite.CF));
        if (o.jdk25 != null) {
            columns.addAll(List.of(Suite.VT_1, Suite.VT_DEFAULT));
        }
        boolean python = out.skipped.stream().noneMatch(s -> s.startsWith("Python"));
        if (python) {
            columns.add(Suite.PYTHON);
        }
        for (String w : List.of("W1", "W2", "W3", "W4", "W5")) {
            for (String c : columns) {
                assertTrue(cells.contains(w + " " + c), "no row for " + w + " " + c + " in " + cells);
            }
        }
        List<String> servers = new ArrayList<>(List.of(Suite.JASYNCIO, Suite.NETTY));
        if (o.jdk25 != null) {
            servers.add(Suite.VT_1);
        }
        if (python) {
            servers.add(Suite.PYTHON);
        }
        for (String c : servers) {
            assertTrue(cells.contains("W6 " + c), "no W6 row for " + c + " in " + cells);
        }
        for (Suite.Row r : out.rows) {
            if (r.workload.equals("W6") && r.unit.equals("round trips/s")) {
                assertTrue(r.n >= 2, r.variant + ": " + r.n + " echoes"); // each checked byte for byte by the client
            }
        }
        assertEquals(out.rows.size() + 1, Files.readAllLines(out.csv).size());
        assertTrue(Files.readString(out.markdown).contains("| W1 yield: ns per yield |"));
        assertTrue(Files.size(out.chart) > 10_000, "chart " + Files.size(out.chart) + " bytes");
    }
}
