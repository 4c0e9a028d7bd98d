package io.jasyncio.benchmarks;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import io.jasyncio.benchmarks.kotlin.KotlinWorkloads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W5 chain: {@code chain(d)} awaits {@code chain(d - 1)} and adds one; {@code chain(0)} is 0. Nothing suspends.
 * One task calls {@code chain(}{@link #DEPTH}{@code )} {@link #CALLS} times and sums. Figure: ns per nested
 * await (DEPTH × CALLS of them per invocation).
 *
 * <p>Compared with the same recursion on completed CompletableFutures ({@code thenApply}, {@code thenCompose}),
 * on the benchmark thread, and with plain recursive calls (returning {@code int}, and {@code Integer} to show what
 * boxing alone costs: the coroutine results are boxed too).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms16g", "-Xmx16g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class ChainBenchmark {
    /** Depth of one chain. */
    public static final int DEPTH = 1000;
    /** Chains per benchmark invocation. */
    public static final int CALLS = 100;

    /** Not final, so that the JIT cannot fold the depth into the code. */
    private int depth = DEPTH;
    private final ChainShapes.FinalPing finalPing = ChainShapes.finalPair();
    private final ChainShapes.Node node = new ChainShapes.Node();
    private final ChainShapes.Node subNode = new ChainShapes.SubNode();

    /** {@return the sum} jasyncio: {@code await(chain(d - 1)) + 1}. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long jasyncio() {
        return jasyncio(CALLS, depth);
    }

    /** {@return the sum} jasyncio, each level a static {@code @Async} method of another class (two, in turn). */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long jasyncioOtherClassStatic() {
        return ChainShapes.run("other class's static chain", CALLS, depth, ChainShapes.Ping::chain);
    }

    /** {@return the sum} jasyncio, each level a final {@code @Async} method of another class (two, in turn). */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long jasyncioOtherClassFinal() {
        return ChainShapes.run("other class's final chain", CALLS, depth, finalPing::chain);
    }

    /** {@return the sum} jasyncio, an overridable {@code @Async} method of the same class, receiver of that class. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long jasyncioOverridableExact() {
        return ChainShapes.run("overridable chain, exact receiver", CALLS, depth, node::chain);
    }

    /** {@return the sum} jasyncio, the same overridable method on a receiver of a subclass that does not override it. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long jasyncioOverridableSubclass() {
        return ChainShapes.run("overridable chain, subclass receiver", CALLS, depth, subNode::chain);
    }

    /** {@return the sum} CompletableFuture: {@code chain(d - 1).thenApply(x -> x + 1)}. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long completableFutureThenApply() {
        return thenApply(CALLS, depth);
    }

    /** {@return the sum} CompletableFuture: {@code chain(d - 1).thenCompose(x -> completedFuture(x + 1))}. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long completableFutureThenCompose() {
        return thenCompose(CALLS, depth);
    }

    /** {@return the sum} Plain recursive calls returning {@code int}: the 1.0 ns reference. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long plainCall() {
        return plain(CALLS, depth);
    }

    /** {@return the sum} Plain recursive calls returning {@code Integer}: the call plus boxing. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long plainCallBoxed() {
        return plainBoxed(CALLS, depth);
    }

    /** {@return the sum} Kotlin on one thread: {@code suspend fun chain(d) = chain(d - 1) + 1} in runBlocking. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long kotlinRunBlocking() {
        return kotlinRunBlocking(CALLS, depth);
    }

    /** {@return the sum} Kotlin on {@code Dispatchers.Default}: the same suspend recursion. */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long kotlinDefault() {
        return kotlinDefault(CALLS, depth);
    }

    /**
     * {@return the sum} Virtual threads (JDK 21+): what their users write, a plain recursive call, run in a
     * virtual thread (nothing blocks, so this is the plain call plus starting and joining one thread).
     */
    @Benchmark
    @OperationsPerInvocation(DEPTH * CALLS)
    public long virtualThread() {
        return virtualThread(CALLS, depth);
    }

    private static long expected(int calls, int depth) {
        return (long) calls * depth;
    }

    // ---- jasyncio -------------------------------------------------------------------------------------------

    static long jasyncio(int calls, int depth) {
        return Checks.expect("jasyncio chain", Asyncio.run(chainDriver(calls, depth)), expected(calls, depth));
    }

    @Async
    static Coroutine<Long> chainDriver(int calls, int depth) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += await(chain(depth));
        }
        return done(sum);
    }

    @Async
    static Coroutine<Integer> chain(int d) {
        if (d == 0) {
            return done(0);
        }
        return done(await(chain(d - 1)) + 1);
    }

    // ---- Kotlin, virtual threads ----------------------------------------------------------------------------

    static long kotlinRunBlocking(int calls, int depth) {
        return Checks.expect("Kotlin runBlocking chain", KotlinWorkloads.chainRunBlocking(calls, depth),
                expected(calls, depth));
    }

    static long kotlinDefault(int calls, int depth) {
        return Checks.expect("Kotlin Default chain", KotlinWorkloads.chainDefault(calls, depth),
                expected(calls, depth));
    }

    static long virtualThread(int calls, int depth) {
        return Checks.expect("virtual thread chain", VirtualThreads.drive(executor -> {
            long sum = 0;
            for (int i = 0; i < calls; i++) {
                sum += plainChain(depth);
            }
            return sum;
        }), expected(calls, depth));
    }

    // ---- CompletableFuture ----------------------------------------------------------------------------------

    static long thenApply(int calls, int depth) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += applyChain(depth).join();
        }
        return Checks.expect("thenApply chain", sum, expected(calls, depth));
    }

    private static CompletableFuture<Integer> applyChain(int d) {
        return d == 0 ? CompletableFuture.completedFuture(0) : applyChain(d - 1).thenApply(x -> x + 1);
    }

    static long thenCompose(int calls, int depth) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += composeChain(depth).join();
        }
        return Checks.expect("thenCompose chain", sum, expected(calls, depth));
    }

    private static CompletableFuture<Integer> composeChain(int d) {
        return d == 0 ? CompletableFuture.completedFuture(0)
                : composeChain(d - 1).thenCompose(x -> CompletableFuture.completedFuture(x + 1));
    }

    // ---- plain calls ----------------------------------------------------------------------------------------

    static long plain(int calls, int depth) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += plainChain(depth);
        }
        return Checks.expect("plain chain", sum, expected(calls, depth));
    }

    private static int plainChain(int d) {
        return d == 0 ? 0 : plainChain(d - 1) + 1;
    }

    static long plainBoxed(int calls, int depth) {
        long sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += boxedChain(depth);
        }
        return Checks.expect("boxed chain", sum, expected(calls, depth));
    }

    private static Integer boxedChain(int d) {
        return d == 0 ? Integer.valueOf(0) : Integer.valueOf(boxedChain(d - 1) + 1);
    }
}
