package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.runCoroutineThreadsafe;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.taskGroup;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.timeoutAt;
import static io.jasyncio.Asyncio.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.ExceptionGroup;
import io.jasyncio.Future;
import io.jasyncio.Handle;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TimeSource;
import io.jasyncio.Timeout;
import io.jasyncio.TimeoutException;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's rules 7 (one thread per loop), 8 (nothing is lost silently) and 9 (nothing blocks the loop, debug
 * mode), and issue 6's bad-input list for runners, timeouts and task groups.
 */
class RuntimeRulesTest extends AsyncTestBase {

    static final class Boom extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Boom(String m) {
            super(m);
        }
    }

    private static boolean names(List<StackTraceElement> trace, String method) {
        for (StackTraceElement e : trace) {
            if (e.getClassName().equals(RuntimeRulesTest.class.getName()) && e.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    @Async
    Coroutine<String> awaitsFuture(Future<String> f) {
        return done("got " + await(f));
    }

    @Async
    Coroutine<Integer> answer() {
        await(sleep(1));
        return done(42);
    }

    // ---- Rule 7: one thread per loop ----------------------------------------------------------------------

    /** Runs each call on a thread of its own kind and returns what each threw (or null), joining the thread. */
    private static Map<String, Throwable> callFromAnotherThread(Map<String, Runnable> calls) {
        Map<String, Throwable> thrown = new LinkedHashMap<>();
        Thread intruder = new Thread(() -> {
            for (Map.Entry<String, Runnable> c : calls.entrySet()) {
                Throwable t = null;
                try {
                    c.getValue().run();
                } catch (Throwable e) {
                    t = e;
                }
                thrown.put(c.getKey(), t);
            }
        }, "sem-d-intruder");
        intruder.start();
        try {
            intruder.join(); // blocks the loop for the few microseconds the calls take; the task goes on afterwards
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return thrown;
    }

    @Async
    Coroutine<Void> offThreadCalls() {
        EventLoop l = getRunningLoop();
        String loopThread = Thread.currentThread().getName();
        Future<String> f = l.createFuture();
        Future<String> failed = l.createFuture();
        failed.setException(new Boom("read me"));
        Task<String> child = createTask(awaitsFuture(f), "child");
        await(sleep(0));
        boolean[] ran = {false};
        Runnable cb = () -> ran[0] = true;
        Consumer<Future<String>> doneCb = x -> ran[0] = true;
        Map<String, Runnable> calls = new LinkedHashMap<>();
        calls.put("callSoon", () -> l.callSoon(cb));
        calls.put("callLater", () -> l.callLater(1, cb));
        calls.put("callAt", () -> l.callAt(1, cb));
        calls.put("createFuture", l::createFuture);
        calls.put("createTask", () -> l.createTask(answer()));
        calls.put("stop", l::stop);
        calls.put("runForever", l::runForever);
        calls.put("runUntilComplete", () -> l.runUntilComplete(f));
        calls.put("runInExecutor", () -> l.runInExecutor(null, () -> ran[0] = true));
        calls.put("setDebug", () -> l.setDebug(true));
        calls.put("setSlowCallbackDuration", () -> l.setSlowCallbackDuration(1));
        calls.put("setExceptionHandler", () -> l.setExceptionHandler((x, y) -> ran[0] = true));
        calls.put("getExceptionHandler", l::getExceptionHandler);
        calls.put("setDefaultExecutor", () -> l.setDefaultExecutor(Executors.newSingleThreadExecutor()));
        calls.put("shutdownDefaultExecutor", l::shutdownDefaultExecutor);
        calls.put("callExceptionHandler", () -> l.callExceptionHandler(new ExceptionContext("x", null)));
        calls.put("defaultExceptionHandler", () -> l.defaultExceptionHandler(new ExceptionContext("x", null)));
        calls.put("Future.done", f::done);
        calls.put("Future.cancelled", f::cancelled);
        calls.put("Future.result", failed::result);
        calls.put("Future.exception", failed::exception);
        calls.put("Future.setResult", () -> f.setResult("x"));
        calls.put("Future.setException", () -> f.setException(new Boom("x")));
        calls.put("Future.cancel", () -> f.cancel());
        calls.put("Future.addDoneCallback", () -> f.addDoneCallback(doneCb));
        calls.put("Future.removeDoneCallback", () -> f.removeDoneCallback(doneCb));
        calls.put("Task.cancel", () -> child.cancel());
        calls.put("Task.getContext", child::getContext);
        calls.put("Task.getStack", child::getStack);
        calls.put("Task.setName", () -> child.setName("renamed"));
        calls.put("Task.cancelling", child::cancelling);
        calls.put("Task.uncancel", child::uncancel);

        Map<String, Throwable> thrown = callFromAnotherThread(calls);

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Throwable> e : thrown.entrySet()) {
            Throwable t = e.getValue();
            String m = t == null ? null : t.getMessage();
            if (!(t instanceof IllegalStateException) || !m.contains(e.getKey() + "()")
                    || !m.contains("'sem-d-intruder'") || !m.contains("'" + loopThread + "'")) {
                wrong.add(e.getKey() + " -> " + t);
            }
        }
        assertEquals(List.of(), wrong, "each call from another thread must throw IllegalStateException naming the "
                + "method and both threads");
        // nothing was disturbed
        await(sleep(0));
        assertFalse(ran[0], "no callback was scheduled");
        assertFalse(f.done());
        assertFalse(child.done());
        assertEquals("child", child.getName());
        assertEquals(0, child.cancelling());
        assertFalse(l.getDebug());
        assertSame(failed.exception().getClass(), Boom.class);
        f.setResult("fine");
        assertEquals("got fine", await(child));
        return done();
    }

    /** Rule 7, asyncio's debug-mode {@code _check_thread} (EV {@code test_call_soon_threadsafe}'s counterpart). */
    @Test
    void rule7_loopTaskAndFutureMethodsThrowOffTheLoopsThread() {
        runTest(offThreadCalls());
    }

    @Async
    Coroutine<Integer> onLoop(List<Thread> ranOn) {
        ranOn.add(Thread.currentThread());
        await(sleep(0));
        return done(7);
    }

    @Async
    Coroutine<Void> threadSafeCalls() throws InterruptedException {
        EventLoop l = getRunningLoop();
        Thread loopThread = Thread.currentThread();
        List<Thread> ranOn = new ArrayList<>();
        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletableFuture<CompletableFuture<Integer>> submitted = new CompletableFuture<>();
        boolean[] seenRunning = {false};
        Thread other = new Thread(() -> {
            // the documented read-only accessors answer from any thread
            seenRunning[0] = l.isRunning() && !l.isClosed() && l.time() >= 0 && !l.getDebug()
                    && l.getSlowCallbackDuration() == 0.1 && l.toString().startsWith("<EventLoop");
            l.callSoonThreadsafe(() -> ranOn.add(Thread.currentThread()));
            submitted.complete(runCoroutineThreadsafe(onLoop(ranOn), l));
            stage.complete("completed on " + Thread.currentThread().getName());
        }, "sem-d-friend");
        other.start();
        assertEquals("completed on sem-d-friend", await(stage));
        other.join();
        assertTrue(seenRunning[0], "isRunning, isClosed, time, getDebug, getSlowCallbackDuration work from other threads");
        assertEquals(7, await(submitted.join()));
        assertEquals(List.of(loopThread, loopThread), ranOn, "both ran on the loop's thread");
        return done();
    }

    /** Rule 7: callSoonThreadsafe, runCoroutineThreadsafe and completing an awaited CompletableFuture. */
    @Test
    void rule7_threadSafeEntryPointsWorkFromOtherThreads() throws Exception {
        runTest(threadSafeCalls());
    }

    @Async
    Coroutine<Void> groupAndTimeoutOffThread() {
        String loopThread = Thread.currentThread().getName();
        List<Throwable> thrown = new ArrayList<>();
        await(taskGroup(tg -> {
            await(timeout(10, t -> {
                Map<String, Runnable> calls = new LinkedHashMap<>();
                calls.put("TaskGroup.createTask", () -> tg.createTask(answer()));
                calls.put("Timeout.reschedule", () -> t.reschedule(1));
                thrown.addAll(callFromAnotherThread(calls).values());
                assertEquals(OptionalDouble.of(10), t.when(), "the deadline is unchanged");
                return done();
            }));
            return done();
        }));
        assertEquals(2, thrown.size());
        for (Throwable t : thrown) {
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().contains("'sem-d-intruder'") && t.getMessage().contains("'" + loopThread + "'"),
                    t.getMessage());
        }
        assertTrue(thrown.get(0).getMessage().contains("TaskGroup.createTask()"), thrown.get(0).getMessage());
        assertTrue(thrown.get(1).getMessage().contains("Timeout.reschedule()"), thrown.get(1).getMessage());
        return done();
    }

    @Test
    void rule7_taskGroupAndTimeoutMethodsThrowOffTheLoopsThread() {
        runTest(groupAndTimeoutOffThread());
    }

    // ---- Rule 8: nothing is lost silently -----------------------------------------------------------------

    private static final Boom TASK_BOOM = new Boom("nobody reads me");

    @Async
    Coroutine<Void> failsSoon(Boom boom) {
        await(sleep(0));
        throw boom;
    }

    /** Creates a failing task and keeps no reference to it. */
    private void fireAndForget() {
        createTask(failsSoon(TASK_BOOM), "forgotten");
    }

    @Async
    Coroutine<Void> collectUntil(List<ExceptionContext> reports, String messagePart) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (reports.stream().noneMatch(r -> r.message().contains(messagePart)) && System.nanoTime() < deadline) {
            System.gc();
            await(sleep(0));
        }
        return done();
    }

    @Async
    Coroutine<Void> forgetsAFailedTask(List<ExceptionContext> reports) {
        getRunningLoop().setExceptionHandler((l, ctx) -> reports.add(ctx));
        fireAndForget();
        await(sleep(0));
        await(sleep(0)); // the task has failed
        await(collectUntil(reports, "Task exception was never retrieved"));
        return done();
    }

    /** F {@code test_tb_logger_exception_unretrieved}, T {@code test_task_exception_never_retrieved} style. */
    @Test
    void rule8_anUnretrievedTaskExceptionIsReportedWhenTheTaskIsCollected() {
        List<ExceptionContext> reports = new ArrayList<>();
        runTest(forgetsAFailedTask(reports));
        List<ExceptionContext> mine = reports.stream()
                .filter(r -> r.message().contains("Task exception was never retrieved")).toList();
        assertEquals(1, mine.size(), reports.toString());
        ExceptionContext r = mine.get(0);
        // Python 3.11: "Task exception was never retrieved", with the task (and its name) in the context
        assertTrue(r.message().contains("forgotten"), r.message());
        assertSame(TASK_BOOM, r.exception());
        assertNull(r.sourceTraceback(), "filled only in debug mode");
    }

    @Test
    void rule8_anUnretrievedExceptionIsReportedWhenTheLoopClosesWithWhereTheTaskWasCreatedInDebugMode() {
        EventLoop l = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reports = new ArrayList<>();
        l.setExceptionHandler((x, ctx) -> reports.add(ctx));
        l.setDebug(true);
        Boom boom = new Boom("task failure");
        Task<Void> task = l.createTask(failsSoon(boom), "unread");
        Future<String> plain = l.createFuture();
        Boom futureBoom = new Boom("future failure");
        plain.setException(futureBoom);
        Future<String> read = l.createFuture();
        read.setException(new Boom("this one is read"));
        assertNotNull(read.exception());
        l.runUntilComplete(sleepTwice());
        assertTrue(task.done());
        assertEquals(List.of(), reports.stream().filter(r -> r.message().contains("never retrieved")).toList(),
                "still referenced: reported at close, not before");
        l.close();
        List<ExceptionContext> mine = reports.stream().filter(r -> r.message().contains("never retrieved")).toList();
        assertEquals(2, mine.size(), reports.toString());
        ExceptionContext t = mine.stream().filter(r -> r.future() == task).findFirst().orElseThrow();
        assertTrue(t.message().startsWith("Task exception was never retrieved"), t.message());
        assertTrue(t.message().contains("unread"), t.message());
        assertSame(boom, t.exception());
        assertNotNull(t.sourceTraceback(), "debug mode records where the task was created");
        assertTrue(names(t.sourceTraceback(), "rule8_anUnretrievedExceptionIsReportedWhenTheLoopClosesWithWhereTheTaskWasCreatedInDebugMode"),
                t.sourceTraceback().toString());
        ExceptionContext f = mine.stream().filter(r -> r.future() == plain).findFirst().orElseThrow();
        assertTrue(f.message().startsWith("Future exception was never retrieved"), f.message());
        assertSame(futureBoom, f.exception());
        assertNotNull(f.sourceTraceback());
        assertEquals(RuntimeRulesTest.class.getName(), f.sourceTraceback().get(0).getClassName(),
                "the trace starts in the user's code, not in the runtime: " + f.sourceTraceback());
    }

    @Async
    Coroutine<Void> sleepTwice() {
        await(sleep(0));
        await(sleep(0));
        return done();
    }

    /** BE {@code test_run_until_complete_loop_orphan_future_close_loop}, T {@code test_task_destroyed_pending}-style. */
    @Test
    void rule8_aTaskDestroyedWhilePendingIsReported() {
        EventLoop l = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reports = new ArrayList<>();
        l.setExceptionHandler((x, ctx) -> reports.add(ctx));
        Future<String> never = l.createFuture();
        Task<String> pending = l.createTask(awaitsFuture(never), "orphan");
        l.runUntilComplete(sleepTwice());
        assertFalse(pending.done());
        assertEquals(List.of(), reports);
        l.close();
        assertEquals(1, reports.size(), reports.toString());
        ExceptionContext r = reports.get(0);
        // Python 3.11: "Task was destroyed but it is pending!"
        assertTrue(r.message().startsWith("Task was destroyed but it is pending"), r.message());
        assertTrue(r.message().contains("orphan"), r.message());
        assertSame(pending, r.future());
        assertNull(r.exception());
        assertNull(r.sourceTraceback(), "filled only in debug mode");
    }

    @Async
    Coroutine<Integer> neverAwaited() {
        return done(1);
    }

    /** P {@code test_coroutine_never_yielded}-style / asyncio's "coroutine ... was never awaited" RuntimeWarning. */
    @Test
    void rule8_aCoroutineNeverAwaitedIsReportedInDebugModeWithWhereItWasCreated() {
        EventLoop l = new EventLoop(TimeSource.virtual());
        List<ExceptionContext> reports = new ArrayList<>();
        try {
            l.setExceptionHandler((x, ctx) -> reports.add(ctx));
            l.setDebug(true);
            Coroutine<Integer> c = neverAwaited();
            assertNotNull(c);
            c = null; // dropped without being awaited
            l.runUntilComplete(collectUntil(reports, "neverAwaited"));
        } finally {
            l.close();
        }
        List<ExceptionContext> mine = reports.stream().filter(r -> r.message().contains("neverAwaited")).toList();
        assertEquals(1, mine.size(), reports.toString());
        ExceptionContext r = mine.get(0);
        // Python 3.11: RuntimeWarning: coroutine 'neverAwaited' was never awaited
        assertEquals("coroutine " + RuntimeRulesTest.class.getName() + ".neverAwaited was never awaited", r.message());
        assertNotNull(r.sourceTraceback());
        assertTrue(names(r.sourceTraceback(), "rule8_aCoroutineNeverAwaitedIsReportedInDebugModeWithWhereItWasCreated"),
                r.sourceTraceback().toString());
        assertEquals(RuntimeRulesTest.class.getName(), r.sourceTraceback().get(0).getClassName(),
                "the trace starts in the user's code, not in the runtime: " + r.sourceTraceback());
    }

    /** EV {@code test_default_exc_handler_callback}: a failing callback reaches the handler, with its handle. */
    @Test
    void rule8_aFailingCallbackIsReportedWithItsHandle() {
        for (boolean debug : new boolean[] {false, true}) {
            EventLoop l = new EventLoop(TimeSource.virtual());
            List<ExceptionContext> reports = new ArrayList<>();
            List<String> after = new ArrayList<>();
            try {
                l.setExceptionHandler((x, ctx) -> reports.add(ctx));
                l.setDebug(debug);
                Boom boom = new Boom("callback failed");
                Handle h = l.callSoon(() -> {
                    throw boom;
                });
                l.callSoon(() -> after.add("next callback runs"));
                l.callSoon(l::stop);
                l.runForever();
                List<ExceptionContext> mine = reports.stream().filter(r -> r.exception() == boom).toList();
                assertEquals(1, mine.size(), reports.toString());
                ExceptionContext r = mine.get(0);
                // Python 3.11: "Exception in callback <lambda>() at ...", with 'handle' in the context
                assertTrue(r.message().startsWith("Exception in callback"), r.message());
                assertSame(h, r.handle());
                assertNull(r.future());
                if (debug) {
                    assertNotNull(r.sourceTraceback(), "debug mode records where the callback was scheduled");
                    assertTrue(names(r.sourceTraceback(), "rule8_aFailingCallbackIsReportedWithItsHandle"),
                            r.sourceTraceback().toString());
                } else {
                    assertNull(r.sourceTraceback(), "filled only in debug mode");
                }
                assertEquals(List.of("next callback runs"), after, "the loop goes on");
            } finally {
                l.close();
            }
        }
    }

    /** Rule 8: with no handler set, the default one logs to System.Logger "io.jasyncio" at ERROR with the task's name. */
    @Test
    void rule8_theDefaultHandlerLogsAtErrorWithTheTasksName() {
        List<LogRecord> records = capture(() -> {
            EventLoop l = new EventLoop(TimeSource.virtual());
            Task<Void> t = l.createTask(failsSoon(new Boom("logged")), "logged-task");
            l.runUntilComplete(sleepTwice());
            assertTrue(t.done());
            l.close();
        });
        List<LogRecord> mine = records.stream().filter(r -> r.getMessage().contains("logged-task")).toList();
        assertEquals(1, mine.size(), messages(records));
        assertEquals(Level.SEVERE, mine.get(0).getLevel());
        assertTrue(mine.get(0).getMessage().contains("never retrieved"), mine.get(0).getMessage());
        assertInstanceOf(Boom.class, mine.get(0).getThrown());
    }

    // ---- Rule 9: nothing blocks the loop; debug mode reports slow steps ----------------------------------------

    /** Held strongly so that the handler stays attached (java.util.logging keeps loggers weakly). */
    private static final Logger JUL = Logger.getLogger("io.jasyncio");

    /** Runs {@code body} and returns what it logged to "io.jasyncio". */
    private static List<LogRecord> capture(Runnable body) {
        List<LogRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        JUL.addHandler(h);
        try {
            body.run();
        } finally {
            JUL.removeHandler(h);
        }
        return new ArrayList<>(records);
    }

    private static String messages(List<LogRecord> records) {
        return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString();
    }

    private static void busyWait(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Async
    Coroutine<Void> slowAfterResume() {
        await(sleep(0)); // RESUME LINE
        busyWait(5);
        return done();
    }

    @Async
    Coroutine<Void> slowSteps(boolean debug) {
        EventLoop l = getRunningLoop();
        l.setDebug(debug);
        l.setSlowCallbackDuration(0.002);
        assertEquals(0.002, l.getSlowCallbackDuration());
        await(createTask(slowAfterResume(), "slowpoke"));
        l.callSoon(() -> busyWait(5));
        await(sleep(0));
        l.setDebug(false);
        return done();
    }

    /** BE {@code test_run_once_logging}: in debug mode, slow steps and callbacks are logged as warnings. */
    @Test
    void rule9_inDebugModeASlowTaskStepIsReportedWithTheTasksNameAndWhereItResumed() {
        List<LogRecord> records = capture(() -> runTest(slowSteps(true)));
        // (only the resumed step is slow by design; a fast step might still cross 2 ms on a loaded machine, so the
        // asserts look for the expected reports rather than count all of them)
        String site = "RuntimeRulesTest.java:" + lineOf("RuntimeRulesTest.java", "RESUME LINE");
        List<LogRecord> slow = records.stream()
                .filter(r -> r.getMessage().contains("'slowpoke'") && r.getMessage().contains(site)).toList();
        assertEquals(1, slow.size(), "the resumed step of slowpoke, at " + site + ": " + messages(records));
        assertEquals(Level.WARNING, slow.get(0).getLevel());
        assertTrue(slow.get(0).getMessage().contains("resumed at"), slow.get(0).getMessage());
        List<LogRecord> callbacks = records.stream()
                .filter(x -> x.getMessage().startsWith("Executing Handle") && x.getMessage().contains("took")).toList();
        assertTrue(callbacks.size() >= 1, "the slow callback: " + messages(records));
        assertEquals(Level.WARNING, callbacks.get(0).getLevel());
    }

    @Test
    void rule9_withoutDebugModeNothingIsTimed() {
        List<LogRecord> records = capture(() -> runTest(slowSteps(false)));
        assertEquals(List.of(), records.stream().map(LogRecord::getMessage).filter(m -> m.contains("took")).toList());
    }

    /** Prints the debug mode of a new loop: run in a forked JVM by {@link #rule9_debugModeFromPropertyOrEnvironment}. */
    public static final class DebugProbe {
        private DebugProbe() {
        }

        public static void main(String[] args) {
            EventLoop l = new EventLoop();
            System.out.println("debug=" + l.getDebug());
            l.close();
        }
    }

    private static String fork(String property, String env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        if (property != null) {
            cmd.add("-Djasyncio.debug=" + property);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DebugProbe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JASYNCIO_DEBUG");
        if (env != null) {
            pb.environment().put("JASYNCIO_DEBUG", env);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the forked JVM did not end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Debug mode from -Djasyncio.debug=true or JASYNCIO_DEBUG=1, read once per JVM: checked in forked JVMs. */
    @Test
    void rule9_debugModeFromPropertyOrEnvironment() throws Exception {
        assertEquals("debug=true", fork("true", null));
        assertEquals("debug=true", fork(null, "1"));
        assertEquals("debug=false", fork("false", "0"));
    }

    // ---- Bad input: runners, timeouts and task groups used wrongly --------------------------------------------

    @Async
    Coroutine<Void> runsInsideALoop(Runner other) {
        Coroutine<Integer> c = answer();
        IllegalStateException a = assertThrows(IllegalStateException.class, () -> other.run(c));
        assertTrue(a.getMessage().contains("Runner.run() cannot be called from a running event loop"), a.getMessage());
        IllegalStateException b = assertThrows(IllegalStateException.class, () -> Asyncio.run(c));
        assertTrue(b.getMessage().contains("Asyncio.run() cannot be called from a running event loop"), b.getMessage());
        assertEquals(42, await(c), "the refused coroutine was not started");
        return done();
    }

    @Test
    void badInput_runnerRunFromInsideARunningLoopThrowsAndDisturbsNothing() {
        try (Runner other = new Runner(() -> new EventLoop(TimeSource.virtual()))) {
            runTest(runsInsideALoop(other));
            assertEquals(1.0, loop.time(), "the running loop went on");
            assertEquals(7, other.run(sevenAfterASleep()), "the other runner is usable");
        }
    }

    @Async
    Coroutine<Integer> sevenAfterASleep() {
        await(sleep(0));
        return done(7);
    }

    @Test
    void badInput_runnerUsedAfterCloseOrWithAStartedCoroutineThrows() {
        Runner r = new Runner(() -> new EventLoop(TimeSource.virtual()));
        assertThrows(NullPointerException.class, () -> r.run(null));
        assertEquals(7, r.run(sevenAfterASleep()), "a refused null leaves the runner usable");
        r.close();
        Coroutine<Integer> c = sevenAfterASleep();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.run(c));
        assertEquals("Runner is closed", e.getMessage());
        assertEquals("Runner is closed", assertThrows(IllegalStateException.class, r::getLoop).getMessage());
        assertEquals(7, Asyncio.run(c), "the refused coroutine was not started");
        try (Runner fresh = new Runner(() -> new EventLoop(TimeSource.virtual()))) {
            Coroutine<Integer> started = sevenAfterASleep();
            fresh.run(awaitsIt(started));
            IllegalStateException s = assertThrows(IllegalStateException.class, () -> fresh.run(started));
            assertTrue(s.getMessage().contains("already awaited"), s.getMessage());
        }
        // a factory that returns a closed loop is refused with a message
        EventLoop closed = new EventLoop(TimeSource.virtual());
        closed.close();
        try (Runner bad = new Runner(() -> closed)) {
            IllegalStateException f = assertThrows(IllegalStateException.class, bad::getLoop);
            assertTrue(f.getMessage().contains("closed loop"), f.getMessage());
        }
    }

    @Async
    Coroutine<Integer> awaitsIt(Coroutine<Integer> c) {
        return done(await(c));
    }

    @Async
    Coroutine<Void> timeoutsUsedWrongly() {
        EventLoop l = getRunningLoop();
        // NaN is refused at once; nothing is scheduled
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> timeout(Double.NaN, t -> done()));
        assertTrue(a.getMessage().contains("NaN"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> timeoutAt(Double.NaN, t -> done()));
        Coroutine<Integer> c = answer();
        assertThrows(IllegalArgumentException.class, () -> waitFor(c, Double.NaN));
        assertEquals(42, await(c), "the coroutine given to the refused waitFor was not started");
        // a timeout rescheduled after its scope ended
        Timeout[] kept = new Timeout[1];
        await(timeout(10, t -> {
            kept[0] = t;
            assertThrows(IllegalArgumentException.class, () -> t.reschedule(Double.NaN));
            assertEquals(OptionalDouble.of(11.0), t.when(), "a refused NaN leaves the deadline alone");
            return done();
        }));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].reschedule(l.time() + 1));
        // Python 3.12: RuntimeError: Cannot change state of finished Timeout
        assertTrue(e.getMessage().startsWith("Cannot change the deadline of"), e.getMessage());
        // a timeout rescheduled while it expires, and once it expired
        Timeout[] expired = new Timeout[1];
        List<String> log = new ArrayList<>();
        try {
            await(timeout(1, t -> {
                expired[0] = t;
                try {
                    await(sleep(5));
                } catch (CancelledError cancelled) {
                    IllegalStateException x = assertThrows(IllegalStateException.class, () -> t.reschedule(100));
                    // Python 3.12: RuntimeError: Cannot change state of expiring Timeout
                    log.add(x.getMessage().startsWith("Cannot change the deadline of") ? "refused while expiring"
                            : x.getMessage());
                    throw cancelled;
                }
                return done();
            }));
            expectUnreached();
        } catch (TimeoutException timedOut) {
            log.add("timed out at " + l.time());
        }
        assertEquals(List.of("refused while expiring", "timed out at 2.0"), log);
        assertTrue(expired[0].expired());
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> expired[0].reschedule(100));
        assertTrue(x.getMessage().startsWith("Cannot change the deadline of"), x.getMessage());
        return done();
    }

    @Test
    void badInput_timeoutsUsedWronglyThrowAtOnce() {
        runTest(timeoutsUsedWrongly());
        assertEquals(2.0, loop.time(), "nothing scheduled by the refused calls ran");
    }

    @Async
    Coroutine<Void> groupsUsedWrongly() {
        List<Task<?>> before = new ArrayList<>(Asyncio.allTasks());
        TaskGroup[] kept = new TaskGroup[1];
        await(taskGroup(tg -> {
            kept[0] = tg;
            return done();
        }));
        // createTask on a finished group
        Coroutine<Integer> c = answer();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].createTask(c));
        // Python 3.11: RuntimeError: TaskGroup <TaskGroup entered> is finished
        assertTrue(e.getMessage().contains("is finished"), e.getMessage());
        assertEquals(before, Asyncio.allTasks(), "no task was created");
        assertEquals(42, await(c), "the refused coroutine was not started");
        // createTask on a failing group
        List<String> log = new ArrayList<>();
        Boom boom = new Boom("child failed");
        try {
            await(taskGroup(tg -> {
                tg.createTask(failsSoon(boom));
                try {
                    await(sleep(10));
                } catch (CancelledError cancelled) {
                    Coroutine<Integer> late = answer();
                    IllegalStateException s = assertThrows(IllegalStateException.class, () -> tg.createTask(late));
                    // Python 3.11: RuntimeError: TaskGroup <TaskGroup errors=1 cancelling> is shutting down
                    log.add(s.getMessage().contains("is shutting down") ? "refused: shutting down" : s.getMessage());
                    log.add("late coroutine still fresh: " + await(late));
                    throw cancelled;
                }
                return done();
            }));
            expectUnreached();
        } catch (ExceptionGroup g) {
            assertEquals(List.of(boom), g.exceptions());
        }
        assertEquals(List.of("refused: shutting down", "late coroutine still fresh: 42"), log);
        return done();
    }

    @Test
    void badInput_createTaskOnAFinishedOrFailingGroupThrows() {
        runTest(groupsUsedWrongly());
    }
}
