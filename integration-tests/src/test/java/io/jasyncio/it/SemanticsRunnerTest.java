package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.runCoroutineThreadsafe;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.ContextVar;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Future;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import io.jasyncio.TimeSource;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** SEMANTICS.md items 60-67 (Runner and loop lifecycle; 63, Ctrl-C, comes with the signals issue). */
class SemanticsRunnerTest extends AsyncTestBase {

    /** A runner on virtual time. */
    private static Runner virtualRunner() {
        return new Runner(() -> new EventLoop(TimeSource.virtual()));
    }

    /** Waits (at most 2 s) for {@code t} to end and fails if it does not: the test must leave no thread behind. */
    private static void assertEnds(Thread t) throws InterruptedException {
        t.join(2000);
        assertFalse(t.isAlive(), t + " is still running");
    }

    @Async
    Coroutine<Integer> answer() {
        await(sleep(1));
        return done(42);
    }

    // ---- 60: run() returns the result and refuses to run inside a running loop ------------------------------

    @Async
    Coroutine<Void> runInsideALoop() {
        EventLoop running = getRunningLoop();
        Coroutine<Integer> inner = answer();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(inner));
        // Python 3.11: RuntimeError: asyncio.run() cannot be called from a running event loop
        assertTrue(e.getMessage().contains("cannot be called from a running event loop"), e.getMessage());
        IllegalStateException d = assertThrows(IllegalStateException.class, () -> Asyncio.run(inner, true));
        assertTrue(d.getMessage().contains("cannot be called from a running event loop"), d.getMessage());
        assertSame(running, getRunningLoop(), "the running loop is undisturbed");
        assertFalse(running.getDebug());
        // the refused coroutine was not started: it can still be awaited here
        double before = running.time();
        assertEquals(42, await(inner));
        assertEquals(before + 1.0, running.time(), 1e-9);
        return done();
    }

    @Async
    Coroutine<String> debugOfRunningLoop() {
        await(sleep(0));
        return done("debug=" + getRunningLoop().getDebug());
    }

    /** R {@code test_asyncio_run_from_running_loop}. */
    @Test
    void semantics60_runReturnsTheResultAndRefusesToRunInsideARunningLoop() {
        assertEquals("debug=false", Asyncio.run(debugOfRunningLoop()));
        assertEquals("debug=true", Asyncio.run(debugOfRunningLoop(), true));
        assertEquals("debug=false", Asyncio.run(debugOfRunningLoop(), false));
        runTest(runInsideALoop());
    }

    // ---- 61: on exit, cancel and await leftovers, report their failures, shut down the executor, close -----

    static final class CleanupFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CleanupFailure(String m) {
            super(m);
        }
    }

    @Async
    Coroutine<Void> hangs(List<String> log) {
        try {
            await(sleep(100));
        } finally {
            log.add("hangs cleaned up at " + getRunningLoop().time());
        }
        return done();
    }

    @Async
    Coroutine<Void> failsWhenCancelled(List<String> log) {
        try {
            await(sleep(100));
        } catch (CancelledError e) {
            log.add("failsWhenCancelled cancelled");
            throw new CleanupFailure("boom in cleanup");
        }
        return done();
    }

    @Async
    Coroutine<Void> cleansUpSlowly(List<String> log) {
        try {
            await(sleep(100));
        } finally {
            // a leftover that needs two more iterations to finish: run() must wait for it
            await(sleep(0));
            await(sleep(0));
            log.add("slow cleanup done");
        }
        return done();
    }

    @Async
    Coroutine<String> leavesTasksBehind(List<String> log, List<Task<?>> tasks, AtomicReference<Thread> worker,
                                        AtomicBoolean lateWorkDone) {
        EventLoop loop = getRunningLoop();
        // (before the sleeps below: on virtual time, a loop waiting for another thread jumps to its next timer)
        String name = await(loop.runInExecutor(null, () -> {
            worker.set(Thread.currentThread());
            return Thread.currentThread().getName();
        }));
        tasks.add(createTask(hangs(log), "hangs"));
        tasks.add(createTask(failsWhenCancelled(log), "fails"));
        tasks.add(createTask(cleansUpSlowly(log), "slow"));
        await(sleep(0)); // every task reaches its sleep
        // work still running on the default executor when main returns: close must wait for it
        loop.runInExecutor(null, () -> {
            Thread.sleep(5);
            lateWorkDone.set(true);
            return null;
        });
        log.add("main returns");
        return done(name);
    }

    /** R {@code test_asyncio_run_cancels_hanging_tasks}, {@code test_asyncio_run_reports_hanging_tasks_errors}. */
    @Test
    void semantics61_exitCancelsAndAwaitsLeftoversReportsFailuresShutsDownExecutorAndClosesLoop() throws Exception {
        List<String> log = new ArrayList<>();
        List<Task<?>> tasks = new ArrayList<>();
        List<ExceptionContext> reports = new ArrayList<>();
        AtomicReference<Thread> worker = new AtomicReference<>();
        AtomicBoolean lateWorkDone = new AtomicBoolean();
        EventLoop loop;
        String workerName;
        try (Runner runner = virtualRunner()) {
            loop = runner.getLoop();
            loop.setExceptionHandler((l, ctx) -> reports.add(ctx));
            workerName = runner.run(leavesTasksBehind(log, tasks, worker, lateWorkDone));
            assertEquals(List.of("main returns"), log, "run() itself cancels nothing: close() does");
        }
        assertTrue(workerName.startsWith("jasyncio-executor-"), workerName);
        // Python 3.11 prints for the same program:
        //   ['hang cleaned', ('handler', 'unhandled exception during asyncio.run() shutdown', "ValueError('boom in cleanup')")]
        assertTrue(log.containsAll(List.of("hangs cleaned up at 0.0", "failsWhenCancelled cancelled",
                "slow cleanup done")), log.toString());
        for (Task<?> t : tasks) {
            assertTrue(t.done(), t + " must have been awaited");
        }
        assertTrue(tasks.get(0).cancelled());
        assertTrue(tasks.get(2).cancelled());
        assertFalse(tasks.get(1).cancelled());
        assertEquals(1, reports.size(), reports.toString());
        ExceptionContext report = reports.get(0);
        assertInstanceOf(CleanupFailure.class, report.exception());
        assertSame(tasks.get(1), report.future());
        assertTrue(report.message().contains("shutdown"), report.message());
        assertTrue(lateWorkDone.get(), "close() must wait for the default executor's work");
        assertEnds(worker.get());
        assertTrue(loop.isClosed());
    }

    @Async
    Coroutine<String> usesExecutor(AtomicReference<Thread> worker) {
        return done(await(getRunningLoop().runInExecutor(null, () -> {
            worker.set(Thread.currentThread());
            return "ran";
        })));
    }

    /** R {@code test_asyncio_run_cancels_hanging_tasks} (item 61), through Asyncio.run: the default executor is shut down. */
    @Test
    void semantics61_asyncioRunShutsDownTheDefaultExecutorToo() throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        assertEquals("ran", Asyncio.run(usesExecutor(worker)));
        assertTrue(worker.get().getName().startsWith("jasyncio-executor-"), worker.get().getName());
        assertEnds(worker.get());
    }

    // ---- 62: a Runner reuses one loop; after close it refuses; a recursive run throws -------------------------

    @Async
    Coroutine<Future<String>> firstRun(List<Object> seen) {
        seen.add(getRunningLoop());
        Future<String> f = getRunningLoop().createFuture();
        seen.add(createTask(awaitsFuture(f), "survivor"));
        await(sleep(1));
        return done(f);
    }

    @Async
    Coroutine<String> awaitsFuture(Future<String> f) {
        return done("got " + await(f));
    }

    @Async
    Coroutine<String> secondRun(List<Object> seen, Future<String> f, Runner runner) {
        seen.add(getRunningLoop());
        // a recursive run throws, and leaves the coroutine unstarted and this run undisturbed
        Coroutine<Integer> nested = answer();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(nested));
        // Python 3.11: RuntimeError: Runner.run() cannot be called from a running event loop
        assertTrue(e.getMessage().contains("cannot be called from a running event loop"), e.getMessage());
        assertEquals(42, await(nested));
        @SuppressWarnings("unchecked") Task<String> survivor = (Task<String>) seen.get(1);
        assertFalse(survivor.done(), "a task left by the first run is still alive in the second");
        f.setResult("x");
        return done(await(survivor));
    }

    /** R {@code test_run}, {@code test_recursive_run}. */
    @Test
    void semantics62_runnerReusesOneLoopRefusesAfterCloseAndRecursiveRunThrows() {
        List<Object> seen = new ArrayList<>();
        Runner runner = virtualRunner();
        EventLoop loop = runner.getLoop();
        assertSame(loop, runner.getLoop());
        Future<String> f = runner.run(firstRun(seen));
        assertEquals(1.0, loop.time());
        assertFalse(loop.isRunning());
        assertFalse(loop.isClosed(), "the loop stays open between runs");
        assertEquals("got x", runner.run(secondRun(seen, f, runner)));
        assertSame(loop, seen.get(0));
        assertSame(loop, seen.get(2), "both runs used the same loop");
        assertEquals(2.0, loop.time(), "the nested coroutine slept 1 s on the same loop");
        runner.close();
        assertTrue(loop.isClosed());
        runner.close(); // idempotent
        Coroutine<Integer> late = answer();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(late));
        // Python 3.11: RuntimeError: Runner is closed
        assertEquals("Runner is closed", e.getMessage());
        IllegalStateException g = assertThrows(IllegalStateException.class, runner::getLoop);
        assertEquals("Runner is closed", g.getMessage());
        // the refused coroutine was not started
        assertEquals(42, Asyncio.run(late));
    }

    @Test
    void semantics62_runnerDebugFlagSetsTheLoopsDebugMode() {
        try (Runner debug = new Runner(true); Runner plain = new Runner(false); Runner dflt = new Runner()) {
            assertTrue(debug.getLoop().getDebug());
            assertFalse(plain.getLoop().getDebug());
            assertEquals(Boolean.getBoolean("jasyncio.debug"), dflt.getLoop().getDebug());
            assertEquals("debug=true", debug.run(debugOfRunningLoop()));
            assertEquals("debug=false", plain.run(debugOfRunningLoop()));
        }
    }

    // ---- 64: stop() lets the current batch finish; stop() before runForever gives one iteration ----------------

    /** BE {@code test_run_forever_pre_stopped}. */
    @Test
    void semantics64_stopLetsTheCurrentBatchFinishAndPreStoppedRunsOneIteration() {
        EventLoop l = new EventLoop(TimeSource.virtual());
        try {
            List<String> calls = new ArrayList<>();
            l.callSoon(() -> {
                calls.add("a");
                l.stop();
                l.callSoon(() -> calls.add("c"));
            });
            l.callSoon(() -> calls.add("b"));
            l.runForever();
            // Python 3.11: stop() in a batch: ['a', 'b']
            assertEquals(List.of("a", "b"), calls);
            assertFalse(l.isRunning());
            calls.clear();
            l.stop();
            l.callSoon(() -> {
                calls.add("1");
                l.callSoon(() -> calls.add("2"));
            });
            l.runForever();
            // Python 3.11: pre-stopped: ['c', 1]
            assertEquals(List.of("c", "1"), calls, "a pre-stopped runForever runs exactly one iteration");
            calls.clear();
            l.stop();
            l.runForever(); // the stop was consumed by the previous run: this one runs one iteration again
            assertEquals(List.of("2"), calls);
            // a timer due later than now does not run in the one iteration
            calls.clear();
            l.callLater(5, () -> calls.add("timer"));
            l.stop();
            l.runForever();
            assertEquals(List.of(), calls);
            assertEquals(0.0, l.time());
        } finally {
            l.close();
        }
    }

    // ---- 65: runUntilComplete throws if the loop stops first; nesting it throws ---------------------------------

    @Async
    Coroutine<String> nests(EventLoop l) {
        Coroutine<Integer> inner = answer();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.runUntilComplete(inner));
        // Python 3.11: RuntimeError: This event loop is already running
        assertEquals("This event loop is already running", e.getMessage());
        IllegalStateException f = assertThrows(IllegalStateException.class, l::runForever);
        assertEquals("This event loop is already running", f.getMessage());
        return done("inner still awaitable: " + await(inner));
    }

    /** EV {@code test_run_until_complete_stopped}. */
    @Test
    void semantics65_runUntilCompleteThrowsIfTheLoopStopsFirstAndNestingThrows() {
        EventLoop l = new EventLoop(TimeSource.virtual());
        try {
            Future<String> never = l.createFuture();
            Task<String> t = l.createTask(awaitsFuture(never));
            l.callSoon(l::stop);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.runUntilComplete(t));
            // Python 3.11: RuntimeError: Event loop stopped before Future completed.
            assertEquals("Event loop stopped before Future completed.", e.getMessage());
            assertFalse(l.isRunning());
            assertFalse(t.done());
            // the loop can run again, and the task completes
            never.setResult("late");
            assertEquals("got late", l.runUntilComplete(t));
            assertEquals("inner still awaitable: 42", l.runUntilComplete(nests(l)));
            // a different loop cannot run inside this one either
            EventLoop other = new EventLoop(TimeSource.virtual());
            try {
                IllegalStateException o = assertThrows(IllegalStateException.class,
                        () -> l.runUntilComplete(runOther(other)));
                assertTrue(o.getMessage().contains("another loop is running"), o.getMessage());
            } finally {
                other.close();
            }
        } finally {
            l.close();
        }
    }

    @Async
    Coroutine<Void> runOther(EventLoop other) {
        other.runUntilComplete(other.createFuture());
        return done();
    }

    // ---- 66: close() is idempotent, throws while running, and a closed loop refuses work ------------------------

    @Async
    Coroutine<Void> closesWhileRunning() {
        EventLoop l = getRunningLoop();
        IllegalStateException e = assertThrows(IllegalStateException.class, l::close);
        // Python 3.11: RuntimeError: Cannot close a running event loop
        assertEquals("Cannot close a running event loop", e.getMessage());
        assertFalse(l.isClosed());
        await(sleep(1)); // the loop still works
        assertEquals(1.0, l.time());
        return done();
    }

    /** BE {@code test_close}, EV {@code test_close}. */
    @Test
    void semantics66_closeIsIdempotentThrowsWhileRunningAndAClosedLoopRefusesWork() {
        runTest(closesWhileRunning());
        EventLoop l = new EventLoop(TimeSource.virtual());
        boolean[] ran = {false};
        l.callSoon(() -> ran[0] = true); // dropped by close
        l.close();
        assertTrue(l.isClosed());
        l.close(); // idempotent
        assertTrue(l.isClosed());
        assertFalse(ran[0]);
        // Python 3.11: every one of these raises RuntimeError: Event loop is closed
        List<Runnable> refused = List.of(
                () -> l.callSoon(() -> ran[0] = true),
                () -> l.callLater(1, () -> ran[0] = true),
                () -> l.callAt(1, () -> ran[0] = true),
                () -> l.callSoonThreadsafe(() -> ran[0] = true),
                l::runForever,
                () -> l.runUntilComplete(answer()),
                () -> l.createTask(answer()),
                () -> l.runInExecutor(null, () -> ran[0] = true),
                l::shutdownDefaultExecutor);
        for (Runnable r : refused) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertEquals("Event loop is closed", e.getMessage());
        }
        assertFalse(ran[0]);
    }

    // ---- 67: callSoonThreadsafe wakes a waiting loop; runCoroutineThreadsafe; toThread carries the context ------

    @Async
    Coroutine<Void> wokenFromAnotherThread() throws InterruptedException {
        EventLoop l = getRunningLoop();
        Thread loopThread = Thread.currentThread();
        Future<String> f = l.createFuture();
        List<Thread> ranOn = new ArrayList<>();
        Thread other = new Thread(() -> {
            try {
                Thread.sleep(5); // let the loop go idle (it has nothing else to do)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            l.callSoonThreadsafe(() -> {
                ranOn.add(Thread.currentThread());
                f.setResult("woken");
            });
        }, "sem-d-waker");
        other.start();
        long start = System.nanoTime();
        assertEquals("woken", await(f));
        long took = System.nanoTime() - start;
        other.join();
        assertEquals(List.of(loopThread), ranOn, "the callback runs on the loop's thread");
        assertTrue(took < TimeUnit.SECONDS.toNanos(2), "the loop must be woken, not time out: " + took);
        assertEquals(0.0, l.time(), "no virtual time passed: nothing but the other thread woke the loop");
        return done();
    }

    /** T {@code RunCoroutineThreadsafeTests}: call_soon_threadsafe wakes the loop (without the selector). */
    @Test
    void semantics67_callSoonThreadsafeWakesALoopThatWaits() throws Exception {
        runTest(wokenFromAnotherThread());
    }

    @Async
    Coroutine<Integer> add(int a, int b, List<Thread> ranOn) {
        ranOn.add(Thread.currentThread());
        await(sleep(0));
        return done(a + b);
    }

    @Async
    Coroutine<Integer> failsWith(IOException e) throws IOException {
        await(sleep(0));
        throw e;
    }

    @Async
    Coroutine<Integer> waitsForever(Future<Integer> never, List<String> log) {
        try {
            return done(await(never));
        } catch (CancelledError e) {
            log.add("cancelled inside the loop");
            throw e;
        }
    }

    @Async
    Coroutine<Integer> startsThenWaits(CountDownLatch started, Future<Integer> never, List<String> log) {
        started.countDown();
        return done(await(waitsForever(never, log)));
    }

    /** Runs {@code body} on a new thread, awaiting its outcome from the loop (completing a CompletableFuture is thread-safe). */
    @Async
    Coroutine<String> onAnotherThread(String name, java.util.concurrent.Callable<String> body)
            throws InterruptedException {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                outcome.complete(body.call());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        }, name);
        t.start();
        try {
            return done(await(outcome));
        } finally {
            t.join();
        }
    }

    @Async
    Coroutine<Void> threadsafeCoroutines() throws InterruptedException {
        EventLoop l = getRunningLoop();
        Thread loopThread = Thread.currentThread();

        // the result travels back
        List<Thread> ranOn = new ArrayList<>();
        assertEquals("3", await(onAnotherThread("sem-d-result",
                () -> String.valueOf(runCoroutineThreadsafe(add(1, 2, ranOn), l).get(2, TimeUnit.SECONDS)))));
        assertEquals(List.of(loopThread), ranOn, "the coroutine runs on the loop's thread");

        // the exception travels back, unchanged, as the cause
        IOException boom = new IOException("boom");
        assertEquals("same", await(onAnotherThread("sem-d-exception", () -> {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> runCoroutineThreadsafe(failsWith(boom), l).get(2, TimeUnit.SECONDS));
            return e.getCause() == boom ? "same" : "different: " + e.getCause();
        })));

        // a cancellation inside the loop cancels the CompletableFuture
        List<String> log = new ArrayList<>();
        Future<Integer> never = l.createFuture();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<CompletableFuture<Integer>> submitted = new CompletableFuture<>();
        Thread submitter = new Thread(() -> submitted.complete(
                runCoroutineThreadsafe(startsThenWaits(started, never, log), l)), "sem-d-submitter");
        submitter.start();
        CompletableFuture<Integer> cf = await(submitted);
        submitter.join();
        // (the submission reaches the loop through its inbox: how many iterations that takes is not fixed)
        for (int i = 0; i < 10 && started.getCount() > 0; i++) {
            await(sleep(0));
        }
        assertEquals(0, started.getCount(), "the submitted task did not start");
        Task<?> inner = onlyOtherTask();
        inner.cancel();
        for (int i = 0; i < 10 && !cf.isDone(); i++) {
            await(sleep(0)); // the task sees the cancellation; its done-callback cancels cf
        }
        assertTrue(inner.cancelled());
        assertEquals(List.of("cancelled inside the loop"), log);
        assertEquals("cancelled", await(onAnotherThread("sem-d-cancelled", () -> {
            assertThrows(CancellationException.class, () -> cf.get(2, TimeUnit.SECONDS));
            return cf.isCancelled() ? "cancelled" : "not cancelled";
        })));

        // cancelling the CompletableFuture from the other thread cancels the task (once it runs: a task cancelled
        // before its first step never runs its body, item 4)
        log.clear();
        Future<Integer> never2 = l.createFuture();
        CountDownLatch started2 = new CountDownLatch(1);
        assertEquals("cancelled", await(onAnotherThread("sem-d-canceller", () -> {
            CompletableFuture<Integer> f = runCoroutineThreadsafe(startsThenWaits(started2, never2, log), l);
            assertTrue(started2.await(2, TimeUnit.SECONDS), "the task did not start");
            return f.cancel(true) && f.isCancelled() ? "cancelled" : "not cancelled";
        })));
        for (int i = 0; i < 10 && log.isEmpty(); i++) {
            await(sleep(0));
        }
        assertEquals(List.of("cancelled inside the loop"), log, "cancelling the future cancels the task");
        assertTrue(never2.cancelled(), "as asyncio: cancelling the task cancels the future it waits on");
        assertTrue(allOthersDone());

        // get(timeout) from the other thread times out, then cancel: the task is cancelled (Python's
        // test_run_coroutine_threadsafe_with_timeout: future.result(timeout) raises TimeoutError, then cancel())
        log.clear();
        Future<Integer> never3 = l.createFuture();
        CountDownLatch started3 = new CountDownLatch(1);
        assertEquals("timed out, cancelled", await(onAnotherThread("sem-d-timeout", () -> {
            CompletableFuture<Integer> f = runCoroutineThreadsafe(startsThenWaits(started3, never3, log), l);
            assertTrue(started3.await(2, TimeUnit.SECONDS), "the task did not start");
            assertThrows(TimeoutException.class, () -> f.get(5, TimeUnit.MILLISECONDS));
            assertFalse(f.isDone());
            return f.cancel(true) ? "timed out, cancelled" : "cancel failed";
        })));
        for (int i = 0; i < 10 && log.isEmpty(); i++) {
            await(sleep(0));
        }
        assertEquals(List.of("cancelled inside the loop"), log);
        assertTrue(allOthersDone());
        return done();
    }

    private static Task<?> onlyOtherTask() {
        List<Task<?>> others = new ArrayList<>(Asyncio.allTasks());
        others.remove(Asyncio.currentTask());
        assertEquals(1, others.size(), others.toString());
        return others.get(0);
    }

    private static boolean allOthersDone() {
        List<Task<?>> others = new ArrayList<>(Asyncio.allTasks());
        others.remove(Asyncio.currentTask());
        return others.isEmpty();
    }

    /** T {@code RunCoroutineThreadsafeTests}: result, exception, cancellation both ways, timeout then cancel. */
    @Test
    void semantics67_runCoroutineThreadsafeCarriesResultExceptionAndCancellationAcrossThreads() throws Exception {
        runTest(threadsafeCoroutines());
    }

    private static final ContextVar<String> REQUEST = new ContextVar<>("request");

    @Async
    Coroutine<Void> contextToThread(List<Thread> workers) {
        REQUEST.set("r-1");
        String seen = await(toThread(() -> {
            workers.add(Thread.currentThread());
            String v = REQUEST.get();
            REQUEST.set("changed in the thread"); // in the thread's copy only
            return v;
        }));
        assertEquals("r-1", seen, "toThread carries the context");
        assertEquals("r-1", REQUEST.get(), "the thread set the variable in its copy, not in the task's context");
        assertNotSame(Thread.currentThread(), workers.get(0));
        assertTrue(workers.get(0).getName().startsWith("jasyncio-executor-"), workers.get(0).getName());
        // a second call sees a fresh copy (the worker thread does not keep the first call's changes)
        assertEquals("r-1", await(toThread(REQUEST::get)));
        REQUEST.set("r-2");
        assertEquals("r-2", await(toThread(REQUEST::get)));
        return done();
    }

    /** T {@code test_to_thread_contextvars} (test_threads). */
    @Test
    void semantics67_toThreadCarriesTheContext() throws Exception {
        List<Thread> workers = new ArrayList<>();
        try (Runner runner = virtualRunner()) {
            runner.run(contextToThread(workers));
        }
        assertNull(REQUEST.get(null), "the test thread's own context is untouched");
        assertEnds(workers.get(0));
    }
}
