package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** DESIGN.md's rules 1-4 and 6, on classes woven by jasyncio-maven-plugin. */
class RulesTest extends AsyncTestBase {

    // ---- Rule 1: only await suspends -----------------------------------------------------------------------

    @Async
    Coroutine<Void> busy(int[] shared, int id) {
        for (int round = 0; round < 3; round++) {
            int before = shared[0];
            for (int i = 0; i < 1000; i++) {
                shared[0]++; // no other task can run between these two awaits
            }
            assertEquals(before + 1000, shared[0], "task " + id + " was interleaved without an await");
            await(sleep(0));
        }
        return done();
    }

    @Async
    Coroutine<Void> interleaveOnlyAtAwaits() {
        int[] shared = {0};
        Task<Void> a = createTask(busy(shared, 1));
        Task<Void> b = createTask(busy(shared, 2));
        await(a);
        await(b);
        assertEquals(6000, shared[0]);
        return done();
    }

    @Test
    void rule1_tasksInterleaveOnlyAtAwaits() {
        runTest(interleaveOnlyAtAwaits());
    }

    // ---- Rule 2: calling an @Async method runs none of its body -------------------------------------------

    @Async
    Coroutine<Void> callingRunsNothing() {
        Coroutine<String> c = body("x");
        expect(1); // body() evaluated its argument and returned: step 2 is inside the body
        assertEquals("x!", await(c));
        Coroutine<String> d = body("y");
        Task<String> t = createTask(d);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> createTask(d));
        assertTrue(e.getMessage().contains("already awaited"), e.getMessage());
        await(sleep(0));
        assertEquals("y!", t.result());
        finish(4);
        return done();
    }

    @Async
    Coroutine<String> body(String s) {
        expect(stepInBody++ == 0 ? 2 : 3);
        return done(s + "!");
    }

    private int stepInBody;

    @Test
    void rule2_callingAnAsyncMethodRunsNoneOfItsBody() {
        runTest(callingRunsNothing());
    }

    @Async
    Coroutine<Void> secondAwaitThrows() {
        Coroutine<String> c = body2();
        await(c);
        IllegalStateException e = null;
        try {
            await(c);
        } catch (IllegalStateException expected) {
            e = expected;
        }
        assertNotNull(e, "a second await of the same coroutine must throw");
        assertTrue(e.getMessage().contains("can be awaited only once"), e.getMessage());
        return done();
    }

    @Async
    Coroutine<String> body2() {
        await(sleep(0));
        return done("b");
    }

    @Test
    void rule2_aCoroutineCanBeAwaitedOnce() {
        runTest(secondAwaitThrows());
    }

    // ---- Rule 3: await(coroutine) runs inline; await of something done does not suspend -------------------

    @Async
    Coroutine<Integer> noSuspension(int n) {
        return done(n + 1);
    }

    @Async
    Coroutine<Void> inlineAwaits() {
        boolean[] ran = {false};
        getRunningLoop().callSoon(() -> ran[0] = true);
        assertEquals(2, await(noSuspension(1)));
        Future<String> f = getRunningLoop().createFuture();
        f.setResult("ready");
        assertEquals("ready", await(f));
        assertEquals("cf", await(CompletableFuture.completedFuture("cf")));
        assertFalse(ran[0], "an await that does not suspend must not let the loop run a callback");
        await(sleep(0));
        assertTrue(ran[0], "sleep(0) yields one iteration");
        return done();
    }

    @Test
    void rule3_awaitWithoutSuspensionNeverGoesThroughTheLoop() {
        runTest(inlineAwaits());
    }

    @Async
    Coroutine<Integer> deep(int d) {
        await(sleep(0));
        if (d == 0) {
            return done(new Throwable().getStackTrace().length);
        }
        return done(await(deep(d - 1)));
    }

    @Async
    Coroutine<Void> deepChain() {
        int shallow = await(deep(1));
        int deepest = await(deep(5000));
        // each level suspended before descending: the innermost frame runs with the same Java stack depth
        assertEquals(shallow, deepest, "resuming a chain of awaiting coroutines must not grow the Java stack");
        return done();
    }

    @Test
    void rule3_aChainOfThousandsResumesWithoutGrowingTheStack() {
        runTest(deepChain());
    }

    /** As {@link #deep}, but static: each level awaits the next through a direct call of its body. */
    @Async
    static Coroutine<Integer> deepDirect(int d) {
        await(sleep(0));
        if (d == 0) {
            return done(new Throwable().getStackTrace().length);
        }
        return done(await(deepDirect(d - 1)));
    }

    @Async
    Coroutine<Void> deepDirectChain() {
        int shallow = await(deepDirect(1));
        int deepest = await(deepDirect(5000));
        assertEquals(shallow, deepest, "resuming a chain of direct calls must not grow the Java stack");
        return done();
    }

    @Test
    void rule3_aChainOfThousandsOfDirectCallsResumesWithoutGrowingTheStack() {
        runTest(deepDirectChain());
    }

    // ---- Rule 4: exceptions propagate unchanged, with the user's source lines -----------------------------

    static final class Boom extends IOException {
        private static final long serialVersionUID = 1L;

        Boom(String m) {
            super(m);
        }
    }

    @Async
    Coroutine<String> failsAfterSuspending(Boom boom) throws Boom {
        await(sleep(0.5));
        throw boom;
    }

    @Async
    Coroutine<String> middle(Boom boom) throws Boom {
        String s = await(failsAfterSuspending(boom));
        return done(s);
    }

    @Async
    Coroutine<Void> exceptionsUnchanged() {
        Boom boom = new Boom("checked, unchanged");
        try {
            await(middle(boom));
            expectUnreached();
        } catch (Boom e) {
            assertSame(boom, e);
        }
        Future<String> failed = getRunningLoop().createFuture();
        IllegalStateException ise = new IllegalStateException("from a future");
        failed.setException(ise);
        try {
            await(failed);
            expectUnreached();
        } catch (IllegalStateException e) {
            assertSame(ise, e);
        }
        return done();
    }

    @Test
    void rule4_exceptionsPropagateUnchangedThroughAwait() {
        runTest(exceptionsUnchanged());
    }

    @Async
    Coroutine<Void> stageFailure(ExecutorService pool) {
        UnsupportedOperationException boom = new UnsupportedOperationException("on another thread");
        CompletableFuture<String> cf = CompletableFuture.supplyAsync(() -> {
            throw boom;
        }, pool).thenApply(s -> s + "never");
        try {
            await(cf);
            expectUnreached();
        } catch (UnsupportedOperationException e) {
            assertSame(boom, e, "a CompletionException wrapper must be removed");
        }
        Thread loopThread = Thread.currentThread();
        String value = await(CompletableFuture.supplyAsync(() -> "v", pool));
        assertSame(loopThread, Thread.currentThread(), "the coroutine resumes on its loop's thread");
        assertEquals("v", value);
        return done();
    }

    @Test
    void rule4_completionStageFailureIsUnwrapped() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // a real-time loop: the stage completes on another thread
            io.jasyncio.Asyncio.run(stageFailure(pool));
        } finally {
            pool.shutdownNow();
        }
    }

    @Async
    Coroutine<String> throwsAfterSuspending() {
        await(sleep(0.5));
        throw new IllegalStateException("thrown after a resumption"); // THROW LINE
    }

    @Async
    Coroutine<String> awaitsThrower() {
        return done(await(throwsAfterSuspending())); // MIDDLE LINE
    }

    @Async
    Coroutine<Void> traceShowsSourceLines() {
        try {
            await(awaitsThrower()); // OUTER LINE
            expectUnreached();
        } catch (IllegalStateException e) {
            // where it was thrown, then the chain of awaiting coroutines at their await lines, innermost first
            List<String> frames = new ArrayList<>();
            for (StackTraceElement el : e.getStackTrace()) {
                if (el.getClassName().equals(RulesTest.class.getName())) {
                    frames.add(el.getMethodName() + ":" + el.getLineNumber());
                }
            }
            assertEquals(List.of("async$throwsAfterSuspending:" + lineOf("RulesTest.java", "THROW LINE"),
                    "awaitsThrower:" + lineOf("RulesTest.java", "MIDDLE LINE"),
                    "traceShowsSourceLines:" + lineOf("RulesTest.java", "OUTER LINE")),
                    frames.subList(0, 3), Arrays.toString(e.getStackTrace()));
        }
        return done();
    }

    @Test
    void rule4_stackTracesShowTheChainOfAwaitingCoroutines() {
        runTest(traceShowsSourceLines());
    }

    // ---- Rule 6: callbacks are scheduled, never run inline, FIFO -------------------------------------------

    @Async
    Coroutine<Void> callbacksScheduled() {
        Future<String> f = getRunningLoop().createFuture();
        f.addDoneCallback(x -> expect(3));
        f.addDoneCallback(x -> expect(4));
        expect(1);
        f.setResult("done");
        expect(2); // the callbacks did not run inside setResult
        await(sleep(0));
        f.addDoneCallback(x -> expect(6)); // added to a done future: scheduled, not run here
        expect(5);
        await(sleep(0));
        finish(7);
        return done();
    }

    @Test
    void rule6_doneCallbacksAreScheduledInOrder() {
        runTest(callbacksScheduled());
    }
}
