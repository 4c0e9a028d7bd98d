package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs coroutines on one event loop that it creates and closes; asyncio's {@code Runner}. Use it with
 * try-with-resources when a program runs several top-level coroutines on the same loop:
 * <pre>{@code
 * try (Runner runner = new Runner()) {
 *     runner.run(connect());
 *     runner.run(serve());       // same loop, so what connect() left (tasks, futures) is still usable
 * }
 * }</pre>
 * {@link Asyncio#run(Coroutine)} is a runner used once.
 *
 * <p>The loop is created on first use, in debug mode if asked, and made the thread's current loop
 * ({@link Asyncio#getEventLoop()}) until the runner closes. {@link #close()} cancels the tasks still pending and
 * waits for them, reports their failures to the loop's exception handler, shuts down the default executor
 * (waiting for its threads), and closes the loop.
 */
public final class Runner implements AutoCloseable {
    private enum State { CREATED, INITIALIZED, CLOSED }

    private final Boolean debug;
    private final Supplier<EventLoop> loopFactory;
    private State state = State.CREATED;
    private EventLoop loop;
    private EventLoop previousCurrent;
    private Context context;

    /** A runner on a new {@link EventLoop} on the system clock, debug mode as the loop's default. */
    public Runner() {
        this(null, null);
    }

    /**
     * A runner with debug mode on or off.
     *
     * @param debug whether the loop runs in debug mode ({@link EventLoop#setDebug(boolean)})
     */
    public Runner(boolean debug) {
        this(debug, null);
    }

    /**
     * A runner on loops made by {@code loopFactory}, such as {@code () -> new EventLoop(TimeSource.virtual())}.
     *
     * @param loopFactory makes the loop, once, on first use
     */
    public Runner(Supplier<EventLoop> loopFactory) {
        this(null, Objects.requireNonNull(loopFactory, "loopFactory"));
    }

    private Runner(Boolean debug, Supplier<EventLoop> loopFactory) {
        this.debug = debug;
        this.loopFactory = loopFactory;
    }

    /**
     * Runs {@code coroutine} in a task on the runner's loop until it is done, and returns its result.
     *
     * <p>While it runs, Ctrl-C (SIGINT) cancels the task, as in asyncio: its {@code finally} blocks run, and
     * {@code run} then throws {@link KeyboardInterrupt} (unless the task caught the cancellation and returned).
     * A second Ctrl-C does what SIGINT did before {@code run} started (the JVM's shutdown, exit status 130). The
     * previous SIGINT handler is back when {@code run} returns. One run at a time, in the whole JVM, handles
     * SIGINT; runs without it when another run holds it, when SIGINT is ignored, or under {@code -Xrs}.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param <T> the result type
     * @return the coroutine's result; its exception is thrown unchanged
     * @throws KeyboardInterrupt if a SIGINT cancelled the task
     * @throws IllegalStateException if the runner is closed, or an event loop already runs on this thread (run
     *                               cannot be nested: await the coroutine instead)
     */
    public <T> T run(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (EventLoop.running() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop: await the "
                    + "coroutine instead");
        }
        if (coroutine.started()) {
            throw new IllegalStateException("cannot run " + coroutine + ": it was already awaited");
        }
        EventLoop l = lazyInit();
        Task<T> task = l.createTask(coroutine, null, context);
        Sigint sigint = Sigint.install(l, task);
        try {
            return l.runUntilComplete(task);
        } catch (CancelledError e) {
            if (sigint != null && sigint.interrupted() && task.uncancel() == 0) {
                throw new KeyboardInterrupt(e);
            }
            throw e;
        } finally {
            if (sigint != null) {
                sigint.restore();
            }
        }
    }

    /**
     * The runner's loop, created if needed.
     *
     * @return the loop
     * @throws IllegalStateException if the runner is closed
     */
    public EventLoop getLoop() {
        return lazyInit();
    }

    /**
     * Cancels and awaits the tasks left on the loop, reports their failures, shuts down the default executor and
     * waits for it, then closes the loop. Calling it again, or on a runner that never ran, has no effect
     * beyond marking it closed.
     */
    @Override
    public void close() {
        if (state != State.INITIALIZED) {
            state = State.CLOSED;
            return;
        }
        EventLoop l = loop;
        try {
            cancelAllTasks(l);
            l.runUntilComplete(l.shutdownDefaultExecutor());
        } finally {
            if (Asyncio.currentEventLoop() == l) {
                Asyncio.setEventLoop(previousCurrent);
            }
            l.close();
            loop = null;
            state = State.CLOSED;
        }
    }

    @Override
    public String toString() {
        return "<Runner " + state.name().toLowerCase(java.util.Locale.ROOT) + (loop == null ? "" : " " + loop) + ">";
    }

    private EventLoop lazyInit() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Runner is closed");
        }
        if (state == State.INITIALIZED) {
            return loop;
        }
        EventLoop l = loopFactory == null ? new EventLoop() : loopFactory.get();
        if (l == null || l.isClosed()) {
            throw new IllegalStateException("the loop factory of " + this + " returned " + (l == null ? "null" : "a closed loop"));
        }
        if (debug != null) {
            l.setDebug(debug);
        }
        previousCurrent = Asyncio.currentEventLoop();
        Asyncio.setEventLoop(l);
        context = Context.copyContext();
        loop = l;
        state = State.INITIALIZED;
        return l;
    }

    /** Cancels every pending task of {@code loop}, runs the loop until they are done, reports their failures. */
    static void cancelAllTasks(EventLoop loop) {
        List<Task<?>> tasks = loop.liveTasks();
        if (tasks.isEmpty()) {
            return;
        }
        for (Task<?> t : tasks) {
            t.cancel();
        }
        loop.runUntilComplete(new GatheringFuture<>(loop, new ArrayList<>(tasks), true));
        for (Task<?> t : tasks) {
            if (t.state != Future.CANCELLED && t.exception != null) {
                t.markRetrieved();
                loop.callExceptionHandler(new ExceptionContext("unhandled exception during shutdown of the event "
                        + "loop (Asyncio.run() or Runner.close()): " + t, t.exception, t, null, loop.originOf(t)));
            }
        }
    }
}
