package io.jasyncio.benchmarks.kotlin

import java.util.concurrent.atomic.AtomicInteger
import java.util.function.LongSupplier
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/**
 * The workloads of BENCHMARKS.md written with kotlinx.coroutines, the way its users write them: on one thread
 * (`runBlocking`, whose event loop runs every coroutine on the calling thread) and on `Dispatchers.Default`
 * (the shared pool, one thread per core). The Java benchmarks (JMH methods and the plain programs) call these
 * functions and check what they return.
 */
object KotlinWorkloads {
    // ---- W1 yield: one coroutine yields n times, counting -----------------------------------------------------

    /** W1 on one thread; returns the count. */
    @JvmStatic
    fun yieldRunBlocking(n: Int): Long = runBlocking { yieldLoop(n) }

    /** W1 on Dispatchers.Default; returns the count. */
    @JvmStatic
    fun yieldDefault(n: Int): Long = runBlocking(Dispatchers.Default) { yieldLoop(n) }

    private suspend fun yieldLoop(n: Int): Long {
        var count = 0L
        repeat(n) {
            yield()
            count++
        }
        return count
    }

    // ---- W2 spawn: n coroutines each return their index; await all and sum ----------------------------------

    /** W2 on one thread; returns the sum of the indices. */
    @JvmStatic
    fun spawnRunBlocking(n: Int): Long = runBlocking { spawn(n) }

    /** W2 on Dispatchers.Default; returns the sum of the indices. */
    @JvmStatic
    fun spawnDefault(n: Int): Long = runBlocking(Dispatchers.Default) { spawn(n) }

    private suspend fun spawn(n: Int): Long = coroutineScope {
        val tasks = List(n) { i -> async { i } }
        tasks.awaitAll().sumOf { it.toLong() }
    }

    // ---- W5 chain: chain(d) = chain(d - 1) + 1, nothing suspends ---------------------------------------------

    /** W5 on one thread: `calls` chains of `depth`; returns the sum. */
    @JvmStatic
    fun chainRunBlocking(calls: Int, depth: Int): Long = runBlocking { chainDriver(calls, depth) }

    /** W5 on Dispatchers.Default; returns the sum. */
    @JvmStatic
    fun chainDefault(calls: Int, depth: Int): Long = runBlocking(Dispatchers.Default) { chainDriver(calls, depth) }

    private suspend fun chainDriver(calls: Int, depth: Int): Long {
        var sum = 0L
        repeat(calls) { sum += chain(depth) }
        return sum
    }

    private suspend fun chain(d: Int): Int = if (d == 0) 0 else chain(d - 1) + 1

    // ---- W3 memory: n coroutines increment a counter, wait on one event, return their index ------------------

    /**
     * W3 on one thread. `heap` forces GC and returns the used heap; it is read before the coroutines are created
     * and once all of them wait. Returns {used before, used while all wait, sum of the results}.
     */
    @JvmStatic
    fun memoryRunBlocking(n: Int, heap: LongSupplier): LongArray = runBlocking {
        var counter = 0
        val event = CompletableDeferred<Unit>()
        val before = heap.asLong
        val tasks = List(n) { i ->
            async {
                counter++
                event.await()
                i
            }
        }
        while (counter < n) yield()
        val after = heap.asLong
        event.complete(Unit)
        longArrayOf(before, after, tasks.awaitAll().sumOf { it.toLong() })
    }

    /** W3 on Dispatchers.Default (the counter is atomic there); returns what [memoryRunBlocking] returns. */
    @JvmStatic
    fun memoryDefault(n: Int, heap: LongSupplier): LongArray = runBlocking(Dispatchers.Default) {
        val counter = AtomicInteger()
        val event = CompletableDeferred<Unit>()
        val before = heap.asLong
        val tasks = List(n) { i ->
            async {
                counter.incrementAndGet()
                event.await()
                i
            }
        }
        while (counter.get() < n) delay(1)
        val after = heap.asLong
        event.complete(Unit)
        longArrayOf(before, after, tasks.awaitAll().sumOf { it.toLong() })
    }

    // ---- W4 timers: coroutine i delays d[i] ms and returns d[i] ------------------------------------------------

    /** W4 on one thread; returns the sum of the delays. */
    @JvmStatic
    fun timersRunBlocking(delays: IntArray): Long = runBlocking { timers(delays) }

    /** W4 on Dispatchers.Default; returns the sum of the delays. */
    @JvmStatic
    fun timersDefault(delays: IntArray): Long = runBlocking(Dispatchers.Default) { timers(delays) }

    private suspend fun timers(delays: IntArray): Long = coroutineScope {
        val tasks = delays.map { d ->
            async {
                delay(d.toLong())
                d
            }
        }
        tasks.awaitAll().sumOf { it.toLong() }
    }
}
