package io.jasyncio.junit;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.TimeSource;
import io.jasyncio.TimerHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@link AsyncTest}: its loop, in debug mode, on virtual or real time, and what it reported. {@link #execute}
 * runs the test's coroutine as the loop's first task and then checks what the test left behind.
 */
final class TestRun {
    /** How much loop time a cancelled task (a leftover, or the test after its timeout) gets to finish its cleanup. */
    private static final double CLEANUP_SECONDS = 5;
    /**
     * Where an {@code @AsyncTest} without a timeout ends on virtual time, in seconds (about 31.7 years): the loop
     * jumps there only when the test waits for something that can never happen, with no timer, no I/O and no work
     * on another thread to wake it (while work is under way on other threads virtual time runs no faster than real
     * time, so the deadline is never reached then).
     */
    private static final double NEVER = 1e9;
    /** How many frames of where something was created a report shows. */
    private static final int ORIGIN_FRAMES = 3;

    final EventLoop loop;
    final TestClock clock;
    final boolean realTime;
    private final String name;
    private final double timeout;
    private final double blockLimit;
    /** What the loop reported to its exception handler or as slow callbacks, in order; loop thread only. */
    private final List<String> problems = new ArrayList<>();
    private final List<Throwable> problemExceptions = new ArrayList<>();
    /** The test's task, made by {@link #execute} (where it was created says nothing about the test). */
    private Task<?> main;

    TestRun(String name, boolean realTime, double timeout, double blockLimit) {
        this.name = name;
        this.realTime = realTime;
        this.timeout = timeout;
        this.blockLimit = blockLimit;
        TestClock.VirtualTime virtual = realTime ? null : new TestClock.VirtualTime();
        this.loop = new EventLoop(realTime ? TimeSource.system() : virtual);
        this.clock = new TestClock(loop, virtual);
        loop.setDebug(true); // where tasks, futures, callbacks and coroutines were made; slow steps
        loop.setExceptionHandler((l, report) -> {
            if (isSomeoneElses(report)) {
                l.defaultExceptionHandler(report); // logged, as without @AsyncTest
            } else {
                problem(report, "");
            }
        });
        if (blockLimit > 0) {
            loop.setSlowCallbackDuration(blockLimit);
            loop.setSlowCallbackHandler((l, report) -> problem(report, "the loop was blocked longer than the limit of "
                    + seconds(blockLimit) + " (@AsyncTest(blockLimit)): "));
        } else {
            loop.setSlowCallbackHandler((l, report) -> { });
        }
    }

    /**
     * Runs {@code test} to its end on the loop, then fails if it failed, timed out or left anything behind.
     *
     * @return the test's result
     */
    Object execute(Coroutine<?> test) throws Throwable {
        Task<?> main = loop.createTask(test, name);
        this.main = main;
        TimedOut timedOut = new TimedOut();
        TimerHandle deadline;
        if (timeout > 0 && timeout < Double.POSITIVE_INFINITY) {
            deadline = loop.callLater(timeout, () -> timedOut.fire(main));
        } else if (!realTime) {
            // No timeout: on virtual time the loop reaches this far deadline only when nothing else can ever run.
            deadline = loop.callLater(NEVER, () -> timedOut.fire(main));
        } else {
            deadline = null;
        }
        Throwable failure = null;
        Object result = null;
        Watchdog watchdog = blockLimit > 0 ? new Watchdog(Thread.currentThread()) : null;
        try {
            try {
                result = loop.runUntilComplete(main);
            } catch (Throwable t) {
                failure = t;
            }
            if (deadline != null) {
                deadline.cancel();
            }
            if (timedOut.stack != null) {
                failure = timedOut.error(main, failure);
            }
            checkLeftovers(main);
        } finally {
            if (watchdog != null) {
                watchdog.stop();
                if (watchdog.report != null) { // what the test failed of, whatever the interrupt made it throw
                    failure = new AssertionError("@AsyncTest " + name + "(): " + watchdog.report, failure);
                }
            }
        }
        loop.reportUnawaitedCoroutines();
        loop.close(); // reports the exceptions nobody retrieved
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("@AsyncTest " + name + "(): ");
            sb.append(problems.size() == 1 ? problems.get(0) : problems.size() + " problems:");
            if (problems.size() > 1) {
                for (int i = 0; i < problems.size(); i++) {
                    sb.append("\n").append(i + 1).append(". ").append(problems.get(i));
                }
            }
            AssertionError left = new AssertionError(sb.toString());
            for (Throwable t : problemExceptions) {
                left.addSuppressed(t);
            }
            if (failure == null) {
                throw left;
            }
            failure.addSuppressed(left);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /**
     * Notices a step that does not return: debug mode reports a slow step only once it is over, so a step that
     * blocks for good (a {@code get()} of a future that needs the loop, a deadlock) would hang the build silently.
     * A thread sends the loop a heartbeat ({@code callSoonThreadsafe}) every half block limit; when one has waited
     * ten block limits, it writes where the loop's thread is to {@code System.err}, makes it a problem of the test,
     * and interrupts the thread (a blocking call that can be interrupted then ends, and the test fails).
     */
    private final class Watchdog implements Runnable {
        private final Thread loopThread;
        private final Thread thread;
        private final long hangNanos = Math.round(10 * blockLimit * 1e9);
        private final long beatNanos = Math.max(10_000_000L, Math.round(blockLimit * 0.5e9));
        private volatile boolean stopped;
        /** Set when the loop had not taken a heartbeat for {@link #hangNanos}. */
        volatile String report;
        private volatile long sentAt;
        private volatile boolean outstanding;

        Watchdog(Thread loopThread) {
            this.loopThread = loopThread;
            this.thread = new Thread(this, "jasyncio-junit-watchdog " + name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            while (!stopped) {
                long now = System.nanoTime();
                if (!outstanding) {
                    outstanding = true;
                    sentAt = now;
                    try {
                        loop.callSoonThreadsafe(() -> outstanding = false);
                    } catch (IllegalStateException closed) {
                        return;
                    }
                } else if (report == null && now - sentAt > hangNanos) {
                    StringBuilder sb = new StringBuilder("the loop was blocked for more than ")
                            .append(seconds(10 * blockLimit)).append(" (10 x @AsyncTest(blockLimit)) by a step that"
                                    + " did not return; the test's thread was interrupted. It was at:");
                    for (StackTraceElement e : loopThread.getStackTrace()) {
                        if (e.getClassName().startsWith("io.jasyncio.") && isMachinery(e.getClassName())) {
                            break; // the loop's own frames, below the step
                        }
                        sb.append("\n\tat ").append(unwoven(e));
                    }
                    report = sb.toString();
                    System.err.println("@AsyncTest " + name + "(): " + report);
                    loopThread.interrupt();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(beatNanos);
            }
        }

        void stop() {
            stopped = true;
            java.util.concurrent.locks.LockSupport.unpark(thread);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (report != null) {
                Thread.interrupted(); // the interrupt was ours: not left for the next test on this thread
            }
        }
    }

    /** The test's timeout: cancels its task and remembers where it was suspended. */
    private final class TimedOut {
        List<StackTraceElement> stack;
        boolean finished = true;

        void fire(Task<?> main) {
            stack = main.getStack();
            main.cancel("@AsyncTest: timed out");
            loop.callLater(CLEANUP_SECONDS, () -> { // it ignored the cancellation: give up on it
                if (!main.done()) {
                    finished = false;
                    loop.stop();
                }
            });
        }

        AssertionError error(Task<?> main, Throwable failure) {
            StringBuilder sb = new StringBuilder("@AsyncTest " + name + "() ");
            if (timeout > 0 && timeout < Double.POSITIVE_INFINITY) {
                sb.append("timed out after ").append(seconds(timeout)).append(" of ")
                        .append(realTime ? "real" : "virtual").append(" time (@AsyncTest(timeout))");
            } else {
                sb.append("waits for something that can never happen: the loop has nothing left to run (no timer, no"
                        + " I/O, no work on other threads) and the test is not done");
            }
            if (stack.isEmpty()) {
                sb.append("; it was not suspended in any await");
            } else {
                sb.append("; it was suspended at:");
                for (StackTraceElement e : stack) {
                    sb.append("\n\tat ").append(e);
                }
            }
            if (!finished) {
                sb.append("\nand it did not finish within ").append(seconds(CLEANUP_SECONDS))
                        .append(" of being cancelled: ").append(main);
            }
            AssertionError e = new AssertionError(sb.toString(), failure);
            return e;
        }
    }

    /** Fails for each task still pending; cancels them and runs the loop until they are done (a bounded time). */
    private void checkLeftovers(Task<?> main) {
        List<Task<?>> left = new ArrayList<>(Asyncio.allTasks(loop));
        left.remove(main);
        if (left.isEmpty()) {
            return;
        }
        for (Task<?> t : left) {
            StringBuilder sb = new StringBuilder("task '" + t.getName() + "' (" + t.getCoro() + ") was left running");
            List<StackTraceElement> stack = t.getStack();
            if (!stack.isEmpty()) {
                sb.append(", suspended at ").append(stack.get(0));
            }
            sb.append(created(t.getSourceTraceback()));
            problems.add(sb.toString());
        }
        Future<Void> allDone = loop.createFuture();
        int[] pending = {left.size()};
        for (Task<?> t : left) {
            t.cancel("@AsyncTest: the test ended and left this task running");
            t.addDoneCallback(f -> {
                if (--pending[0] == 0 && !allDone.done()) {
                    allDone.setResult(null);
                }
            });
        }
        TimerHandle giveUp = loop.callLater(CLEANUP_SECONDS, loop::stop);
        try {
            loop.runUntilComplete(allDone);
        } catch (IllegalStateException stopped) {
            problems.add("the leftover tasks did not finish within " + seconds(CLEANUP_SECONDS)
                    + " of being cancelled: " + Asyncio.allTasks(loop));
        }
        giveUp.cancel();
        for (Task<?> t : left) {
            if (t.done() && !t.cancelled()) {
                t.exception(); // its outcome is part of the leak reported above, not a second problem
            }
        }
    }

    /**
     * A coroutine never awaited that the collector found, made outside this test: by code that ran outside any loop
     * (another test, say), which a debug-mode loop reports to the first loop that finds it. Those of this test are
     * made while {@link #execute} runs the loop, so that its frame is in where they were made; those still
     * reachable at the end are reported by {@code reportUnawaitedCoroutines}, and an earlier {@code @AsyncTest}
     * reported its own that way, so that none of them is found again.
     */
    private static boolean isSomeoneElses(ExceptionContext report) {
        if (!report.message().endsWith(" was never awaited") || report.sourceTraceback() == null) {
            return false;
        }
        for (StackTraceElement e : report.sourceTraceback()) {
            if (e.getClassName().equals(TestRun.class.getName())) {
                return false;
            }
        }
        return true;
    }

    private void problem(ExceptionContext report, String prefix) {
        StringBuilder sb = new StringBuilder(prefix).append(report.message());
        if (report.exception() != null) {
            if (!report.message().contains(report.exception().toString())) {
                sb.append(": ").append(report.exception());
            }
            problemExceptions.add(report.exception());
        }
        if (report.future() == null || report.future() != main) {
            sb.append(created(report.sourceTraceback()));
        }
        problems.add(sb.toString());
    }

    /** {@return "; created at F1, called from F2, ..." for the first frames of {@code origin} that are the test's own} */
    private static String created(List<StackTraceElement> origin) {
        if (origin == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (StackTraceElement e : origin) {
            if (isMachinery(e.getClassName())) {
                if (shown > 0) {
                    break; // below the test's code: the loop, JUnit, the extension
                }
                continue;
            }
            sb.append(shown == 0 ? "; created at " : ", called from ").append(unwoven(e));
            if (++shown == ORIGIN_FRAMES) {
                break;
            }
        }
        return sb.toString();
    }

    /** {@return {@code e} with the name of the {@code @Async} method instead of that of its woven body} */
    private static StackTraceElement unwoven(StackTraceElement e) {
        String method = e.getMethodName();
        if (!method.startsWith("async$")) {
            return e;
        }
        return new StackTraceElement(e.getClassName(), method.substring("async$".length()), e.getFileName(),
                e.getLineNumber());
    }

    /** Frames that say nothing about the test: this extension's, JUnit's, the JDK's, woven frame classes. */
    private static boolean isMachinery(String className) {
        return className.equals(TestRun.class.getName()) || className.startsWith(AsyncTestExtension.class.getName())
                || className.startsWith("org.junit.") || className.startsWith("java.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.contains("$$Async$")
                || (className.startsWith("io.jasyncio.") && className.indexOf('.', "io.jasyncio.".length()) < 0);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%s s", s);
    }

    /** After the test: a loop that no test ran (a failure before it started) is closed too. */
    void close() {
        if (!loop.isClosed() && !loop.isRunning()) {
            loop.close();
        }
    }
}
