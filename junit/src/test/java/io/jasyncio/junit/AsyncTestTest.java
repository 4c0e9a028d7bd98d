package io.jasyncio.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Real JUnit launches of the {@link Samples} classes: which of their tests pass and fail, and with what messages.
 */
class AsyncTestTest {

    /** The outcome of each test (the dynamic test of each {@code @AsyncTest}), by the name of its method. */
    private final Map<String, TestExecutionResult> results = new LinkedHashMap<>();
    private EngineExecutionResults launch;

    @BeforeEach
    void clearLog() {
        Samples.LOG.clear();
    }

    private void run(Class<?> sample) {
        launch = EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute();
        results.clear();
        for (Event e : launch.allEvents().finished().list()) {
            e.getTestDescriptor().getParent().ifPresent(parent -> {
                if (e.getTestDescriptor().isTest()) {
                    results.put(methodName(parent.getDisplayName()), e.getPayload(TestExecutionResult.class).orElseThrow());
                }
            });
        }
    }

    private static String methodName(String displayName) {
        int paren = displayName.indexOf('(');
        return paren < 0 ? displayName : displayName.substring(0, paren);
    }

    private TestExecutionResult.Status status(String method) {
        TestExecutionResult r = results.get(method);
        if (r == null) {
            throw new AssertionError("no test ran for " + method + "; ran: " + results.keySet() + "; events: "
                    + launch.allEvents().list());
        }
        return r.getStatus();
    }

    private Throwable failure(String method) {
        assertEquals(TestExecutionResult.Status.FAILED, status(method), method);
        return results.get(method).getThrowable().orElseThrow();
    }

    private String message(String method) {
        return failure(method).getMessage();
    }

    private static void assertContains(String text, String part) {
        assertTrue(text != null && text.contains(part), () -> "'" + part + "' not in:\n" + text);
    }

    /** {@return "Samples.java:N", N the line of Samples.java that ends with {@code // marker}} */
    private static String line(String marker) {
        try {
            List<String> lines = Files.readAllLines(Path.of("src/test/java/io/jasyncio/junit/Samples.java"));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).endsWith("// " + marker)) {
                    return "Samples.java:" + (i + 1);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no line of Samples.java is marked " + marker);
    }

    @Test
    void aTestOnVirtualTimeSleepsAnHourAtOnceAndGetsTheLoopAndClockInjected() {
        long start = System.nanoTime();
        run(Samples.Passing.class);
        double took = (System.nanoTime() - start) / 1e9;
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, status("anHourOfSleepTakesNoTime"), () -> String.valueOf(results));
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, status("advanceMovesTheClockAndRunsTheTimersDue"),
                () -> String.valueOf(results));
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, status("aShortBlockIsUnderTheDefaultLimit"),
                () -> String.valueOf(results));
        launch.testEvents().assertStatistics(s -> s.started(3).succeeded(3).failed(0));
        assertTrue(Samples.LOG.contains("slept an hour"), Samples.LOG::toString);
        assertTrue(Samples.LOG.contains("timer at 10.0"), Samples.LOG::toString); // the timer due at 5 runs at 10
        assertTrue(took < 10, "three tests, an hour of sleep, took " + took + " s");
    }

    @Test
    void aCoroutineNeverAwaitedOutsideTheTestIsNotTheTestsProblem() throws InterruptedException {
        EventLoop debug = new EventLoop();
        debug.setDebug(true); // coroutines are tracked from now on, also those made outside any loop
        debug.close();
        Coroutine<Void> elsewhere = Asyncio.sleep(1); // made outside any loop, never awaited
        java.lang.ref.WeakReference<Coroutine<Void>> ref = new java.lang.ref.WeakReference<>(elsewhere);
        elsewhere = null;
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(ref.get() == null, "the collector did not collect it");
        Thread.sleep(50); // for the reference handler to enqueue it; the sample's loop then finds it
        run(Samples.Passing.class);
        launch.testEvents().assertStatistics(s -> s.started(3).succeeded(3).failed(0));
    }

    @Test
    void aFailingAssertionOrExceptionFailsTheTestUnchanged() {
        run(Samples.Failing.class);
        assertContains(message("assertionFails"), "one is two");
        Throwable io = failure("throwsAChecked");
        assertInstanceOf(IOException.class, io);
        assertEquals("the disk is gone", io.getMessage());
    }

    @Test
    void realTimeOnTheClassOrTheMethod() {
        run(Samples.RealTimeClass.class);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, status("sleepsForReal"), () -> String.valueOf(results));
        assertEquals(List.of("real"), Samples.LOG);
        run(Samples.RealTimeMethod.class);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, status("onRealTime"), () -> String.valueOf(results));
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, status("onVirtualTime"), () -> String.valueOf(results));
        List<String> names = new ArrayList<>();
        launch.testEvents().started().list().forEach(e -> names.add(e.getTestDescriptor().getDisplayName()));
        assertEquals(List.of("real time", "virtual time"), names.stream().sorted().toList());
    }

    @Test
    void aTaskLeftRunningFailsTheTestWithWhereItWasCreatedAndSuspendedAndIsCancelled() {
        run(Samples.LeavesATask.class);
        String m = message("leaks");
        assertContains(m, "task 'forgotten'");
        assertContains(m, "was left running");
        assertContains(m, "suspended at");
        assertContains(m, line("LEFT SUSPENDED"));
        assertContains(m, "created at");
        assertContains(m, line("LEAK CREATED"));
        assertEquals(List.of("cleanup ran at 1.0"), Samples.LOG); // cancelled, and its finally ran
    }

    @Test
    void aTaskExceptionNobodyRetrievedFailsTheTest() {
        run(Samples.UnretrievedException.class);
        String m = message("dropsAFailedTask");
        assertContains(m, "Task exception was never retrieved");
        assertContains(m, "boomer");
        assertContains(m, "IllegalStateException: nobody reads this");
        assertContains(m, line("UNRETRIEVED CREATED"));
        assertEquals("nobody reads this", failure("dropsAFailedTask").getSuppressed()[0].getMessage());
    }

    @Test
    void aCoroutineNeverAwaitedFailsTheTest() {
        run(Samples.NeverAwaited.class);
        String m = message("forgetsToAwait");
        assertContains(m, "coroutine io.jasyncio.junit.Samples$NeverAwaited.helper was never awaited");
        assertContains(m, line("NEVER AWAITED"));
        assertEquals(List.of(), Samples.LOG);
    }

    @Test
    void aCallbackThatThrewFailsTheTest() {
        run(Samples.CallbackThrows.class);
        String m = message("scheduleAFailingCallback");
        assertContains(m, "Exception in callback");
        assertContains(m, "IllegalStateException: the callback failed");
        assertContains(m, line("CALLBACK SCHEDULED"));
    }

    @Test
    void blockingTheLoopLongerThanTheLimitFailsTheTest() {
        run(Samples.Blocks.class);
        String m = message("blocksTheLoop");
        assertContains(m, "the loop was blocked longer than the limit of 0.05 s");
        assertContains(m, "step of task 'blocksTheLoop'");
        assertContains(m, "(resumed at io.jasyncio.junit.Samples$Blocks.blocksTheLoop(" + line("BLOCKING RESUMES HERE") + "))");
        assertTrue(!m.contains("created at"), m); // the test's own task: created by the extension
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, status("noLimit"), () -> String.valueOf(results));
    }

    @Test
    void aStepThatDoesNotReturnIsInterruptedAfterTenBlockLimitsAndNamed() {
        long start = System.nanoTime();
        run(Samples.Blocks.class);
        double took = (System.nanoTime() - start) / 1e9;
        Throwable t = failure("hangs");
        String m = t.getMessage();
        assertContains(m, "@AsyncTest hangs(): the loop was blocked for more than 0.5 s (10 x @AsyncTest(blockLimit))"
                + " by a step that did not return; the test's thread was interrupted. It was at:");
        assertContains(m, "java.lang.Thread.sleep");
        assertContains(m, "Samples$Blocks.hangs(" + line("HANGS HERE") + ")");
        assertInstanceOf(InterruptedException.class, t.getCause());
        assertContains(t.getSuppressed()[0].getMessage(), "the loop was blocked longer than the limit of 0.05 s");
        assertTrue(took < 30, "interrupted after " + took + " s");
        assertTrue(!Thread.currentThread().isInterrupted());
    }

    @Test
    void theTimeoutOnVirtualTimeCancelsTheTestAndSaysWhereItWasSuspended() {
        long start = System.nanoTime();
        run(Samples.TimesOut.class);
        double took = (System.nanoTime() - start) / 1e9;
        String m = message("sleepsTooLong");
        assertContains(m, "timed out after 10.0 s of virtual time");
        assertContains(m, "it was suspended at:\n\tat ");
        int inner = m.indexOf(line("INNER SUSPENDED"));
        int outer = m.indexOf(line("OUTER SUSPENDED"));
        assertTrue(inner > 0 && outer > inner, m); // innermost first
        assertEquals(List.of("cancelled at 10.0"), Samples.LOG);
        String deadlock = message("waitsForever");
        assertContains(deadlock, "waitsForever() waits for something that can never happen: the loop has nothing left to run");
        assertContains(deadlock, line("DEADLOCK"));
        assertTrue(took < 10, "a 10 s timeout and a deadlock on virtual time took " + took + " s");
    }

    @Test
    void aTestThatIgnoresItsTimeoutIsStoppedAfterTheCleanupTime() {
        run(Samples.IgnoresItsTimeout.class);
        String m = message("keepsGoing");
        assertContains(m, "timed out after 1.0 s of virtual time");
        assertContains(m, "did not finish within 5.0 s of being cancelled");
        assertEquals(List.of("swallowed the cancellation"), Samples.LOG);
    }

    @Test
    void aMethodThatIsNotACoroutineIsRefused() {
        run(Samples.NotACoroutine.class);
        List<Event> failed = launch.containerEvents().failed().list();
        assertEquals(1, failed.size(), () -> String.valueOf(launch.allEvents().list()));
        Throwable t = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertContains(t.getMessage(), "must be an @Async method that returns a Coroutine, but it returned null");
    }

    @Test
    void severalProblemsAreNumbered() {
        run(Samples.TwoProblems.class);
        String m = message("leaksAndForgets");
        assertContains(m, "2 problems:\n1. task 'sleeper'");
        assertContains(m, "\n2. coroutine io.jasyncio.junit.Samples$TwoProblems.helper was never awaited");
    }
}
