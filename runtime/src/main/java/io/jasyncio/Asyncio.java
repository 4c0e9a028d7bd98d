package io.jasyncio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The entry points of jasyncio, named after asyncio's module functions. Import them statically:
 * <pre>{@code
 * import static io.jasyncio.Asyncio.*;
 *
 * @Async Coroutine<String> fetch(String url) {
 *     await(sleep(1.0));
 *     return done("data from " + url);
 * }
 *
 * public static void main(String[] args) {
 *     List<String> pages = Asyncio.run(gatherAll());
 * }
 * }</pre>
 *
 * <p>{@code await} and {@code done} have their meaning only inside {@code @Async} methods woven by the
 * transformer; reached in code that was not woven they throw {@link NotWovenException}.
 */
public final class Asyncio {
    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();

    private Asyncio() {
    }

    // ---- await and done: given their meaning by the transformer ---------------------------------------------

    /**
     * Suspends the calling coroutine until {@code coroutine} has run (inline, in the same task) and returns its
     * result; its exception is thrown here unchanged.
     *
     * @param coroutine a coroutine that was not awaited before
     * @param <T> the result type
     * @return the coroutine's result
     */
    public static <T> T await(Coroutine<T> coroutine) {
        throw notWoven("await");
    }

    /**
     * Suspends the calling coroutine until {@code future} is done and returns its result; its exception (or a
     * {@link CancelledError}) is thrown here unchanged. A done future does not suspend.
     *
     * @param future a future or task of the running loop
     * @param <T> the result type
     * @return the future's result
     */
    public static <T> T await(Future<T> future) {
        throw notWoven("await");
    }

    /**
     * Suspends the calling coroutine until {@code awaitable} is done and returns its result.
     *
     * @param awaitable a coroutine or a future
     * @param <T> the result type
     * @return the result
     */
    public static <T> T await(Awaitable<T> awaitable) {
        throw notWoven("await");
    }

    /**
     * Suspends the calling coroutine until {@code stage} completes, on any thread, and returns its result; the
     * coroutine resumes on its own loop's thread. A {@link java.util.concurrent.CompletionException} is unwrapped:
     * its cause is thrown here.
     *
     * @param stage any {@code CompletionStage}, such as a {@code CompletableFuture} or
     *              {@code HttpClient.sendAsync(...)}
     * @param <T> the result type
     * @return the stage's result
     */
    public static <T> T await(CompletionStage<T> stage) {
        throw notWoven("await");
    }

    /**
     * The result of an {@code @Async} method: write {@code return done(value);}.
     *
     * @param value the coroutine's result
     * @param <T> the result type
     * @return (in woven code) nothing: the transformer makes {@code value} the coroutine's result
     */
    public static <T> Coroutine<T> done(T value) {
        throw notWoven("done");
    }

    /**
     * The end of an {@code @Async} method with no result: write {@code return done();}.
     *
     * @return (in woven code) nothing: the coroutine's result is {@code null}
     */
    public static Coroutine<Void> done() {
        throw notWoven("done");
    }

    private static NotWovenException notWoven(String what) {
        StackTraceElement caller = StackWalker.getInstance()
                .walk(s -> s.skip(2).findFirst().map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
        String where = caller == null ? "a method" : caller.getClassName() + "." + caller.getMethodName()
                + (caller.getFileName() == null ? "" : " (" + caller.getFileName() + ":" + caller.getLineNumber() + ")");
        return new NotWovenException(what + "() was called in " + where + ", which was not woven by the jasyncio "
                + "transformer. Mark the method @Async and weave its class: add jasyncio-maven-plugin with the goals "
                + "'transform' and 'transform-tests' to the build, or run with -javaagent:jasyncio-transformer.jar.");
    }

    // ---- running ---------------------------------------------------------------------------------------------

    /**
     * Runs {@code main} on a new event loop and returns its result; asyncio's {@code run()}. When {@code main} is
     * done, the tasks still pending are cancelled and awaited, and the loop is closed.
     *
     * @param main the program's main coroutine
     * @param <T> the result type
     * @return the result of {@code main}
     * @throws IllegalStateException if an event loop is already running on this thread
     */
    public static <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.running() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop");
        }
        EventLoop loop = new EventLoop();
        EventLoop previous = CURRENT.get();
        CURRENT.set(loop);
        try {
            return loop.runUntilComplete(main);
        } finally {
            try {
                cancelAllTasks(loop);
            } finally {
                CURRENT.set(previous);
                loop.close();
            }
        }
    }

    private static void cancelAllTasks(EventLoop loop) {
        List<Task<?>> tasks = loop.liveTasks();
        if (tasks.isEmpty()) {
            return;
        }
        for (Task<?> t : tasks) {
            t.cancel();
        }
        GatheringFuture<Object> all = new GatheringFuture<>(loop, new ArrayList<>(tasks), true);
        loop.runUntilComplete(all);
        for (Task<?> t : tasks) {
            if (!t.cancelled() && t.exception != null) {
                t.markRetrieved();
                loop.reportException("unhandled exception during Asyncio.run() shutdown: " + t, t.exception);
            }
        }
    }

    /**
     * The event loop running on this thread.
     *
     * @return the running loop
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static EventLoop getRunningLoop() {
        EventLoop loop = EventLoop.running();
        if (loop == null) {
            throw new IllegalStateException("no running event loop");
        }
        return loop;
    }

    /**
     * The running loop if there is one; otherwise this thread's current loop, which is created (and remembered
     * for this thread) on first use. For the {@code getEventLoop().runUntilComplete(...)} style of programs.
     *
     * @return the loop
     */
    public static EventLoop getEventLoop() {
        EventLoop loop = EventLoop.running();
        if (loop != null) {
            return loop;
        }
        loop = CURRENT.get();
        if (loop == null || loop.isClosed()) {
            loop = new EventLoop();
            CURRENT.set(loop);
        }
        return loop;
    }

    /**
     * Makes {@code loop} this thread's current loop, returned by {@link #getEventLoop()} while no loop runs.
     *
     * @param loop the loop, or {@code null} to forget the current one
     */
    public static void setEventLoop(EventLoop loop) {
        if (loop == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(loop);
        }
    }

    /** {@return a new event loop on the system clock; the caller closes it} */
    public static EventLoop newEventLoop() {
        return new EventLoop();
    }

    // ---- tasks -----------------------------------------------------------------------------------------------

    /**
     * Wraps {@code coroutine} in a task on the running loop and schedules its first step.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param <T> the result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return getRunningLoop().createTask(coroutine, null);
    }

    /**
     * Wraps {@code coroutine} in a task named {@code name} on the running loop.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param name the task's name
     * @param <T> the result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return getRunningLoop().createTask(coroutine, name);
    }

    /** {@return the task running now on this thread's loop, or {@code null} between tasks or with no loop} */
    public static Task<?> currentTask() {
        EventLoop loop = EventLoop.running();
        return loop == null ? null : loop.currentTask;
    }

    /** {@return the tasks of the running loop that are not done yet} */
    public static List<Task<?>> allTasks() {
        return getRunningLoop().liveTasks();
    }

    // ---- sleep -----------------------------------------------------------------------------------------------

    /**
     * A coroutine that completes after {@code seconds}; {@code sleep(0)} yields to the loop for exactly one
     * iteration.
     *
     * @param seconds how long; zero or negative means one iteration
     * @return the coroutine
     * @throws IllegalArgumentException if {@code seconds} is NaN
     */
    public static Coroutine<Void> sleep(double seconds) {
        return new Sleep<>(EventLoop.toNanos(seconds), null);
    }

    /**
     * A coroutine that completes with {@code result} after {@code seconds}.
     *
     * @param seconds how long; zero or negative means one iteration
     * @param result the coroutine's result
     * @param <T> the result type
     * @return the coroutine
     * @throws IllegalArgumentException if {@code seconds} is NaN
     */
    public static <T> Coroutine<T> sleep(double seconds, T result) {
        return new Sleep<>(EventLoop.toNanos(seconds), result);
    }

    /**
     * A coroutine that completes after {@code duration}.
     *
     * @param duration how long; zero or negative means one iteration
     * @return the coroutine
     */
    public static Coroutine<Void> sleep(Duration duration) {
        return new Sleep<>(durationNanos(duration), null);
    }

    /**
     * A coroutine that completes with {@code result} after {@code duration}.
     *
     * @param duration how long; zero or negative means one iteration
     * @param result the coroutine's result
     * @param <T> the result type
     * @return the coroutine
     */
    public static <T> Coroutine<T> sleep(Duration duration, T result) {
        return new Sleep<>(durationNanos(duration), result);
    }

    private static long durationNanos(Duration d) {
        if (d.isNegative() || d.isZero()) {
            return 0;
        }
        return d.compareTo(Duration.ofDays(365L * 100)) > 0 ? Long.MAX_VALUE / 2 : d.toNanos();
    }

    // ---- gather ----------------------------------------------------------------------------------------------

    /**
     * Runs the awaitables concurrently and completes with their results in argument order; asyncio's
     * {@code gather()}. Coroutines are wrapped in tasks. The first exception of a child is thrown to the awaiter at
     * once; the other children keep running. Cancelling the returned future cancels every child.
     *
     * @param awaitables coroutines, tasks or futures of the running loop
     * @param <T> the common result type
     * @return a future of the results
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Awaitable<? extends T>... awaitables) {
        List<Awaitable<? extends T>> list = new ArrayList<>(awaitables.length);
        for (Awaitable<? extends T> a : awaitables) {
            list.add(a);
        }
        return gather(list);
    }

    /**
     * As {@link #gather(Awaitable[])}, for a collection.
     *
     * @param awaitables coroutines, tasks or futures of the running loop
     * @param <T> the common result type
     * @return a future of the results
     */
    public static <T> Future<List<T>> gather(Collection<? extends Awaitable<? extends T>> awaitables) {
        return gather(awaitables, false);
    }

    /**
     * As {@link #gather(Collection)}; with {@code returnExceptions}, a child's exception (a cancellation too)
     * takes its place in the results instead of being thrown.
     *
     * @param awaitables coroutines, tasks or futures of the running loop
     * @param returnExceptions whether exceptions are returned as results
     * @param <T> the common result type
     * @return a future of the results; with {@code returnExceptions} the list may hold {@link Throwable}s
     */
    public static <T> Future<List<T>> gather(Collection<? extends Awaitable<? extends T>> awaitables,
                                             boolean returnExceptions) {
        EventLoop loop = getRunningLoop();
        List<Future<?>> children = new ArrayList<>(awaitables.size());
        long before = loop.lastTaskId();
        for (Awaitable<? extends T> a : awaitables) {
            if (a instanceof Coroutine && ((Coroutine<?>) a).task != null && ((Coroutine<?>) a).task.id > before) {
                // the same coroutine twice runs once and its result appears twice: a task made by this very call
                // (its id is newer than the call) holds it already
                children.add(((Coroutine<?>) a).task);
            } else {
                children.add(loop.ensureFuture(a));
            }
        }
        return new GatheringFuture<>(loop, children, returnExceptions);
    }
}
