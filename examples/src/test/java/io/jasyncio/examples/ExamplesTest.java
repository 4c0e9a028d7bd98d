package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
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
    void everyExampleIsTested() {
        assertEquals(List.of("greeting", "hello-twice", "fetch", "future-callback", "sleep-1-and-2", "loop-style"),
                Main.EXAMPLES.stream().map(Example::name).toList());
    }
}
