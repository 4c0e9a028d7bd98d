package io.jasyncio.benchmarks;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import io.jasyncio.benchmarks.kotlin.KotlinWorkloads;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * W3 (memory) and W4 (timers) of BENCHMARKS.md as plain programs: each variant runs {@code warmup} times, then
 * {@code runs} measured times, and prints one {@code RESULT} line per figure with the median of the measured runs
 * (the suite's runner reads them; one JVM per variant there). Every run checks its sum.
 *
 * <pre>
 * java -Xms16g -Xmx16g -XX:+UseParallelGC -cp benchmarks.jar io.jasyncio.benchmarks.PlainWorkloads \
 *     W3|W4 VARIANT[,VARIANT...] [N [WARMUP [RUNS [BOUND]]]]    (defaults 1000000 1 3 1000)
 * variants: jasyncio kotlinRunBlocking kotlinDefault completableFuture virtualThread
 * prints:   RESULT W3 VARIANT bytes_per_task VALUE     (-Dbenchmarks.histogram=PREFIX: see usedHeap)
 *           RESULT W4 VARIANT total_ms VALUE   and   RESULT W4 VARIANT ms_beyond_ideal VALUE
 * </pre>
 *
 * <p>W3: N tasks each increment a counter, wait on one event, return their index. The used heap (after
 * {@code System.gc()} four times) is read before they are created and once all N wait; figure: the difference /
 * N, the driver's handle per task (its list of tasks or futures) included. Then the event is set and the sum
 * checked. W4: task i sleeps d(i) ms (the 64-bit LCG of BENCHMARKS.md, modulo BOUND: 1000 there, smaller only in
 * smoke mode) and returns it; figures: ms from the start of the driver to the last join, and that minus max d(i).
 */
public final class PlainWorkloads {
    /** The variants, in the order the runner runs them. */
    public static final List<String> VARIANTS = List.of("jasyncio", "kotlinRunBlocking", "kotlinDefault",
            "completableFuture", "virtualThread");

    private PlainWorkloads() {
    }

    /**
     * Runs one workload's variants (see the class comment).
     *
     * @param args {@code W3|W4 VARIANTS [N [WARMUP [RUNS]]]}
     * @throws Exception when a run fails its check
     */
    public static void main(String[] args) throws Exception {
        String workload = args[0];
        List<String> variants = Arrays.asList(args[1].split(","));
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int bound = args.length > 5 ? Integer.parseInt(args[5]) : 1000;
        for (String v : variants) {
            if (!VARIANTS.contains(v)) {
                throw new IllegalArgumentException("unknown variant " + v + "; known: " + VARIANTS);
            }
            switch (workload) {
                case "W3": w3(v, n, warmup, runs); break;
                case "W4": w4(v, n, warmup, runs, bound); break;
                default: throw new IllegalArgumentException("unknown workload " + workload + " (W3 or W4)");
            }
        }
    }

    private static void w3(String variant, int n, int warmup, int runs) {
        double[] perTask = new double[runs];
        for (int r = -warmup; r < runs; r++) {
            long[] m = memory(variant, n);
            double bytes = (double) (m[1] - m[0]) / n;
            System.out.printf(Locale.ROOT, "%s W3 %s run %d: %.1f bytes per task (used %d -> %d)%n",
                    r < 0 ? "warm-up" : "measured", variant, r, bytes, m[0], m[1]);
            if (r >= 0) {
                perTask[r] = bytes;
            }
        }
        System.out.printf(Locale.ROOT, "RESULT W3 %s bytes_per_task %.1f%n", variant, median(perTask));
    }

    private static void w4(String variant, int n, int warmup, int runs, int bound) {
        int[] delays = delays(n, bound);
        long expected = 0;
        int max = 0;
        for (int d : delays) {
            expected += d;
            max = Math.max(max, d);
        }
        double[] total = new double[runs];
        for (int r = -warmup; r < runs; r++) {
            System.gc();
            System.gc();
            long start = System.nanoTime();
            long sum = timers(variant, delays);
            double ms = (System.nanoTime() - start) / 1e6;
            Checks.expect("W4 " + variant + " sum of delays", sum, expected);
            System.out.printf(Locale.ROOT, "%s W4 %s run %d: %.1f ms, %.1f beyond the ideal %d ms%n",
                    r < 0 ? "warm-up" : "measured", variant, r, ms, ms - max, max);
            if (r >= 0) {
                total[r] = ms;
            }
        }
        double median = median(total);
        System.out.printf(Locale.ROOT, "RESULT W4 %s total_ms %.1f%n", variant, median);
        System.out.printf(Locale.ROOT, "RESULT W4 %s ms_beyond_ideal %.1f%n", variant, median - max);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * {@return the delays in ms of W4} the LCG of BENCHMARKS.md, identical in every language
     *
     * @param n how many
     * @param bound the delays are {@code (state >>> 33) % bound} (1000 in BENCHMARKS.md)
     */
    static int[] delays(int n, int bound) {
        int[] d = new int[n];
        long state = 42;
        for (int i = 0; i < n; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            d[i] = (int) Long.remainderUnsigned(state >>> 33, bound);
        }
        return d;
    }

    /** How many times {@link #usedHeap()} has been called: W3 calls it before (odd) and while all wait (even). */
    private static int heapReads;

    /**
     * {@return the used heap} after four {@code System.gc()}. With {@code -Dbenchmarks.histogram=PREFIX}, each
     * read taken while the N tasks wait also writes the class histogram of the heap ({@code GC.class_histogram},
     * what retains the bytes) to {@code PREFIX-K.txt}.
     */
    static synchronized long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String histogram = System.getProperty("benchmarks.histogram");
        if (histogram != null && ++heapReads % 2 == 0) {
            try {
                Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
                java.nio.file.Files.writeString(java.nio.file.Path.of(histogram + "-" + heapReads / 2 + ".txt"),
                        String.valueOf(text));
            } catch (javax.management.JMException | java.io.IOException e) {
                throw new IllegalStateException("class histogram", e);
            }
        }
        return used;
    }

    private static long expectedSum(int n) {
        return (long) n * (n - 1) / 2;
    }

    // ---- W3 -------------------------------------------------------------------------------------------------

    /**
     * {@return used heap before, used heap while all N wait, and the checked sum}
     *
     * @param variant which implementation
     * @param n how many tasks
     */
    static long[] memory(String variant, int n) {
        long[] m;
        switch (variant) {
            case "jasyncio": m = Asyncio.run(memoryDriver(n)); break;
            case "kotlinRunBlocking": m = KotlinWorkloads.memoryRunBlocking(n, PlainWorkloads::usedHeap); break;
            case "kotlinDefault": m = KotlinWorkloads.memoryDefault(n, PlainWorkloads::usedHeap); break;
            case "completableFuture": m = memoryCompletableFuture(n); break;
            case "virtualThread": m = memoryVirtualThreads(n); break;
            default: throw new IllegalArgumentException(variant);
        }
        Checks.expect("W3 " + variant + " sum", m[2], expectedSum(n));
        return m;
    }

    /** Counts the tasks that have started; only the loop's thread touches it. */
    private static final class Counter {
        int value;
    }

    @Async
    static Coroutine<long[]> memoryDriver(int n) {
        Counter counter = new Counter();
        Event event = new Event();
        long before = usedHeap();
        List<Task<Integer>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(waiter(i, counter, event)));
        }
        while (counter.value < n) {
            await(sleep(0));
        }
        long after = usedHeap();
        event.set();
        List<Integer> results = await(gather(tasks));
        long sum = 0;
        for (int r : results) {
            sum += r;
        }
        return done(new long[] {before, after, sum});
    }

    @Async
    static Coroutine<Integer> waiter(int i, Counter counter, Event event) {
        counter.value++;
        await(event.waitFor());
        return done(i);
    }

    /**
     * CompletableFuture on a single-thread executor: each "task" is {@code runAsync(count)} then
     * {@code thenCompose(v -> event)} then {@code thenApply(v -> i)}; the measure is queued behind them.
     */
    static long[] memoryCompletableFuture(int n) {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Counter counter = new Counter();
            CompletableFuture<Void> event = new CompletableFuture<>();
            long before = usedHeap();
            List<CompletableFuture<Integer>> futures = executor.submit(() -> {
                List<CompletableFuture<Integer>> fs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int index = i;
                    fs.add(CompletableFuture.runAsync(() -> counter.value++, executor)
                            .thenCompose(v -> event).thenApply(v -> index));
                }
                return fs;
            }).get();
            long after = executor.submit(() -> {
                Checks.expect("W3 CompletableFuture started", counter.value, n);
                return usedHeap();
            }).get();
            event.complete(null);
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
            long sum = 0;
            for (CompletableFuture<Integer> f : futures) {
                sum += f.join();
            }
            return new long[] {before, after, sum};
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Virtual threads: N threads each count, then wait on one latch, then return their index. */
    static long[] memoryVirtualThreads(int n) {
        long[] m = new long[3];
        VirtualThreads.drive(executor -> {
            AtomicInteger counter = new AtomicInteger();
            CountDownLatch event = new CountDownLatch(1);
            m[0] = usedHeap();
            List<Future<Integer>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    counter.incrementAndGet();
                    event.await();
                    return index;
                }));
            }
            while (counter.get() < n) {
                Thread.sleep(1);
            }
            Thread.sleep(20); // the last ones go from the increment to parking on the latch
            m[1] = usedHeap();
            event.countDown();
            long sum = 0;
            for (Future<Integer> f : futures) {
                sum += f.get();
            }
            m[2] = sum;
            return sum;
        });
        return m;
    }

    // ---- W4 -------------------------------------------------------------------------------------------------

    /**
     * {@return the sum of what the tasks returned}
     *
     * @param variant which implementation
     * @param delays the delays in ms
     */
    static long timers(String variant, int[] delays) {
        switch (variant) {
            case "jasyncio": return Asyncio.run(timersDriver(delays));
            case "kotlinRunBlocking": return KotlinWorkloads.timersRunBlocking(delays);
            case "kotlinDefault": return KotlinWorkloads.timersDefault(delays);
            case "completableFuture": return timersCompletableFuture(delays);
            case "virtualThread": return timersVirtualThreads(delays);
            default: throw new IllegalArgumentException(variant);
        }
    }

    @Async
    static Coroutine<Long> timersDriver(int[] delays) {
        List<Task<Integer>> tasks = new ArrayList<>(delays.length);
        for (int d : delays) {
            tasks.add(createTask(sleeper(d)));
        }
        List<Integer> results = await(gather(tasks));
        long sum = 0;
        for (int r : results) {
            sum += r;
        }
        return done(sum);
    }

    @Async
    static Coroutine<Integer> sleeper(int d) {
        await(sleep(d / 1000.0));
        return done(d);
    }

    /** CompletableFuture: {@code supplyAsync(() -> d, delayedExecutor(d, ms, executor))} from the executor. */
    static long timersCompletableFuture(int[] delays) {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            return CompletableFuture.supplyAsync(() -> {
                List<CompletableFuture<Integer>> futures = new ArrayList<>(delays.length);
                for (int d : delays) {
                    futures.add(CompletableFuture.supplyAsync(() -> d,
                            CompletableFuture.delayedExecutor(d, TimeUnit.MILLISECONDS, executor)));
                }
                return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
                    long sum = 0;
                    for (CompletableFuture<Integer> f : futures) {
                        sum += f.join();
                    }
                    return sum;
                });
            }, executor).thenCompose(f -> f).join();
        } finally {
            executor.shutdownNow();
        }
    }

    /** Virtual threads: one per delay, {@code Thread.sleep(d)} then return d. */
    static long timersVirtualThreads(int[] delays) {
        return VirtualThreads.drive(executor -> {
            List<Future<Integer>> futures = new ArrayList<>(delays.length);
            for (int d : delays) {
                futures.add(executor.submit(() -> {
                    Thread.sleep(d);
                    return d;
                }));
            }
            long sum = 0;
            for (Future<Integer> f : futures) {
                sum += f.get();
            }
            return sum;
        });
    }
}
