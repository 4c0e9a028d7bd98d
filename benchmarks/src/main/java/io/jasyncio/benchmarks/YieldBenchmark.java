package io.jasyncio.benchmarks;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import io.jasyncio.benchmarks.kotlin.KotlinWorkloads;
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
 * W1 yield: one task yields to its loop {@link #N} times in a row, counting. Figure: ns per yield round trip
 * (task suspends, the loop runs one iteration, the task resumes).
 *
 * <p>The CompletableFuture equivalents run on a single-thread executor (the "loop"); a yield is a hop that
 * resubmits the continuation to that same executor:
 * <ul>
 *   <li>{@link #completableFutureThenRunAsync()}: each hop is {@code previous.thenRunAsync(hop, executor)}
 *       (one stage and one completion per hop, constant live memory);</li>
 *   <li>{@link #completableFutureThenComposeAsync()}: the idiomatic recursive async loop,
 *       {@code done.thenComposeAsync(v -> loop(i + 1), executor)} (the N nested stages are relayed at the end);</li>
 *   <li>{@link #executorResubmit()}: the floor, a bare {@code Runnable} re-executing itself (no future at all).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms16g", "-Xmx16g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class YieldBenchmark {
    /** Yields per benchmark invocation. */
    public static final int N = 100_000;

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private ExecutorService executor;

    /** Starts the single-thread executor of the CompletableFuture variants. */
    @Setup
    public void setUp() {
        executor = Executors.newSingleThreadExecutor();
    }

    /** Stops the executor. */
    @TearDown
    public void tearDown() {
        executor.shutdownNow();
    }

    /** {@return the count} jasyncio: {@code await(sleep(0))} N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long jasyncio() {
        return jasyncio(N);
    }

    /** {@return the count} CompletableFuture: a chain of N {@code thenRunAsync} hops on one thread. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long completableFutureThenRunAsync() {
        return thenRunAsync(executor, N);
    }

    /** {@return the count} CompletableFuture: a recursive {@code thenComposeAsync} loop of N hops on one thread. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long completableFutureThenComposeAsync() {
        return thenComposeAsync(executor, N);
    }

    /** {@return the count} A bare Runnable resubmitting itself N times to the single-thread executor. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long executorResubmit() {
        return executorResubmit(executor, N);
    }

    /** {@return the count} Kotlin coroutines on one thread: {@code runBlocking}, {@code yield()} N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long kotlinRunBlocking() {
        return kotlinRunBlocking(N);
    }

    /** {@return the count} Kotlin coroutines on {@code Dispatchers.Default}, {@code yield()} N times. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long kotlinDefault() {
        return kotlinDefault(N);
    }

    /**
     * {@return the count} A virtual thread doing {@code Thread.yield()} N times (JDK 21+; the runner runs it with one
     * carrier and with the default scheduler).
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public long virtualThread() {
        return virtualThread(N);
    }

    // ---- Kotlin, virtual threads ----------------------------------------------------------------------------

    static long kotlinRunBlocking(int n) {
        return Checks.expect("Kotlin runBlocking yields", KotlinWorkloads.yieldRunBlocking(n), n);
    }

    static long kotlinDefault(int n) {
        return Checks.expect("Kotlin Default yields", KotlinWorkloads.yieldDefault(n), n);
    }

    static long virtualThread(int n) {
        return Checks.expect("virtual thread yields", VirtualThreads.drive(executor -> {
            long count = 0;
            for (int i = 0; i < n; i++) {
                Thread.yield();
                count++;
            }
            return count;
        }), n);
    }

    // ---- jasyncio -------------------------------------------------------------------------------------------

    static long jasyncio(int n) {
        return Checks.expect("jasyncio yields", Asyncio.run(yieldLoop(n)), n);
    }

    @Async
    static Coroutine<Integer> yieldLoop(int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            await(sleep(0));
            count++;
        }
        return done(count);
    }

    // ---- CompletableFuture ----------------------------------------------------------------------------------

    static long thenRunAsync(Executor executor, int n) {
        RunHops hops = new RunHops(executor, n);
        CompletableFuture<Void> start = new CompletableFuture<>();
        hops.current = start.thenRunAsync(hops, executor);
        start.complete(null);
        return Checks.expect("thenRunAsync hops", hops.result.join(), n);
    }

    /** One hop of the thenRunAsync chain: counts, then appends the next hop to the stage now running. */
    private static final class RunHops implements Runnable {
        private final Executor executor;
        private final int n;
        private final CompletableFuture<Integer> result = new CompletableFuture<>();
        /** The stage whose action is running; confined to the executor thread after the start. */
        CompletableFuture<Void> current;
        private int count;

        RunHops(Executor executor, int n) {
            this.executor = executor;
            this.n = n;
        }

        @Override
        public void run() {
            if (count == n) {
                result.complete(count);
                return;
            }
            count++;
            current = current.thenRunAsync(this, executor);
        }
    }

    static long thenComposeAsync(Executor executor, int n) {
        return Checks.expect("thenComposeAsync hops", composeLoop(executor, n, 0).join(), n);
    }

    private static CompletableFuture<Integer> composeLoop(Executor executor, int remaining, int count) {
        if (remaining == 0) {
            return CompletableFuture.completedFuture(count);
        }
        return DONE.thenComposeAsync(v -> composeLoop(executor, remaining - 1, count + 1), executor);
    }

    static long executorResubmit(Executor executor, int n) {
        Resubmit r = new Resubmit(executor, n);
        executor.execute(r);
        return Checks.expect("executor hops", r.result.join(), n);
    }

    /** Re-executes itself until it has run N times. */
    private static final class Resubmit implements Runnable {
        private final Executor executor;
        private final int n;
        private final CompletableFuture<Integer> result = new CompletableFuture<>();
        private int count;

        Resubmit(Executor executor, int n) {
            this.executor = executor;
            this.n = n;
        }

        @Override
        public void run() {
            if (++count == n) {
                result.complete(count);
            } else {
                executor.execute(this);
            }
        }
    }
}
