package io.jasyncio.junit;

import io.jasyncio.AsyncFunction;
import io.jasyncio.Coroutine;

/**
 * {@link AsyncTest}'s checks for a test method that returns {@code void}: the body, an async lambda, runs on a
 * fresh loop in the same way, and the call fails as the test would. For JUnit Jupiter 5.13 and later, which do not
 * run an {@code @AsyncTest} (see there), and for any other test framework.
 * <pre>{@code
 * @Test
 * void retriesAfterAMinute() throws Exception {
 *     AsyncTests.runTest(clock -> {
 *         await(sleep(60));
 *         assertEquals(60.0, clock.now());
 *         return done();
 *     });
 * }
 * }</pre>
 * The loop is {@code Asyncio.getRunningLoop()} inside the body. Settings: {@code AsyncTests.realTime()},
 * {@code AsyncTests.virtualTime().timeout(10).blockLimit(0.2)}; instances are immutable.
 */
public final class AsyncTests {
    private final boolean realTime;
    private final double timeout;
    private final double blockLimit;

    private AsyncTests(boolean realTime, double timeout, double blockLimit) {
        this.realTime = realTime;
        this.timeout = timeout;
        this.blockLimit = blockLimit;
    }

    /** {@return the defaults of {@link AsyncTest}: virtual time, no timeout, a block limit of 1 second} */
    public static AsyncTests virtualTime() {
        return new AsyncTests(false, 0, 1);
    }

    /** {@return as {@link #virtualTime()}, on real time (as {@link RealTime})} */
    public static AsyncTests realTime() {
        return new AsyncTests(true, 0, 1);
    }

    /**
     * As {@link AsyncTest#timeout()}.
     *
     * @param seconds the timeout in seconds of loop time; zero or less for none
     * @return these settings with that timeout
     */
    public AsyncTests timeout(double seconds) {
        return new AsyncTests(realTime, seconds, blockLimit);
    }

    /**
     * As {@link AsyncTest#blockLimit()}.
     *
     * @param seconds the longest a callback or step may run, in seconds of real time; zero or less for no limit
     * @return these settings with that limit
     */
    public AsyncTests blockLimit(double seconds) {
        return new AsyncTests(realTime, timeout, seconds);
    }

    /**
     * Runs {@code body} on virtual time with the defaults: {@code virtualTime().run(body)}.
     *
     * @param body the test, given the loop's clock
     * @param <T> the body's result type
     * @return the body's result
     * @throws Exception the body's exception, unchanged, or an {@link AssertionError} for what it left behind
     */
    public static <T> T runTest(AsyncFunction<TestClock, T> body) throws Exception {
        return virtualTime().run(body);
    }

    /**
     * Runs {@code body} as the only task of a fresh loop with these settings, and checks what {@link AsyncTest}
     * checks.
     *
     * @param body the test, given the loop's clock
     * @param <T> the body's result type
     * @return the body's result
     * @throws Exception the body's exception, unchanged, or an {@link AssertionError} for what it left behind
     */
    public <T> T run(AsyncFunction<TestClock, T> body) throws Exception {
        TestRun run = new TestRun(callerName(), realTime, timeout, blockLimit);
        try {
            Coroutine<T> test = body.apply(run.clock);
            if (test == null) {
                throw new NullPointerException("the body of runTest returned null instead of a coroutine");
            }
            @SuppressWarnings("unchecked") // the result of the body's coroutine
            T result = (T) run.execute(test);
            return result;
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        } finally {
            run.close();
        }
    }

    /** {@return the name of the method that called {@code run} or {@code runTest}: the test's task is named so} */
    private static String callerName() {
        String name = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(AsyncTests.class.getName()))
                .findFirst().map(StackWalker.StackFrame::getMethodName).orElse("runTest"));
        if (name.startsWith("lambda$")) { // lambda$test$3, in a lambda of the test (assertThrows(..., () -> ...))
            int end = name.lastIndexOf('$');
            name = end > "lambda$".length() ? name.substring("lambda$".length(), end) : name;
        }
        return name;
    }

    @Override
    public String toString() {
        return "AsyncTests(" + (realTime ? "real" : "virtual") + " time, timeout=" + timeout + ", blockLimit="
                + blockLimit + ")";
    }
}
