package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Runner;
import io.jasyncio.TimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs each example's main coroutine on a virtual-time loop: the output must be the Python original's, line by
 * line, and the loop's clock must end where asyncio's would (overlapping sleeps overlap).
 */
class ExamplesTest {
    /** Held strongly: JUL keeps loggers only weakly. The runtime reports lost exceptions here. */
    private static final Logger JASYNCIO_LOG = Logger.getLogger("io.jasyncio");

    private final List<LogRecord> reports = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (reports) {
                reports.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureReports() {
        JASYNCIO_LOG.addHandler(capture);
    }

    @AfterEach
    void nothingReported() {
        JASYNCIO_LOG.removeHandler(capture);
        Asyncio.setEventLoop(null);
        synchronized (reports) {
            assertEquals(List.of(), reports.stream().map(r -> r.getMessage() + ": " + r.getThrown()).toList(),
                    "the runtime reported problems");
        }
    }

    /** What an example printed and when it finished. */
    private record Run(List<String> lines, double seconds) {
    }

    /** Runs {@code example.main(out)} with {@code runUntilComplete} on a new virtual-time loop, then closes it. */
    private static Run runVirtual(Example example) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        EventLoop loop = new EventLoop(TimeSource.virtual());
        try {
            loop.runUntilComplete(example.main(out));
        } finally {
            loop.close();
        }
        return new Run(lines(bytes), loop.time());
    }

    static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void greeting() {
        Run run = runVirtual(new Greeting());
        assertEquals(List.of("hello", "completed"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    /** Python printed 42 twice (and warned on stderr that the first nested() was never awaited). */
    @Test
    void awaitables_printsFortyTwoTwice() {
        Run run = runVirtual(new Awaitables());
        assertEquals(List.of("42", "42"), run.lines());
        assertEquals(0.0, run.seconds());
    }

    @Test
    void helloTwice_sleepsOverlap() {
        Run run = runVirtual(new HelloTwice());
        assertEquals(List.of("Hello", "Hello", "World", "World"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    @Test
    void fetch_theFailureReachesMainsCatch() {
        Run run = runVirtual(new Fetch());
        assertEquals(List.of(
                "Fetching data from https://example.com/page1",
                "Fetching data from https://example.com/page2",
                "Fetching data from https://example.com/page3",
                "Error occurred: Invalid URL"), run.lines());
        assertEquals(2.0, run.seconds());
    }

    @Test
    void futureCallback() {
        Run run = runVirtual(new FutureCallback());
        assertEquals(List.of(
                "waiting for the future",
                "compute(21) started",
                "compute(21) finished",
                "task done with 42, setting the future's result",
                "future result: 42",
                "callback added; it runs on the loop's next iteration, not now",
                "callback on a done future: 42",
                "done"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    @Test
    void sleepOneAndTwo() {
        Run run = runVirtual(new SleepOneAndTwo());
        assertEquals(List.of(
                "both tasks created",
                "task 1: sleeping 1 s",
                "task 2: sleeping 2 s",
                "task 1: finished after 1 s",
                "task 2: finished after 2 s",
                "results: [1, 2]"), run.lines());
        assertEquals(2.0, run.seconds());
    }

    @Test
    void loopStyle_mainCoroutine() {
        Run run = runVirtual(new LoopStyle());
        assertEquals(List.of("Hello ...", "... World!"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    @Test
    void loopStyle_runDrivesAndClosesTheCurrentLoop() {
        EventLoop loop = new EventLoop(TimeSource.virtual());
        Asyncio.setEventLoop(loop); // what getEventLoop() returns in LoopStyle.run
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LoopStyle().run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(List.of("Hello ...", "... World!"), lines(bytes));
        assertTrue(loop.isClosed());
        assertEquals(1.0, loop.time());
    }

    @Test
    void taskGroup_theScopeEndsWhenBothChildrenAreDone() {
        Run run = runVirtual(new TaskGroupSleeps());
        assertEquals(List.of(
                "both tasks created",
                "sleeping 2 s",
                "sleeping 3 s",
                "slept 2 s",
                "slept 3 s",
                "Both tasks have completed now: 2, 3"), run.lines());
        assertEquals(3.0, run.seconds());
    }

    @Test
    void waitForTimeout_theCleanupRunsBeforeTheTimeout() {
        Run run = runVirtual(new WaitForTimeout());
        assertEquals(List.of("slow(): cleaning up", "timeout!"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    @Test
    void runner_mainCoroutine() {
        Run run = runVirtual(new RunnerTwice());
        assertEquals(List.of("hello"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    @Test
    void runner_twoRunsOnOneLoop_closedAtTheEnd() {
        EventLoop loop = new EventLoop(TimeSource.virtual());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Runner runner = new Runner(() -> loop)) {
            new RunnerTwice().runTwice(runner, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertFalse(loop.isClosed());
        }
        assertEquals(List.of("hello", "hello", "both runs used the same loop"), lines(bytes));
        assertTrue(loop.isClosed());
        assertEquals(2.0, loop.time()); // the second run started where the first ended
    }

    /**
     * The blocking call really blocks a thread of the default executor, so this test gives it 50 ms instead of the
     * example's second. The output cannot depend on when that thread finishes (main awaits the call, then the
     * ticker, before it prints), and the virtual clock ends at the ticker's last sleep: 4 x 0.25 s.
     */
    @Test
    void runInExecutor_theLoopKeepsTickingWhileTheCallBlocks() {
        long start = System.nanoTime();
        Run run = runVirtual(new RunInExecutor(50));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(List.of(
                "main: running the blocking call in the default executor",
                "tick 0",
                "tick 1",
                "tick 2",
                "tick 3",
                "main: got the blocking call's result"), run.lines());
        assertEquals(1.0, run.seconds());
        assertTrue(seconds >= 0.05 && seconds < 1.0, "took " + seconds + " s");
    }

    @Test
    void exceptionHandler_theNeverAwaitedFailureIsReportedWhenTheLoopCloses() {
        Run run = runVirtual(new CustomExceptionHandler());
        assertEquals(List.of(
                "fail(): raising",
                "main: returning without looking at Task-2",
                "handler: Task exception was never retrieved",
                "handler: the exception: boom"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    /** As {@code Asyncio.run} does: a runner's close reports the failure, to the handler that main set. */
    @Test
    void exceptionHandler_theNeverAwaitedFailureIsReportedWhenTheRunnerCloses() {
        EventLoop loop = new EventLoop(TimeSource.virtual());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Runner runner = new Runner(() -> loop)) {
            runner.run(new CustomExceptionHandler().main(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        }
        assertEquals(List.of(
                "fail(): raising",
                "main: returning without looking at Task-2",
                "handler: Task exception was never retrieved",
                "handler: the exception: boom"), lines(bytes));
        assertTrue(loop.isClosed());
        assertEquals(1.0, loop.time());
    }

    @Test
    void cancel_finallyRunsAndTheAwaiterSeesTheMessage() {
        Run run = runVirtual(new CancelWorker());
        assertEquals(List.of(
                "worker: sleeping for an hour",
                "main: cancelling the worker",
                "worker: cleaning up",
                "main: the worker was cancelled: no more waiting",
                "main: task.cancelled() is true"), run.lines());
        assertEquals(1.0, run.seconds());
    }

    /** Python 3.13 printed these lines (see the javadoc of {@link ProducerConsumer}); the last item is done at 5 s. */
    @Test
    void producerConsumer_everyItemOnce_joinThenShutdown() {
        Run run = runVirtual(new ProducerConsumer());
        assertEquals(List.of(
                "producer 0: put p0-0 (size 1)",
                "producer 0: put p0-1 (size 2)",
                "producer 0: put p0-2 (size 3)",
                "producer 1: put p1-0 (size 4)",
                "producer 1: put p1-1 (size 5)",
                "consumer 0: got p0-0",
                "producer 1: put p1-2 (size 5)",
                "consumer 1: got p0-1",
                "producer 2: put p2-0 (size 5)",
                "consumer 0: got p0-2",
                "producer 2: put p2-1 (size 5)",
                "consumer 1: got p1-0",
                "producer 2: put p2-2 (size 5)",
                "all items put",
                "consumer 0: got p1-1",
                "consumer 1: got p1-2",
                "consumer 0: got p2-0",
                "consumer 1: got p2-1",
                "consumer 0: got p2-2",
                "all items done",
                "consumer 1: the queue is shut down",
                "consumer 0: the queue is shut down",
                "9 items consumed, each once: True"), run.lines());
        assertEquals(5.0, run.seconds());
    }

    /** Python printed these lines (see the javadoc of {@link RateLimit}): waves of three, 4 s for ten fetches. */
    @Test
    void rateLimit_neverMoreThanThreeAtOnce() {
        Run run = runVirtual(new RateLimit());
        assertEquals(List.of(
                "fetch 0: started (1 running)",
                "fetch 1: started (2 running)",
                "fetch 2: started (3 running)",
                "fetch 0: done",
                "fetch 1: done",
                "fetch 2: done",
                "fetch 3: started (1 running)",
                "fetch 4: started (2 running)",
                "fetch 5: started (3 running)",
                "fetch 3: done",
                "fetch 4: done",
                "fetch 5: done",
                "fetch 6: started (1 running)",
                "fetch 7: started (2 running)",
                "fetch 8: started (3 running)",
                "fetch 6: done",
                "fetch 7: done",
                "fetch 8: done",
                "fetch 9: started (1 running)",
                "fetch 9: done",
                "10 pages, at most 3 fetches at once"), run.lines());
        assertEquals(4.0, run.seconds());
    }

    @Test
    void everyExampleIsTested() {
        assertEquals(List.of("greeting", "awaitables", "hello-twice", "fetch", "future-callback", "sleep-1-and-2", "loop-style",
                        "task-group", "wait-for-timeout", "runner", "run-in-executor", "exception-handler", "cancel",
                        "producer-consumer", "rate-limit", "echo-server", "echo-client", "http-hello", "fetch-http",
                        "udp-echo", "tls-echo", "subprocess", "pipeline", "graceful-shutdown"),
                Main.EXAMPLES.stream().map(Example::name).toList());
    }
}
