package io.jasyncio.benchmarks;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Lock;
import io.jasyncio.Queue;
import io.jasyncio.annotations.Async;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * The synchronization primitives and queues on their fast paths: nobody waits, so nothing may allocate or go
 * through the loop. Figure: ns per pair of operations (acquire and release, put and get), {@link #N} pairs per
 * invocation, beside the same pairs of {@code java.util.concurrent.locks.ReentrantLock} and {@code ArrayDeque}:
 * <ul>
 *   <li>{@link #jasyncioLock()}: {@code await(lock.acquire()); lock.release()} of a free {@link Lock}, in one
 *       task;</li>
 *   <li>{@link #jasyncioQueueNowait()}: {@code q.putNowait(x); q.getNowait()} of a {@link Queue}, in one
 *       task;</li>
 *   <li>{@link #jasyncioQueueAwait()}: {@code await(q.put(x)); await(q.get())} of a {@link Queue} of 16 that is
 *       never full or empty when it is used, so neither waits;</li>
 *   <li>{@link #reentrantLock()}: {@code lock.lock(); lock.unlock()} of an uncontended {@code ReentrantLock};</li>
 *   <li>{@link #arrayDeque()}: {@code deque.offer(x); deque.poll()}.</li>
 * </ul>
 * Each jasyncio invocation is one {@code Asyncio.run} (a new loop and one task, amortized over the N pairs);
 * the two JDK ones run on the benchmark thread. The items are preallocated, so no boxing is measured. Every
 * invocation checks a count or a sum. Run with {@code -prof gc} to see the allocation per pair.
 *
 * <p>The fork's heap is 2 GB rather than the 16 GB of the other benchmarks: these workloads allocate (next to)
 * nothing, and the machine is shared.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class SyncBenchmark {
    /** Operation pairs per benchmark invocation. */
    public static final int N = 100_000;

    /** The items put and taken, preallocated so that no boxing is measured; their values sum to a check. */
    private static final Integer[] ITEMS = new Integer[64];

    static {
        for (int i = 0; i < ITEMS.length; i++) {
            ITEMS[i] = 1000 + i;
        }
    }

    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final ArrayDeque<Integer> deque = new ArrayDeque<>();

    /** {@return the count} jasyncio: N uncontended {@code await(lock.acquire()); lock.release()} pairs. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long jasyncioLock() {
        return jasyncioLock(N);
    }

    /** {@return the sum} jasyncio: N {@code putNowait} / {@code getNowait} pairs. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long jasyncioQueueNowait() {
        return jasyncioQueueNowait(N);
    }

    /** {@return the sum} jasyncio: N {@code await(q.put(x))} / {@code await(q.get())} pairs that do not wait. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long jasyncioQueueAwait() {
        return jasyncioQueueAwait(N);
    }

    /** {@return the count} N uncontended {@code ReentrantLock} lock / unlock pairs. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long reentrantLock() {
        return reentrantLock(reentrantLock, N);
    }

    /** {@return the sum} N {@code ArrayDeque} offer / poll pairs. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long arrayDeque() {
        return arrayDeque(deque, N);
    }

    /** The sum of the items of N pairs: what the queue workloads must get back. */
    static long expectedSum(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += ITEMS[i & (ITEMS.length - 1)];
        }
        return sum;
    }

    // ---- jasyncio -------------------------------------------------------------------------------------------

    static long jasyncioLock(int n) {
        return Checks.expect("jasyncio lock pairs", Asyncio.run(lockLoop(new Lock(), n)), n);
    }

    @Async
    static Coroutine<Integer> lockLoop(Lock lock, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            await(lock.acquire());
            count++;
            lock.release();
        }
        return done(count);
    }

    static long jasyncioQueueNowait(int n) {
        return Checks.expect("jasyncio putNowait/getNowait sum", Asyncio.run(nowaitLoop(new Queue<>(16), n)),
                expectedSum(n));
    }

    @Async
    static Coroutine<Long> nowaitLoop(Queue<Integer> q, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            q.putNowait(ITEMS[i & (ITEMS.length - 1)]);
            sum += q.getNowait();
        }
        return done(sum);
    }

    static long jasyncioQueueAwait(int n) {
        return Checks.expect("jasyncio put/get sum", Asyncio.run(awaitLoop(new Queue<>(16), n)), expectedSum(n));
    }

    @Async
    static Coroutine<Long> awaitLoop(Queue<Integer> q, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            await(q.put(ITEMS[i & (ITEMS.length - 1)]));
            sum += await(q.get());
        }
        return done(sum);
    }

    // ---- java.util ------------------------------------------------------------------------------------------

    static long reentrantLock(ReentrantLock lock, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }
        return Checks.expect("ReentrantLock pairs", count, n);
    }

    static long arrayDeque(ArrayDeque<Integer> deque, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            deque.offer(ITEMS[i & (ITEMS.length - 1)]);
            sum += deque.poll();
        }
        return Checks.expect("ArrayDeque offer/poll sum", sum, expectedSum(n));
    }
}
