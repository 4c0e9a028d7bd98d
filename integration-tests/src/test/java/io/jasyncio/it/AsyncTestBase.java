package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TimeSource;
import io.jasyncio.annotations.Async;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * Ordering tests in the style of kotlinx.coroutines' TestBase: {@link #expect(int)} asserts that steps happen in
 * the order of their numbers, {@link #finish(int)} marks the last one, {@link #expectUnreached()} fails. A test that
 * numbers its steps must reach {@code finish}; a test whose coroutine leaves tasks running fails too.
 */
public abstract class AsyncTestBase {
    private int step;
    private boolean finished;
    private final List<String> errors = new ArrayList<>();
    /** The loop of the current {@link #runTest}, on virtual time. */
    protected EventLoop loop;

    /** Asserts that this is step {@code n} (steps are numbered from 1). */
    protected void expect(int n) {
        int actual = ++step;
        if (actual != n) {
            String message = "expected step " + n + " but this is step " + actual;
            errors.add(message);
            fail(message);
        }
    }

    /** The last step: asserts it is step {@code n} and marks the test finished. */
    protected void finish(int n) {
        expect(n);
        finished = true;
    }

    /** Fails: this point must not be reached. */
    protected void expectUnreached() {
        String message = "this point must not be reached (after step " + step + ")";
        errors.add(message);
        fail(message);
    }

    /** Runs {@code main} on a fresh loop on virtual time, then fails if it left tasks that are not done. */
    protected <T> T runTest(Coroutine<T> main) {
        loop = new EventLoop(TimeSource.virtual());
        try {
            return loop.runUntilComplete(checkingLeaks(main));
        } finally {
            loop.close();
        }
    }

    @Async
    private <T> Coroutine<T> checkingLeaks(Coroutine<T> main) {
        T result = await(main);
        List<Task<?>> left = new ArrayList<>(Asyncio.allTasks());
        left.remove(Asyncio.currentTask());
        if (!left.isEmpty()) {
            fail("the test left tasks that are not done: " + left);
        }
        return done(result);
    }

    @AfterEach
    void checkSteps() {
        assertEquals(List.of(), errors, "ordering errors");
        if (step > 0 && !finished) {
            fail("the test numbered " + step + " steps but never reached finish()");
        }
    }

    /**
     * The number of the line of a test source in this package that ends with {@code // marker}, so that tests can
     * assert source lines in stack traces and reports without hard-coding them.
     *
     * @param file the source file's name, such as {@code "RulesTest.java"}
     * @param marker the marker text after {@code //}
     * @return the 1-based line number
     */
    protected static int lineOf(String file, String marker) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("src/test/java/io/jasyncio/it", file));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).endsWith("// " + marker)) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no line of " + file + " is marked " + marker);
    }
}
