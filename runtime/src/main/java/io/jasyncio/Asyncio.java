package io.jasyncio;

import java.io.IOException;
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
        StackWalker.StackFrame caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(s -> s.skip(2).findFirst().orElse(null));
        StackTraceElement at = caller == null ? null : caller.toStackTraceElement();
        String where = at == null ? "a method" : at.getClassName() + "." + at.getMethodName()
                + (at.getFileName() == null ? "" : " (" + at.getFileName() + ":" + at.getLineNumber() + ")");
        return new NotWovenException(io.jasyncio.internal.NotWovenDiagnosis.message(what, where,
                caller == null ? null : caller.getDeclaringClass()));
    }

    // ---- running ---------------------------------------------------------------------------------------------

    /**
     * Starts {@code program} with {@code args}, its standard streams inherited from this JVM; asyncio's
     * {@code create_subprocess_exec}. The program is looked up on the {@code PATH} as {@link ProcessBuilder} does;
     * no shell is involved.
     *
     * @param program the program
     * @param args    its arguments
     * @return a coroutine of the started child
     * @throws IOException (from the coroutine) when the program cannot be run; the message names it
     */
    public static Coroutine<AsyncProcess> createSubprocessExec(String program, String... args) throws IOException {
        return createSubprocessExec(SubprocessOptions.defaults(), program, args);
    }

    /**
     * As {@link #createSubprocessExec(String, String...)}, with {@code options}: pipes ({@link Stdio#PIPE}),
     * working directory, environment and the readers' limit.
     *
     * <pre>{@code
     * AsyncProcess p = await(createSubprocessExec(SubprocessOptions.pipes(), "cat"));
     * }</pre>
     *
     * @param options how to start it
     * @param program the program
     * @param args    its arguments
     * @return a coroutine of the started child
     * @throws IOException (from the coroutine) when the program cannot be run; the message names it
     */
    public static Coroutine<AsyncProcess> createSubprocessExec(SubprocessOptions options, String program,
                                                             String... args) throws IOException {
        Objects.requireNonNull(options, "options");
        List<String> command = new ArrayList<>(args.length + 1);
        command.add(Objects.requireNonNull(program, "program"));
        for (String a : args) {
            command.add(Objects.requireNonNull(a, "an argument is null"));
        }
        return new AsyncProcess.Start(options, command);
    }

    /**
     * Runs {@code cmd} with the system shell ({@code /bin/sh -c cmd}), its standard streams inherited; asyncio's
     * {@code create_subprocess_shell}. Quoting what goes into {@code cmd} is the caller's job.
     *
     * @param cmd the shell command
     * @return a coroutine of the started shell
     * @throws IOException (from the coroutine) when the shell cannot be run
     */
    public static Coroutine<AsyncProcess> createSubprocessShell(String cmd) throws IOException {
        return createSubprocessShell(SubprocessOptions.defaults(), cmd);
    }

    /**
     * As {@link #createSubprocessShell(String)}, with {@code options}.
     *
     * @param options how to start it
     * @param cmd     the shell command
     * @return a coroutine of the started shell
     * @throws IOException (from the coroutine) when the shell cannot be run
     */
    public static Coroutine<AsyncProcess> createSubprocessShell(SubprocessOptions options, String cmd)
            throws IOException {
        return createSubprocessExec(options, "/bin/sh", "-c", Objects.requireNonNull(cmd, "cmd"));
    }

    /**
     * Runs {@code main} on a new event loop and returns its result; asyncio's {@code run()}. When {@code main} is
     * done, the tasks still pending are cancelled and awaited (their failures reported to the loop's exception
     * handler), the default executor is shut down and waited for, and the loop is closed. The same as
     * {@code try (Runner r = new Runner()) { return r.run(main); }}.
     *
     * <p>Ctrl-C (SIGINT) cancels {@code main}, whose {@code finally} blocks run, and then this throws
     * {@link KeyboardInterrupt}; a second Ctrl-C during the cleanup ends the JVM at once (see
     * {@link Runner#run}).
     *
     * @param main the program's main coroutine
     * @param <T> the result type
     * @return the result of {@code main}; its exception is thrown unchanged
     * @throws IllegalStateException if an event loop is already running on this thread
     * @throws KeyboardInterrupt if a SIGINT cancelled {@code main}
     */
    public static <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.running() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop: await the "
                    + "coroutine instead");
        }
        try (Runner runner = new Runner()) {
            return runner.run(main);
        }
    }

    /**
     * As {@link #run(Coroutine)}, with the loop's debug mode on or off ({@link EventLoop#setDebug(boolean)}).
     *
     * @param main the program's main coroutine
     * @param debug whether the loop runs in debug mode
     * @param <T> the result type
     * @return the result of {@code main}
     * @throws IllegalStateException if an event loop is already running on this thread
     */
    public static <T> T run(Coroutine<T> main, boolean debug) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.running() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop: await the "
                    + "coroutine instead");
        }
        try (Runner runner = new Runner(debug)) {
            return runner.run(main);
        }
    }

    /** {@return this thread's current loop as set by {@link #setEventLoop}, or {@code null}} */
    static EventLoop currentEventLoop() {
        return CURRENT.get();
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

    /**
     * Wraps {@code coroutine} in a task named {@code name} on the running loop, running in {@code context}.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param name the task's name, or {@code null}
     * @param context the context to run in (not a copy), or {@code null} for a copy of the current one
     * @param <T> the result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        return getRunningLoop().createTask(coroutine, name, context);
    }

    /** {@return the task running now on this thread's loop, or {@code null} between tasks or with no loop} */
    public static Task<?> currentTask() {
        EventLoop loop = EventLoop.running();
        return loop == null ? null : loop.currentTask;
    }

    /**
     * The task running now on {@code loop}.
     *
     * @param loop the loop
     * @return its running task, or {@code null} between tasks
     */
    public static Task<?> currentTask(EventLoop loop) {
        loop.checkThread("Asyncio.currentTask");
        return loop.currentTask;
    }

    /** {@return the tasks of the running loop that are not done yet} */
    public static List<Task<?>> allTasks() {
        return getRunningLoop().liveTasks();
    }

    /**
     * The tasks of {@code loop} that are not done yet.
     *
     * @param loop the loop
     * @return its pending tasks, oldest last
     */
    public static List<Task<?>> allTasks(EventLoop loop) {
        loop.checkThread("Asyncio.allTasks");
        return loop.liveTasks();
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
        long nanos = EventLoop.toNanos(seconds);
        return nanos == 0 ? new Yield<>(null) : new Sleep<>(nanos, null);
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
        long nanos = EventLoop.toNanos(seconds);
        return nanos == 0 ? new Yield<>(result) : new Sleep<>(nanos, result);
    }

    /**
     * A coroutine that completes after {@code duration}.
     *
     * @param duration how long; zero or negative means one iteration
     * @return the coroutine
     */
    public static Coroutine<Void> sleep(Duration duration) {
        long nanos = durationNanos(duration);
        return nanos == 0 ? new Yield<>(null) : new Sleep<>(nanos, null);
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
        long nanos = durationNanos(duration);
        return nanos == 0 ? new Yield<>(result) : new Sleep<>(nanos, result);
    }

    /** {@return {@code d} in seconds, saturating far beyond any real delay} */
    static double seconds(Duration d) {
        Objects.requireNonNull(d, "duration");
        return d.getSeconds() + d.getNano() / 1e9;
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
        for (Awaitable<? extends T> a : awaitables) {
            // before any coroutine becomes a task: a null later in the list must not leave earlier ones running
            Objects.requireNonNull(a, "an awaitable in the collection is null");
        }
        // One pass over the children, each wrapped (a coroutine) and registered in turn, as asyncio's gather does:
        // with a million tasks, a second pass over them had cost a cache miss per task (W2, W4).
        GatheringFuture<T> gathering = new GatheringFuture<>(loop, awaitables.size(), returnExceptions);
        long before = loop.lastTaskId();
        try {
            for (Awaitable<? extends T> a : awaitables) {
                if (a instanceof Coroutine && ((Coroutine<?>) a).task != null && ((Coroutine<?>) a).task.id > before) {
                    // the same coroutine twice runs once and its result appears twice: a task made by this very
                    // call (its id is newer than the call) holds it already
                    gathering.add(((Coroutine<?>) a).task);
                } else {
                    gathering.add(loop.ensureFuture(a));
                }
            }
        } catch (RuntimeException | Error e) { // a future of another loop, a coroutine already awaited, ...
            gathering.abandon();
            throw e;
        }
        gathering.started();
        return gathering;
    }

    // ---- timeouts --------------------------------------------------------------------------------------------

    /**
     * Awaits {@code awaitable} for at most {@code timeout} seconds; asyncio's {@code wait_for}. On expiry the work
     * is cancelled (a coroutine, which runs inline in the awaiting task, gets the {@link CancelledError} at its
     * {@code await}; a task or future is cancelled), {@code waitFor} waits until that cancellation is done
     * (so {@code finally} blocks have run), then throws {@link TimeoutException} whose cause is the
     * {@code CancelledError}. If the work suppresses the cancellation and returns a value, that value is returned.
     * Cancelling the task that awaits {@code waitFor} cancels the work too.
     *
     * @param awaitable a coroutine, task or future
     * @param timeout seconds; zero or less times out at once without starting a coroutine (a done future still
     *                gives its result); {@code Double.POSITIVE_INFINITY} means no timeout
     * @param <T> the result type
     * @return a coroutine of the result
     * @throws IllegalArgumentException if {@code timeout} is NaN
     */
    public static <T> Coroutine<T> waitFor(Awaitable<T> awaitable, double timeout) {
        Objects.requireNonNull(awaitable, "awaitable");
        if (Double.isNaN(timeout)) {
            throw new IllegalArgumentException("waitFor(): the timeout must not be NaN");
        }
        if (timeout <= 0) {
            return new Combinators.CancelAndWait<>(awaitable);
        }
        if (timeout == Double.POSITIVE_INFINITY) {
            return awaitable instanceof Coroutine ? (Coroutine<T>) awaitable : new Combinators.Awaiter<>(awaitable);
        }
        return new Timeout.TimeoutScope<>(Timeout.after(timeout), awaitable);
    }

    /**
     * As {@link #waitFor(Awaitable, double)}, with the timeout as a {@link Duration}.
     *
     * @param awaitable a coroutine, task or future
     * @param timeout how long
     * @param <T> the result type
     * @return a coroutine of the result
     */
    public static <T> Coroutine<T> waitFor(Awaitable<T> awaitable, Duration timeout) {
        return waitFor(awaitable, seconds(timeout));
    }

    /**
     * Runs {@code body} with a deadline {@code delay} seconds from the scope's start; asyncio's
     * {@code async with asyncio.timeout(delay)}. If the deadline passes, the task is cancelled, and when the body
     * ends with that cancellation the scope throws {@link TimeoutException} (cause: the {@link CancelledError})
     * instead. The body may catch the cancellation (its {@code finally} blocks run). The {@link Timeout} handed to
     * the body can move the deadline. Only the scope whose deadline passed throws: an enclosing one sees a normal
     * outcome; a cancellation from elsewhere stays a cancellation.
     * <pre>{@code
     * String page = await(timeout(5, t -> fetch(url)));
     * }</pre>
     *
     * @param delay seconds from the scope's start; zero or less expires at the body's first suspension;
     *              {@code Double.POSITIVE_INFINITY} means no deadline
     * @param body the scope's body
     * @param <T> the body's result type
     * @return a coroutine of the body's result
     * @throws IllegalArgumentException if {@code delay} is NaN
     */
    public static <T> Coroutine<T> timeout(double delay, AsyncFunction<Timeout, T> body) {
        return new Timeout.TimeoutScope<>(Timeout.after(delay), body);
    }

    /**
     * As {@link #timeout(double, AsyncFunction)}, with the delay as a {@link Duration}.
     *
     * @param delay how long from the scope's start
     * @param body the scope's body
     * @param <T> the body's result type
     * @return a coroutine of the body's result
     */
    public static <T> Coroutine<T> timeout(Duration delay, AsyncFunction<Timeout, T> body) {
        return timeout(seconds(delay), body);
    }

    /**
     * As {@link #timeout(double, AsyncFunction)}, with an absolute deadline; asyncio's {@code timeout_at}.
     *
     * @param when the deadline in loop time ({@link EventLoop#time()}); {@code Double.POSITIVE_INFINITY} for none
     * @param body the scope's body
     * @param <T> the body's result type
     * @return a coroutine of the body's result
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public static <T> Coroutine<T> timeoutAt(double when, AsyncFunction<Timeout, T> body) {
        return new Timeout.TimeoutScope<>(Timeout.at(when), body);
    }

    // ---- wait, asCompleted, shield ---------------------------------------------------------------------------

    /**
     * Waits until the futures are done as {@code when} says, and returns which are done and which are pending;
     * asyncio's {@code wait}. It never throws a future's exception and cancels nothing, also when the task awaiting
     * it is cancelled.
     *
     * @param futures futures or tasks of the running loop (a future given twice counts once)
     * @param when when to return
     * @param <T> the common result type
     * @return a coroutine of the (done, pending) sets
     * @throws IllegalArgumentException if {@code futures} is empty
     */
    public static <T> Coroutine<WaitResult<T>> wait(Collection<? extends Future<? extends T>> futures, ReturnWhen when) {
        return wait(futures, when, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #wait(Collection, ReturnWhen)}, returning after at most {@code timeout} seconds (without
     * throwing: what is not done is in {@code pending()}).
     *
     * @param futures futures or tasks of the running loop
     * @param when when to return
     * @param timeout seconds; {@code Double.POSITIVE_INFINITY} for none
     * @param <T> the common result type
     * @return a coroutine of the (done, pending) sets
     * @throws IllegalArgumentException if {@code futures} is empty or {@code timeout} is NaN
     */
    public static <T> Coroutine<WaitResult<T>> wait(Collection<? extends Future<? extends T>> futures, ReturnWhen when,
                                                    double timeout) {
        Objects.requireNonNull(futures, "futures");
        Objects.requireNonNull(when, "when");
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("wait(): the collection of futures is empty");
        }
        if (Double.isNaN(timeout)) {
            throw new IllegalArgumentException("wait(): the timeout must not be NaN");
        }
        java.util.Set<Future<T>> set = new java.util.LinkedHashSet<>();
        for (Future<? extends T> f : futures) {
            @SuppressWarnings("unchecked") Future<T> t = (Future<T>) Objects.requireNonNull(f, "a future in the collection is null");
            set.add(t);
        }
        return new Combinators.Wait<>(set, when, timeout);
    }

    /**
     * As {@link #wait(Collection, ReturnWhen, double)}, with the timeout as a {@link Duration}.
     *
     * @param futures futures or tasks of the running loop
     * @param when when to return
     * @param timeout how long at most
     * @param <T> the common result type
     * @return a coroutine of the (done, pending) sets
     */
    public static <T> Coroutine<WaitResult<T>> wait(Collection<? extends Future<? extends T>> futures, ReturnWhen when,
                                                    Duration timeout) {
        return wait(futures, when, seconds(timeout));
    }

    /**
     * The results of {@code awaitables} in the order they complete; asyncio's {@code as_completed}. Coroutines are
     * wrapped in tasks at once. Each awaitable the iterable hands out gives the next result (or throws the next
     * exception):
     * <pre>{@code
     * for (Awaitable<String> next : asCompleted(List.of(fetch(a), fetch(b)))) {
     *     String page = await(next);   // the earliest first
     * }
     * }</pre>
     *
     * @param awaitables coroutines, tasks or futures of the running loop
     * @param <T> the common result type
     * @return as many awaitables as there were distinct awaitables
     */
    public static <T> Iterable<Awaitable<T>> asCompleted(Collection<? extends Awaitable<? extends T>> awaitables) {
        return asCompleted(awaitables, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #asCompleted(Collection)}, with a timeout for all of them: once it passes, the awaits of the
     * results not handed over yet throw {@link TimeoutException} (nothing is cancelled).
     *
     * @param awaitables coroutines, tasks or futures of the running loop
     * @param timeout seconds from now; {@code Double.POSITIVE_INFINITY} for none
     * @param <T> the common result type
     * @return as many awaitables as there were distinct awaitables
     * @throws IllegalArgumentException if {@code timeout} is NaN
     */
    public static <T> Iterable<Awaitable<T>> asCompleted(Collection<? extends Awaitable<? extends T>> awaitables,
                                                         double timeout) {
        Objects.requireNonNull(awaitables, "awaitables");
        if (Double.isNaN(timeout)) {
            throw new IllegalArgumentException("asCompleted(): the timeout must not be NaN");
        }
        EventLoop loop = getRunningLoop();
        return new Combinators.AsCompleted<T>(loop, Combinators.toFutures(loop, awaitables), timeout);
    }

    /**
     * As {@link #asCompleted(Collection)}, handing back the original futures and tasks (coroutines given were
     * wrapped in tasks): each awaitable gives the next one to finish, done, in completion order; Python 3.13's
     * {@code async for t in as_completed(tasks)}. Reading its result is then up to the caller:
     * <pre>{@code
     * for (Coroutine<Future<String>> next : asCompletedFutures(tasks)) {
     *     Future<String> first = await(next);        // one of `tasks`, done
     *     System.out.println(first + ": " + first.result());
     * }
     * }</pre>
     *
     * @param awaitables coroutines, tasks or futures of the running loop
     * @param <T> the common result type
     * @return as many awaitables as there were distinct awaitables
     */
    public static <T> Iterable<Coroutine<Future<T>>> asCompletedFutures(
            Collection<? extends Awaitable<? extends T>> awaitables) {
        return asCompletedFutures(awaitables, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #asCompletedFutures(Collection)}, with a timeout for all of them: once it passes, the awaits not
     * answered yet throw {@link TimeoutException} (nothing is cancelled).
     *
     * @param awaitables coroutines, tasks or futures of the running loop
     * @param timeout seconds from now; {@code Double.POSITIVE_INFINITY} for none
     * @param <T> the common result type
     * @return as many awaitables as there were distinct awaitables
     * @throws IllegalArgumentException if {@code timeout} is NaN
     */
    public static <T> Iterable<Coroutine<Future<T>>> asCompletedFutures(
            Collection<? extends Awaitable<? extends T>> awaitables, double timeout) {
        return ((Combinators.AsCompleted<T>) asCompleted(awaitables, timeout)).futures();
    }

    /**
     * Protects {@code awaitable} from cancellation; asyncio's {@code shield}. Cancelling the returned future (or
     * the task awaiting it) makes that await throw {@link CancelledError}, while the inner work goes on to its
     * end. A cancellation or failure of the inner work itself is passed on. A coroutine is wrapped in a task.
     *
     * @param awaitable a coroutine, task or future of the running loop
     * @param <T> the result type
     * @return a future that follows the inner one (the inner one itself if it is already done)
     */
    public static <T> Future<T> shield(Awaitable<T> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable");
        EventLoop loop = awaitable instanceof Future ? ((Future<T>) awaitable).loop : getRunningLoop();
        return Combinators.shield(loop.ensureFuture(awaitable));
    }

    // ---- task groups -----------------------------------------------------------------------------------------

    /**
     * Runs {@code body} with a {@link TaskGroup}, and returns the body's result once the body and every task it
     * created in the group are done; asyncio's {@code async with asyncio.TaskGroup() as tg}. Failures end the
     * group early: see {@link TaskGroup}.
     * <pre>{@code
     * int sum = await(taskGroup(tg -> {
     *     Task<Integer> a = tg.createTask(compute(1));
     *     Task<Integer> b = tg.createTask(compute(2));
     *     return done(List.of(a, b));
     * })).stream().mapToInt(Task::result).sum();
     * }</pre>
     *
     * @param body the group's body
     * @param <T> the body's result type
     * @return a coroutine of the body's result
     */
    public static <T> Coroutine<T> taskGroup(AsyncFunction<TaskGroup, T> body) {
        return new TaskGroup.TaskGroupScope<>(body);
    }

    // ---- threads ---------------------------------------------------------------------------------------------

    /**
     * Runs the blocking {@code fn} on the running loop's default executor and awaits its result; asyncio's
     * {@code to_thread}. {@code fn} sees a copy of the current {@link Context} (its context variables). As for any
     * coroutine, nothing happens until it is awaited: then {@code fn} is submitted.
     *
     * @param fn the blocking work
     * @param <T> the result type
     * @return a coroutine of {@code fn}'s result; its exception is thrown unchanged
     */
    public static <T> Coroutine<T> toThread(java.util.concurrent.Callable<T> fn) {
        return new Combinators.ToThread<>(Objects.requireNonNull(fn, "fn"));
    }

    /**
     * Submits {@code coroutine} to {@code loop} from another thread; asyncio's {@code run_coroutine_threadsafe}.
     * The one way into a loop from outside besides {@link EventLoop#callSoonThreadsafe}. The returned future
     * completes with the coroutine's result or exception (a {@link CancelledError} if the task was cancelled, which
     * also cancels the future); cancelling the future cancels the task.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param loop a loop that runs on another thread (or will)
     * @param <T> the result type
     * @return a future usable from any thread
     * @throws IllegalStateException if the loop is closed
     */
    public static <T> java.util.concurrent.CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine,
                                                                                      EventLoop loop) {
        Objects.requireNonNull(coroutine, "coroutine");
        Objects.requireNonNull(loop, "loop");
        Interop.TaskCompletableFuture<T> result = new Interop.TaskCompletableFuture<>(loop);
        loop.callSoonThreadsafe(() -> {
            Task<T> t;
            try {
                t = loop.createTask(coroutine);
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
                throw e;
            }
            result.attach(t);
        });
        return result;
    }

    // ---- interop with java.util.concurrent -------------------------------------------------------------------

    /**
     * A future of the running loop that takes the outcome of {@code stage}, completed on the loop's thread
     * whichever thread completes the stage: a {@code CompletionStage} as a jasyncio {@link Future}, for
     * {@code gather}, {@code wait}, {@code shield}, done-callbacks (a plain {@code await(stage)} needs no wrapping).
     * A stage that fails with a {@code CancellationException} cancels the future; cancelling the future cancels
     * the stage if it is a {@code CompletableFuture}. While the stage is pending, virtual time does not jump past
     * it (as for {@code runInExecutor}).
     *
     * @param stage the stage
     * @param <T> the result type
     * @return a future of the running loop
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static <T> Future<T> fromStage(java.util.concurrent.CompletionStage<T> stage) {
        return new Interop.StageFuture<>(getRunningLoop(), Objects.requireNonNull(stage, "stage"));
    }

    /**
     * A future of the running loop that takes the outcome of a {@code java.util.concurrent.Future}; asyncio's
     * {@code wrap_future}. A {@code CompletionStage} (a {@code CompletableFuture}) is taken as by
     * {@link #fromStage}, with no thread. Any other future that is done already gives its outcome at once;
     * otherwise, since such a future cannot call back, a thread of the loop's default executor waits in its
     * {@code get()} (one thread per pending future: prefer {@code CompletableFuture}s where there is a choice). Its
     * {@code ExecutionException}'s cause is the future's exception; a cancelled source cancels the future; and
     * cancelling the future cancels the source ({@code cancel(false)}: work that runs is not interrupted).
     *
     * @param future the future
     * @param <T> the result type
     * @return a future of the running loop
     * @throws IllegalStateException if no loop is running on this thread, or its default executor was shut down
     */
    public static <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future instanceof java.util.concurrent.CompletionStage) {
            @SuppressWarnings("unchecked") // a Future<T> that is a stage is a stage of T
            java.util.concurrent.CompletionStage<T> stage = (java.util.concurrent.CompletionStage<T>) future;
            return fromStage(stage);
        }
        return Interop.wrapFuture(getRunningLoop(), future);
    }

    /**
     * Iterates over the items of {@code publisher} with back-pressure, requesting 16 at a time: see
     * {@link #iterate(java.util.concurrent.Flow.Publisher, int)}.
     *
     * @param publisher the publisher
     * @param <T> the type of the items
     * @return an iterator, bound to the running loop
     */
    public static <T> AsyncIterator<T> iterate(java.util.concurrent.Flow.Publisher<? extends T> publisher) {
        return iterate(publisher, 16);
    }

    /**
     * Iterates over the items of {@code publisher} with back-pressure:
     * <pre>{@code
     * for (var it = Asyncio.iterate(publisher, 8); await(it.hasNext()); ) {
     *     use(it.next());
     * }
     * }</pre>
     * The first {@code hasNext()} subscribes and requests {@code prefetch} items; then, each time the consumer has
     * taken half of them with {@code next()}, as many more are requested: at most {@code prefetch} items are ever
     * requested and not yet taken, so a slow consumer slows the publisher down. Signals may come on any thread;
     * they are handed to the loop's thread. {@code hasNext()} returns {@code false} after {@code onComplete},
     * throws the exception of {@code onError} (once the items before it are taken), and waits otherwise (while it
     * waits, virtual time does not jump past the publisher's threads). {@code close()} cancels the subscription.
     *
     * @param publisher the publisher
     * @param prefetch how many items to request at first, and the most outstanding at any time (1 or more)
     * @param <T> the type of the items
     * @return an iterator, bound to the running loop
     * @throws IllegalArgumentException if {@code prefetch} is less than 1
     */
    public static <T> AsyncIterator<T> iterate(java.util.concurrent.Flow.Publisher<? extends T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be 1 or more, not " + prefetch);
        }
        return new Interop.PublisherIterator<>(getRunningLoop(), publisher, prefetch);
    }

    // ---- streams ---------------------------------------------------------------------------------------------

    /**
     * Connects to {@code host}:{@code port} over TCP; asyncio's {@code open_connection}.
     * <pre>{@code
     * Streams s = await(openConnection("127.0.0.1", 8888));
     * s.writer().write("hello\n".getBytes(UTF_8));
     * await(s.writer().drain());
     * byte[] reply = await(s.reader().readLine());
     * }</pre>
     *
     * @param host the host name or address
     * @param port the port
     * @return a coroutine of the connection's reader and writer
     * @throws java.io.IOException (from the coroutine) {@link java.net.ConnectException} when refused,
     *                             {@link java.net.UnknownHostException} when the name does not resolve
     */
    public static Coroutine<Streams> openConnection(String host, int port) throws java.io.IOException {
        return openConnection(host, port, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * As {@link #openConnection(String, int)}, with the reader's limit.
     *
     * @param host the host name or address
     * @param port the port
     * @param limit the reader's limit (see {@link StreamReader})
     * @return a coroutine of the connection's reader and writer
     * @throws java.io.IOException (from the coroutine) when the connection fails
     */
    public static Coroutine<Streams> openConnection(String host, int port, int limit) throws java.io.IOException {
        return openConnection(host, port, null, null, limit);
    }

    /**
     * As {@link #openConnection(String, int)}, over TLS: the coroutine completes once the handshake is done;
     * hostname verification and SNI are on.
     *
     * @param host the host name or address
     * @param port the port
     * @param ssl the TLS context (for example {@code SSLContext.getDefault()}), or {@code null} for plain TCP
     * @return a coroutine of the connection's reader and writer
     * @throws java.io.IOException (from the coroutine) when the connection or the handshake fails
     */
    public static Coroutine<Streams> openConnection(String host, int port, javax.net.ssl.SSLContext ssl)
            throws java.io.IOException {
        return openConnection(host, port, ssl, null, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * As {@link #openConnection(String, int)}, with every option.
     *
     * @param host the host name or address
     * @param port the port
     * @param ssl the TLS context, or {@code null} for plain TCP
     * @param serverHostname the name the server's certificate must carry, or {@code null} for {@code host}
     * @param limit the reader's limit (see {@link StreamReader})
     * @return a coroutine of the connection's reader and writer
     * @throws java.io.IOException (from the coroutine) when the connection or the handshake fails
     */
    public static Coroutine<Streams> openConnection(String host, int port, javax.net.ssl.SSLContext ssl,
                                                    String serverHostname, int limit) throws java.io.IOException {
        return openConnection(host, port, ConnectOptions.defaults().withSsl(ssl).withServerHostname(serverHostname)
                .withLimit(limit));
    }

    /**
     * As {@link #openConnection(String, int)}, with options: TLS, server host name, the reader's limit, a local
     * address.
     *
     * @param host the host name or address
     * @param port the port
     * @param options the options
     * @return a coroutine of the connection's reader and writer
     * @throws java.io.IOException (from the coroutine) when the connection or the handshake fails
     */
    public static Coroutine<Streams> openConnection(String host, int port, ConnectOptions options)
            throws java.io.IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        return new OpenStreams(new StreamReader(options.limit()),
                (loop, protocol) -> loop.createConnection(() -> protocol, host, port, options),
                "openConnection(" + host + ", " + port + ")");
    }

    /** How {@link OpenStreams} makes its transport: {@code createConnection} or {@code createUnixConnection}. */
    @FunctionalInterface
    private interface Connector {
        Coroutine<Transport> connect(EventLoop loop, Protocol protocol) throws java.io.IOException;
    }

    /** The coroutine of {@link #openConnection} and {@link #openUnixConnection}: a connection with streams over it. */
    private static final class OpenStreams extends Op<Streams> {
        private final StreamReader reader;
        private final Connector connector;
        private final String what;
        private StreamReaderProtocol protocol;

        OpenStreams(StreamReader reader, Connector connector, String what) {
            this.reader = reader;
            this.connector = connector;
            this.what = what;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            EventLoop loop = task.loop;
            if (state == 0) {
                protocol = new StreamReaderProtocol(reader, null, loop);
                try {
                    return await(connector.connect(loop, protocol), 1);
                } catch (java.io.IOException e) {
                    throw CoreImpl.sneakyThrow(e);
                }
            }
            return new Streams(reader, new StreamWriter((Transport) value, protocol, reader, loop));
        }

        @Override
        public String toString() {
            return "<coroutine " + what + ">";
        }
    }

    /**
     * Listens on {@code host}:{@code port} over TCP and runs {@code handler} in a task of its own for each
     * connection; asyncio's {@code start_server}. A handler that fails has its exception reported to the loop's
     * exception handler and its connection closed.
     *
     * @param handler serves one connection
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port; 0 picks a free one ({@link Server#addresses()})
     * @return a coroutine of the server, accepting connections already
     * @throws java.io.IOException (from the coroutine) when the address cannot be bound
     */
    public static Coroutine<Server> startServer(ClientConnected handler, String host, int port)
            throws java.io.IOException {
        return startServer(handler, host, port, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * As {@link #startServer(ClientConnected, String, int)}, with the readers' limit.
     *
     * @param handler serves one connection
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port
     * @param limit each reader's limit
     * @return a coroutine of the server
     * @throws java.io.IOException (from the coroutine) when the address cannot be bound
     */
    public static Coroutine<Server> startServer(ClientConnected handler, String host, int port, int limit)
            throws java.io.IOException {
        return startServer(handler, host, port, null, limit);
    }

    /**
     * As {@link #startServer(ClientConnected, String, int)}, over TLS: each handler runs once its connection's
     * handshake is done.
     *
     * @param handler serves one connection
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port
     * @param ssl the TLS context with the server's key and certificate, or {@code null} for plain TCP
     * @return a coroutine of the server
     * @throws java.io.IOException (from the coroutine) when the address cannot be bound
     */
    public static Coroutine<Server> startServer(ClientConnected handler, String host, int port,
                                                javax.net.ssl.SSLContext ssl) throws java.io.IOException {
        return startServer(handler, host, port, ssl, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * As {@link #startServer(ClientConnected, String, int)}, with every option.
     *
     * @param handler serves one connection
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port
     * @param ssl the TLS context, or {@code null} for plain TCP
     * @param limit each reader's limit
     * @return a coroutine of the server
     * @throws java.io.IOException (from the coroutine) when the address cannot be bound
     */
    public static Coroutine<Server> startServer(ClientConnected handler, String host, int port,
                                                javax.net.ssl.SSLContext ssl, int limit) throws java.io.IOException {
        return startServer(handler, host, port, ServeOptions.defaults().withSsl(ssl).withLimit(limit));
    }

    /**
     * As {@link #startServer(ClientConnected, String, int)}, with options: backlog, SO_REUSEADDR, SO_REUSEPORT,
     * TLS, the readers' limit.
     *
     * @param handler serves one connection
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port
     * @param options the options
     * @return a coroutine of the server
     * @throws java.io.IOException (from the coroutine) when the address cannot be bound
     */
    public static Coroutine<Server> startServer(ClientConnected handler, String host, int port, ServeOptions options)
            throws java.io.IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        EventLoop loop = getRunningLoop();
        int limit = options.limit();
        return loop.createServer(() -> new StreamReaderProtocol(new StreamReader(limit), handler, loop), host, port,
                options);
    }

    /**
     * Connects to the Unix domain socket at {@code path}; asyncio's {@code open_unix_connection}.
     *
     * @param path the socket's file
     * @return a coroutine of the connection's reader and writer
     * @throws java.io.IOException (from the coroutine) when nobody listens there
     */
    public static Coroutine<Streams> openUnixConnection(java.nio.file.Path path) throws java.io.IOException {
        Objects.requireNonNull(path, "path");
        return new OpenStreams(new StreamReader(), (loop, protocol) -> loop.createUnixConnection(() -> protocol, path),
                "openUnixConnection(" + path + ")");
    }

    /**
     * Listens on a Unix domain socket at {@code path} and runs {@code handler} for each connection; asyncio's
     * {@code start_unix_server}. The socket file is removed when the server closes.
     *
     * @param handler serves one connection
     * @param path the socket's file
     * @return a coroutine of the server
     * @throws java.io.IOException (from the coroutine) when the path cannot be bound
     */
    public static Coroutine<Server> startUnixServer(ClientConnected handler, java.nio.file.Path path)
            throws java.io.IOException {
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = getRunningLoop();
        return loop.createUnixServer(() -> new StreamReaderProtocol(new StreamReader(), handler, loop), path);
    }
}
