package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.AsyncIterator;
import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.LimitOverrunException;
import io.jasyncio.StreamReader;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import io.jasyncio.junit.AsyncTest;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;

/**
 * Interop with the rest of Java (issue 11): {@code Task.toCompletableFuture()}, {@code Asyncio.fromStage},
 * {@code Asyncio.wrapFuture}, a {@code Flow.Publisher} and a {@code StreamReader}'s lines iterated with
 * {@code AsyncIterator}. Real threads on the other side; the orderings asserted do not depend on their timing.
 * Written with jasyncio-junit's {@code @AsyncTest}, which also fails a test on anything the loop reports (an
 * exception left unretrieved, say) and on tasks left running.
 */
class InteropTest extends AsyncTestBase {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void shutDown() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom(String m) {
            super(m);
        }
    }

    // ---- Task.toCompletableFuture ---------------------------------------------------------------------------

    @Async
    Coroutine<String> later(String v) {
        await(sleep(1));
        return done(v);
    }

    @Async
    Coroutine<String> fails() {
        await(sleep(1));
        throw new Boom("task failed");
    }

    @AsyncTest
    @Async
    Coroutine<Void> taskToCompletableFutureCompletesOnTheLoopAndCancellingItCancelsTheTask() throws Exception {
        Thread loopThread = Thread.currentThread();
        // the result, on the loop's thread (a synchronous dependent stage runs there)
        Task<String> t = createTask(later("x"));
        CompletableFuture<String> cf = t.toCompletableFuture();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Integer> length = cf.thenApply(s -> {
            ranOn.set(Thread.currentThread());
            return s.length();
        });
        assertFalse(cf.isDone());
        assertEquals("x", await(t));
        await(sleep(0)); // the task's done-callbacks run in the next iteration
        assertEquals("x", cf.getNow(null));
        assertEquals(1, length.getNow(-1));
        assertSame(loopThread, ranOn.get());
        // a task done already: done at once
        assertEquals("x", t.toCompletableFuture().getNow(null));
        // a failure: the same exception, retrieved (nothing reported when the loop closes)
        Task<String> f = createTask(fails());
        CompletableFuture<String> fcf = f.toCompletableFuture();
        await(Asyncio.wait(List.of(f), io.jasyncio.ReturnWhen.ALL_COMPLETED));
        await(sleep(0));
        ExecutionException ee = assertThrows(ExecutionException.class, fcf::get);
        assertEquals("task failed", assertInstanceOf(Boom.class, ee.getCause()).getMessage());
        // a cancelled task cancels the future
        Task<String> c = createTask(later("never"));
        CompletableFuture<String> ccf = c.toCompletableFuture();
        await(sleep(0));
        c.cancel();
        try {
            await(c);
            expectUnreached();
        } catch (CancelledError expected) {
            // the task's own cancellation
        }
        await(sleep(0));
        assertTrue(ccf.isCancelled());
        // cancelling the future from another thread cancels the task, on the loop's thread
        Task<String> victim = createTask(later("never"));
        CompletableFuture<String> vcf = victim.toCompletableFuture();
        assertTrue(await(toThread(() -> vcf.cancel(false))));
        try {
            await(victim);
            expectUnreached();
        } catch (CancelledError expected) {
            assertTrue(victim.cancelled());
        }
        // a plain thread blocks on get() while the loop runs
        Task<String> awaited = createTask(later("from a thread"));
        CompletableFuture<String> acf = awaited.toCompletableFuture();
        assertEquals("from a thread", await(toThread(() -> acf.get(10, TimeUnit.SECONDS))));
        return done();
    }

    // ---- Asyncio.fromStage ------------------------------------------------------------------------------------

    @AsyncTest
    @Async
    Coroutine<Void> fromStageIsAFutureOfTheLoopCompletedFromAnyThread() {
        EventLoop loop = getRunningLoop();
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        Future<String> fa = Asyncio.fromStage(a);
        Future<String> fb = Asyncio.fromStage(b);
        assertSame(loop, fa.getLoop());
        // completed on other threads in the order b, then a; gather keeps the order of its arguments
        pool.execute(() -> {
            b.complete("b");
            a.complete("a");
        });
        assertEquals(List.of("a", "b"), await(gather(fa, fb)));
        // a stage done already: a future done at once
        assertTrue(Asyncio.fromStage(CompletableFuture.completedFuture(1)).done());
        // a failure, as it is (not wrapped in a CompletionException)
        CompletableFuture<String> bad = CompletableFuture.supplyAsync(() -> {
            throw new Boom("stage failed");
        }, pool);
        try {
            await(Asyncio.fromStage(bad));
            expectUnreached();
        } catch (Boom e) {
            assertEquals("stage failed", e.getMessage());
        }
        // a cancelled stage cancels the future; cancelling the future cancels the stage
        CompletableFuture<String> gone = new CompletableFuture<>();
        Future<String> fg = Asyncio.fromStage(gone);
        pool.execute(() -> gone.cancel(false));
        try {
            await(fg);
            expectUnreached();
        } catch (CancelledError e) {
            assertTrue(fg.cancelled());
        }
        CompletableFuture<String> pending = new CompletableFuture<>();
        Future<String> fp = Asyncio.fromStage(pending);
        assertTrue(fp.cancel());
        await(sleep(0)); // as asyncio's chained futures: the cancellation goes on in a done-callback
        assertTrue(pending.isCancelled());
        return done();
    }

    // ---- Asyncio.wrapFuture -----------------------------------------------------------------------------------

    @AsyncTest
    @Async
    Coroutine<Void> wrapFutureWaitsForAPlainFutureOnTheDefaultExecutor() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        java.util.concurrent.Future<String> plain = pool.submit(() -> {
            go.await();
            return "plain";
        });
        Future<String> w = Asyncio.wrapFuture(plain);
        assertFalse(w.done());
        go.countDown();
        assertEquals("plain", await(w));
        // the ExecutionException's cause, unchanged
        java.util.concurrent.Future<String> failing = pool.submit(() -> {
            throw new Boom("plain failed");
        });
        try {
            await(Asyncio.wrapFuture(failing));
            expectUnreached();
        } catch (Boom e) {
            assertEquals("plain failed", e.getMessage());
        }
        // done already: done at once, no thread
        java.util.concurrent.FutureTask<Integer> ready = new java.util.concurrent.FutureTask<>(() -> 7);
        ready.run();
        Future<Integer> wr = Asyncio.wrapFuture(ready);
        assertTrue(wr.done());
        assertEquals(7, wr.result());
        // a CompletableFuture goes the stage's way
        assertTrue(Asyncio.wrapFuture(CompletableFuture.completedFuture("cf")).done());
        // cancelling the wrapper cancels the source, and the waiting thread lets go of it
        CountDownLatch never = new CountDownLatch(1);
        java.util.concurrent.Future<String> stuck = pool.submit(() -> {
            never.await();
            return "stuck";
        });
        Future<String> ws = Asyncio.wrapFuture(stuck);
        await(sleep(0));
        assertTrue(ws.cancel());
        await(sleep(0)); // a done-callback passes the cancellation on
        assertTrue(stuck.isCancelled());
        // a source cancelled elsewhere cancels the wrapper
        java.util.concurrent.Future<String> other = pool.submit(() -> {
            never.await();
            return "other";
        });
        Future<String> wo = Asyncio.wrapFuture(other);
        pool.execute(() -> other.cancel(true));
        try {
            await(wo);
            expectUnreached();
        } catch (CancelledError e) {
            assertTrue(wo.cancelled());
        }
        return done();
    }

    // ---- Flow.Publisher ---------------------------------------------------------------------------------------

    @Async
    Coroutine<List<Integer>> consume(AsyncIterator<Integer> it) {
        List<Integer> got = new ArrayList<>();
        while (await(it.hasNext())) {
            got.add(it.next());
        }
        return done(got);
    }

    @AsyncTest
    @Async
    Coroutine<Void> aSubmissionPublisherIsConsumedInOrderAndItsProducerWaitsForTheConsumer() {
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            expected.add(i);
        }
        int capacity = 4; // SubmissionPublisher rounds it to a power of two
        SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(pool, capacity);
        AtomicInteger submitted = new AtomicInteger();
        AsyncIterator<Integer> it = Asyncio.iterate(publisher, 2);
        pool.execute(() -> {
            while (!publisher.hasSubscribers()) {
                Thread.onSpinWait();
            }
            for (int i = 1; i <= 200; i++) {
                publisher.submit(i); // blocks while the subscriber's buffer is full: back-pressure reaches the producer
                submitted.incrementAndGet();
            }
            publisher.close();
        });
        List<Integer> got = new ArrayList<>();
        while (await(it.hasNext())) {
            got.add(it.next());
            // requested and not taken: at most 2; in the publisher's buffer: at most its capacity (doubled here, for
            // the rounding its documentation allows); without back-pressure all 200 would be submitted at once
            assertTrue(submitted.get() - got.size() <= 2 + 2 * capacity, () -> submitted.get() + " submitted, "
                    + got.size() + " taken");
        }
        assertEquals(expected, got);
        assertFalse(await(it.hasNext()), "stays at its end");
        assertThrows(NoSuchElementException.class, it::next);
        return done();
    }

    /**
     * A publisher that emits 1, 2, ... on a thread of its own, only as much as was requested, and records the
     * demand; {@code failAfter} items it fails, or completes after {@code total}.
     */
    static final class CountingPublisher implements Flow.Publisher<Integer> {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final List<Long> requests = Collections.synchronizedList(new ArrayList<>());
        private final int total;
        private final int failAfter;
        private final ExecutorService thread = Executors.newSingleThreadExecutor();

        CountingPublisher(int total, int failAfter) {
            this.total = total;
            this.failAfter = failAfter;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> s) {
            AtomicLong emitted = new AtomicLong();
            thread.execute(() -> s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requests.add(n);
                    requested.addAndGet(n);
                    thread.execute(() -> {
                        while (!cancelled.get() && emitted.get() < requested.get() && emitted.get() < total) {
                            long next = emitted.incrementAndGet();
                            if (next > failAfter) {
                                s.onError(new Boom("failed after " + failAfter));
                                cancelled.set(true);
                                return;
                            }
                            s.onNext((int) next);
                        }
                        if (emitted.get() == total && !cancelled.getAndSet(true)) {
                            s.onComplete();
                        }
                    });
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            }));
        }

        void shutdown() throws InterruptedException {
            thread.shutdown();
            assertTrue(thread.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @AsyncTest
    @Async
    Coroutine<Void> aPublisherIsAskedForMoreOnlyAsTheConsumerTakesItems() throws InterruptedException {
        CountingPublisher p = new CountingPublisher(20, Integer.MAX_VALUE);
        AsyncIterator<Integer> it = Asyncio.iterate(p, 4);
        assertEquals(List.of(), p.requests, "nothing is requested before the first hasNext()");
        List<Integer> got = new ArrayList<>();
        while (await(it.hasNext())) {
            got.add(it.next());
            assertTrue(p.requested.get() - got.size() <= 4, () -> p.requested.get() + " requested, " + got.size() + " taken");
        }
        assertEquals(20, got.size());
        assertEquals(1, got.get(0));
        assertEquals(20, got.get(19));
        // 4 at first, then 2 each time two were taken
        assertEquals(4L, p.requests.get(0));
        assertTrue(p.requests.subList(1, p.requests.size()).stream().allMatch(n -> n == 2L), p.requests::toString);
        p.shutdown();
        // a failure comes after the items before it
        CountingPublisher failing = new CountingPublisher(20, 3);
        AsyncIterator<Integer> fit = Asyncio.iterate(failing, 8);
        List<Integer> before = new ArrayList<>();
        try {
            while (await(fit.hasNext())) {
                before.add(fit.next());
            }
            expectUnreached();
        } catch (Boom e) {
            assertEquals("failed after 3", e.getMessage());
        }
        assertEquals(List.of(1, 2, 3), before);
        failing.shutdown();
        // close() cancels the subscription
        CountingPublisher endless = new CountingPublisher(Integer.MAX_VALUE, Integer.MAX_VALUE);
        AsyncIterator<Integer> eit = Asyncio.iterate(endless, 1);
        assertTrue(await(eit.hasNext()));
        assertEquals(1, eit.next());
        eit.close();
        assertTrue(endless.cancelled.get());
        assertFalse(await(eit.hasNext()));
        assertEquals(List.of(1L, 1L), endless.requests, "one outstanding at a time: taking the first asked for the"
                + " second, and nothing more was asked for once closed");
        endless.shutdown();
        return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> whileItWaitsForThePublisherVirtualTimeDoesNotJumpPastIt() throws InterruptedException {
        CountingPublisher p = new CountingPublisher(1, Integer.MAX_VALUE);
        Task<Void> timer = createTask(sleep(10));
        AsyncIterator<Integer> it = Asyncio.iterate(p);
        assertTrue(await(it.hasNext()));
        // the item came on the publisher's thread while a 10 s timer was pending: virtual time did not jump past it
        assertEquals(0.0, getRunningLoop().time());
        assertEquals(1, it.next());
        assertFalse(await(it.hasNext()));
        timer.cancel();
        try {
            await(timer);
            expectUnreached();
        } catch (CancelledError e) {
            assertEquals(0.0, getRunningLoop().time());
        }
        p.shutdown();
        return done();
    }

    // ---- StreamReader.lines -------------------------------------------------------------------------------------

    @AsyncTest
    @Async
    Coroutine<Void> aStreamReadersLinesAreIteratedUntilTheEnd() {
        StreamReader reader = new StreamReader();
        getRunningLoop().callSoon(() -> {
            reader.feedData(ByteBuffer.wrap("one\ntw".getBytes(UTF_8)));
            getRunningLoop().callSoon(() -> {
                reader.feedData(ByteBuffer.wrap("o\nthree".getBytes(UTF_8)));
                reader.feedEof();
            });
        });
        List<String> got = new ArrayList<>();
        for (var it = reader.lines(); await(it.hasNext()); ) {
            got.add(new String(it.next(), UTF_8));
        }
        assertEquals(List.of("one\n", "two\n", "three"), got);
        // a line over the limit: the LimitOverrunException, wrapped as BufferedReader.lines() does
        StreamReader small = new StreamReader(4);
        small.feedData(ByteBuffer.wrap("far too long\n".getBytes(UTF_8)));
        AsyncIterator<byte[]> it = small.lines();
        try {
            await(it.hasNext());
            expectUnreached();
        } catch (UncheckedIOException e) {
            assertInstanceOf(LimitOverrunException.class, e.getCause());
        }
        return done();
    }

}
