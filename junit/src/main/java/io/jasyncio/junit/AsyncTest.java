package io.jasyncio.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit Jupiter test written as a coroutine: the method is {@code @Async} and returns {@code Coroutine<?>}; it
 * runs as the only task of a fresh {@link io.jasyncio.EventLoop} made for it, on virtual time unless the method
 * or its class is {@link RealTime @RealTime} (an hour of {@code sleep} then takes no real time, and every timer
 * fires in the order and at the loop time it would for real). Parameters of type {@link io.jasyncio.EventLoop}
 * and {@link TestClock} are that loop and its clock.
 * <pre>{@code
 * @AsyncTest
 * @Async
 * Coroutine<Void> retriesAfterAMinute(TestClock clock) {
 *     await(sleep(60));
 *     assertEquals(60.0, clock.now());
 *     return done();
 * }
 * }</pre>
 *
 * <p>The loop runs in debug mode, and the test fails, naming the culprit and where it was created, when it leaves
 * a task running (the task is then cancelled and its cleanup run), a task or future exception nobody retrieved, a
 * coroutine never awaited, or a callback that threw; and when a callback or a task step blocked the loop for more
 * than {@link #blockLimit()} seconds of real time. It fails after {@link #timeout()} seconds of loop time (virtual
 * unless {@code @RealTime}), or on virtual time as soon as it waits for something that can never happen,
 * cancelling the test's task and naming the lines where it was suspended.
 *
 * <h2>Why a test factory</h2>
 * <p>JUnit Jupiter runs {@code @Test} methods only when they return {@code void}, so {@code @AsyncTest} is
 * meta-annotated with {@link TestFactory @TestFactory} instead: the method shows in reports as a container with
 * one test, named {@code virtual time} or {@code real time}, that runs the coroutine. Jupiter 5.13 and later check
 * the return type of a test factory when they discover it and skip one that returns a {@code Coroutine}, with the
 * warning "{@code @TestFactory method '...' must return a single DynamicNode or a Stream ... It will not be
 * executed}": {@code @AsyncTest} needs Jupiter 5.8 to 5.12. With a later Jupiter (or another framework), write a
 * {@code void} test that calls {@link AsyncTests#runTest}, which makes the same checks. A method annotated
 * {@code @AsyncTest} that returns {@code void} is not a test factory either, and is not run: write
 * {@code @Async Coroutine<Void>}.
 * {@code @BeforeEach} and {@code @AfterEach} methods run before and after it, outside the loop.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestFactory
@ExtendWith(AsyncTestExtension.class)
public @interface AsyncTest {
    /**
     * How long the test may run, in seconds of loop time (virtual time, unless {@link RealTime}); then its task is
     * cancelled and the test fails with where it was suspended. On virtual time a test that waits for something
     * that never happens reaches its deadline at once. Zero (the default) or less: no limit; on virtual time such a
     * test still fails, at once, when the loop has nothing left to run (no timer, no I/O, no work on another
     * thread) before the test is done, instead of hanging.
     *
     * @return the timeout in seconds; 0 (none) by default
     */
    double timeout() default 0;

    /**
     * The longest a single callback or task step may run, in seconds of real time, before the test fails for
     * blocking the loop (debug mode's slow-callback report, made when the step returns). A step that has not
     * returned after ten times this limit (a deadlock, a {@code get()} of a future that needs the loop) is named
     * with where the loop's thread is, on {@code System.err} and in the failure, and the thread is interrupted, so
     * that a blocking call that can be interrupted ends and the test fails instead of hanging. Zero or less: no
     * limit and no watchdog.
     *
     * @return the limit in seconds; 1 by default
     */
    double blockLimit() default 1;
}
