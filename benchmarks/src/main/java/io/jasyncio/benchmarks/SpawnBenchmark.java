package io.jasyncio.benchmarks;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import io.jasyncio.benchmarks.kotlin.KotlinWorkloads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W2 spawn: a driver creates {@link #N} tasks that each return their index without suspending, gathers them and
 * sums the results. Figure: ns per task created, run and gathered.
 *
 * <p>jasyncio twice: {@code createTask} then {@code gather(tasks)}, and asyncio's idiom {@code gather(coroutines)}
 * (which wraps them itself). CompletableFuture: the driver runs on a single-thread executor and submits
 * {@code supplyAsync(() -> i, executor)} N times to that same executor, then {@code allOf}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms16g", "-Xmx16g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class SpawnBenchmark {
    /** Tasks per benchmark invocation. */
    public static final int N = 100_000;

    private ExecutorService executor;

    /** Starts the single-thread executor of the CompletableFuture variant. */
    @Setup
    public void setUp() {
        executor = Executors.newSingleThreadExecutor();
    }

    /** Stops the executor. */
    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    /** {@return the sum} jasyncio: N {@code createTask}, then {@code gather(tasks)}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long jasyncio() {
        return jasyncio(N);
    }

    /** {@return the sum} jasyncio: {@code gather(coroutines)}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long jasyncioGatherCoroutines() {
        return jasyncioGatherCoroutines(N);
    }

    /** {@return the sum} CompletableFuture: N {@code supplyAsync} on the single-thread executor, then allOf. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long completableFuture() {
        return completableFuture(executor, N);
    }

    /** {@return the sum} Kotlin coroutines on one thread: N {@code async { i }}, then {@code awaitAll()}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long kotlinRunBlocking() {
        return kotlinRunBlocking(N);
    }

    /** {@return the sum} Kotlin coroutines on {@code Dispatchers.Default}: N {@code async { i }}, then awaitAll. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long kotlinDefault() {
        return kotlinDefault(N);
    }

    /**
     * {@return the sum} Virtual threads (JDK 21+): a driver thread submits N tasks to a virtual-thread-per-task
     * executor and sums their futures.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public long virtualThread() {
        return virtualThread(N);
    }

    private static long expected(int n) {
        return (long) n * (n - 1) / 2;
    }

    // ---- jasyncio -------------------------------------------------------------------------------------------

    static long jasyncio(int n) {
        return Checks.expect("jasyncio spawn", Asyncio.run(spawnTasks(n)), expected(n));
    }

    static long jasyncioGatherCoroutines(int n) {
        return Checks.expect("jasyncio gather(coroutines)", Asyncio.run(spawnCoroutines(n)), expected(n));
    }

    @Async
    static Coroutine<Integer> index(int i) {
        return done(i);
    }

    @Async
    static Coroutine<Long> spawnTasks(int n) {
        List<Task<Integer>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(index(i)));
        }
        List<Integer> results = await(gather(tasks));
        return done(sum(results));
    }

    @Async
    static Coroutine<Long> spawnCoroutines(int n) {
        List<Coroutine<Integer>> coroutines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            coroutines.add(index(i));
        }
        List<Integer> results = await(gather(coroutines));
        return done(sum(results));
    }

    private static long sum(List<Integer> values) {
        long sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum;
    }

    // ---- Kotlin, virtual threads ----------------------------------------------------------------------------

    static long kotlinRunBlocking(int n) {
        return Checks.expect("Kotlin runBlocking spawn", KotlinWorkloads.spawnRunBlocking(n), expected(n));
    }

    static long kotlinDefault(int n) {
        return Checks.expect("Kotlin Default spawn", KotlinWorkloads.spawnDefault(n), expected(n));
    }

    static long virtualThread(int n) {
        return Checks.expect("virtual thread spawn", VirtualThreads.drive(executor -> {
            List<java.util.concurrent.Future<Integer>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(executor.submit(() -> index));
            }
            long sum = 0;
            for (java.util.concurrent.Future<Integer> f : futures) {
                sum += f.get();
            }
            return sum;
        }), expected(n));
    }

    // ---- CompletableFuture ----------------------------------------------------------------------------------

    static long completableFuture(Executor executor, int n) {
        long sum = CompletableFuture.supplyAsync(() -> spawnOn(executor, n), executor)
                .thenCompose(f -> f)
                .join();
        return Checks.expect("CompletableFuture spawn", sum, expected(n));
    }

    /** The driver, on the executor: N supplyAsync to the same executor, then allOf and the sum. */
    private static CompletableFuture<Long> spawnOn(Executor executor, int n) {
        List<CompletableFuture<Integer>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.add(CompletableFuture.supplyAsync(() -> index, executor));
        }
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            long sum = 0;
            for (CompletableFuture<Integer> f : futures) {
                sum += f.join();
            }
            return sum;
        });
    }
}
