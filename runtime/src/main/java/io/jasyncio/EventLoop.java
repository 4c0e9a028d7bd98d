package io.jasyncio;

import java.lang.System.Logger.Level;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A single-threaded event loop: asyncio's {@code AbstractEventLoop}. It runs callbacks, timers and the steps of
 * {@link Task tasks}, one at a time, on the thread that runs it.
 *
 * <h2>One iteration</h2>
 * <ol>
 *   <li>Wait, no longer than until the next timer (not at all if callbacks are ready), for callbacks from other
 *       threads ({@link #callSoonThreadsafe}); move them to the ready queue.</li>
 *   <li>Move every timer whose deadline has passed to the ready queue, in deadline order (timers with the same
 *       deadline in the order they were scheduled).</li>
 *   <li>Run the callbacks that are ready now, first in, first out. Callbacks they schedule run in the next
 *       iteration.</li>
 * </ol>
 *
 * <h2>Threads (rule 7)</h2>
 * <p>While the loop runs, every method of the loop, and of its futures, tasks and handles, must be called on the
 * loop's thread; a call from another thread throws {@link IllegalStateException} at once, naming the method and
 * both threads. The thread-safe entry points are {@link #callSoonThreadsafe},
 * {@link Asyncio#runCoroutineThreadsafe}, completing a {@link java.util.concurrent.CompletionStage} that a task
 * awaits, and the read-only {@link #isRunning}, {@link #isClosed}, {@link #time}, {@link #getDebug},
 * {@link #getSlowCallbackDuration}, {@link Future#getLoop}, {@link Task#getName}, {@link Task#getCoro} and
 * {@code toString}. While the loop is not running, it may be set
 * up (and its futures read) from any one thread at a time.
 *
 * <h2>What is reported (rule 8)</h2>
 * <p>What no one can receive goes to the {@linkplain #setExceptionHandler exception handler}: an exception of a
 * callback, a future or task exception nobody retrieved (reported when the future is garbage-collected, or when
 * the loop closes), a task still pending when the loop closes, and, in debug mode, a coroutine collected without
 * ever being awaited. {@link #setDebug Debug mode} also reports slow callbacks and task steps (rule 9).
 *
 * <h2>Time</h2>
 * <p>{@link #time()} reads the loop's {@link TimeSource}: the system's monotonic clock by default, or a virtual
 * clock for deterministic tests ({@link #EventLoop(TimeSource)} with {@link TimeSource#virtual()}).
 */
public final class EventLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    /** The loop most recently started; a cache in front of {@link #RUNNING} (checked against its thread). */
    private static EventLoop lastStarted;

    private final TimeSource clock;
    /** Whether {@link #clock} is virtual: it jumps to the next timer instead of the loop waiting for it. */
    private final boolean virtualClock;
    /**
     * How many outcomes of work on other threads the loop waits for (runInExecutor jobs, awaited
     * CompletionStages, the default executor's shutdown). While there are any, virtual time runs no faster than
     * real time: the outcome may arrive before the next timer. Loop thread only.
     */
    private int externalPending;
    /** The virtual deadline that the loop waits for in real time ({@link #realWaitLeft}). */
    private long virtualWaitTarget = Long.MIN_VALUE;
    /** The real time ({@link System#nanoTime()}) at which the wait for {@link #virtualWaitTarget} ends. */
    private long virtualWaitRealDeadline;

    // The ready queue: a ring buffer of Handles and Tasks (a woken task is queued as itself, no allocation), and
    // of the done callbacks of futures, each as two slots, the callback (a Consumer, never a Task or Handle) then
    // its future (no Handle and no lambda allocated per callback: 48 bytes per task in W2 and W4).
    private Object[] ready = new Object[256];
    private int readyHead;
    private int readyCount;

    // The timer heap: a 4-ary min-heap ordered by (when, seq), cancelled timers removed lazily. The deadline of
    // timers[i] is kept in timerWhen[i] too, so that ordering reads no handle (only on equal deadlines, for seq):
    // with a million timers, the handles' cache misses had made the binary heap's compares most of W4's time.
    private TimerHandle[] timers = new TimerHandle[64];
    private long[] timerWhen = new long[64];
    private int timerCount;
    private int cancelledTimers;
    private long timerSeq;

    // Callbacks from other threads.
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** How the loop waits now: {@link #RUNNING_NOW}, {@link #PARKED} or {@link #SELECTING} (read by other threads). */
    private volatile int idle;
    private static final int RUNNING_NOW = 0;
    private static final int PARKED = 1;
    private static final int SELECTING = 2;
    /** The I/O readiness part, opened with the first watched channel ({@link #addReader}); {@code null} before. */
    private IoSelector io;
    /** The handlers of {@link #addSignalHandler}; created by the first. */
    private LoopSignals signals;

    /** The thread running the loop, or {@code null}. Written only by that thread. */
    private volatile Thread thread;
    private boolean stopping;
    private volatile boolean closed;

    /**
     * While a suspension travels up a chain of direct calls in the running task: the frame of the callee that just
     * suspended, for its caller to adopt ({@code Woven.publish}, {@code Woven.adopt}). Kept here rather than in
     * each task, since one task runs at a time. {@code null} otherwise.
     */
    Coroutine<?> directCallee;
    /** The task whose step is running, or {@code null} between steps. */
    Task<?> currentTask;
    /** The number of the last task created (a long: a server may create more than 2^31 tasks). */
    private long taskIds;
    /** Head of the intrusive list of tasks not yet done. */
    private Task<?> liveTasks;
    /**
     * Failed tasks whose exception nobody has read yet, weakly held: one is reported when the garbage collector
     * finds its task unreachable (as asyncio reports from {@code __del__}), the rest when the loop closes. A
     * concurrent set because {@code result()} may retrieve an exception on another thread after the loop stopped.
     */
    private final Set<FailureWatch> unretrieved = ConcurrentHashMap.newKeySet();
    private final ReferenceQueue<Future<?>> collectedFailures = new ReferenceQueue<>();

    /** The context entered by {@link Context#run} or by a callback that carries one ({@link InContext}); else {@code null}. */
    Context context;

    // Debug mode (rule 9) and the exception handler (rule 8).
    boolean debug = Debug.DEFAULT;
    private long slowCallbackNanos = 100_000_000L;
    /** Where futures, tasks and handles were created, in debug mode; weakly keyed by the object. */
    private Map<Object, StackTraceElement[]> origins;
    private ExceptionHandler exceptionHandler;
    /** Where slow callbacks are reported instead of the log ({@link #setSlowCallbackHandler}), or {@code null}. */
    private ExceptionHandler slowCallbackHandler;

    // runInExecutor
    private ExecutorService defaultExecutor;
    private boolean executorShutdownCalled;
    private static final AtomicInteger EXECUTOR_THREADS = new AtomicInteger();

    /** Creates a loop on the system's monotonic clock. {@link Asyncio#newEventLoop()} does the same. */
    public EventLoop() {
        this(TimeSource.system());
    }

    /**
     * Creates a loop that reads time from {@code clock}; {@link TimeSource#virtual()} makes timers deterministic.
     *
     * @param clock the time source
     */
    public EventLoop(TimeSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.virtualClock = clock.advanceTo(clock.nanoTime()); // advancing to now changes nothing
        if (debug) {
            origins = Collections.synchronizedMap(new WeakHashMap<>());
        }
    }

    /** {@return the running loop of the calling thread, or {@code null}} */
    static EventLoop running() {
        EventLoop l = lastStarted;
        if (l != null && l.thread == Thread.currentThread()) {
            return l;
        }
        return RUNNING.get();
    }

    // ---- scheduling -----------------------------------------------------------------------------------------

    /**
     * Schedules {@code callback} to run in the next iteration, after those already scheduled.
     *
     * @param callback the callback
     * @return a handle that can cancel it
     */
    public Handle callSoon(Runnable callback) {
        checkOpen("callSoon");
        return soon(callback, capturedContext());
    }

    /**
     * As {@link #callSoon(Runnable)}, running {@code callback} in {@code context} (variables it sets are set there).
     *
     * @param callback the callback
     * @param context the context to run it in
     * @return a handle that can cancel it
     */
    public Handle callSoon(Runnable callback, Context context) {
        checkOpen("callSoon");
        return soon(callback, Objects.requireNonNull(context, "context"));
    }

    private Handle soon(Runnable callback, Object context) {
        Handle h = new Handle(this, inContext(Objects.requireNonNull(callback, "callback"), context));
        if (debug) {
            recordOrigin(h);
        }
        readyAdd(h);
        return h;
    }

    /** {@return {@code callback}, made to run in {@code context} (a {@link Context} or captured values) if one is given} */
    private Runnable inContext(Runnable callback, Object context) {
        return context == null ? callback : new InContext(this, context, callback);
    }

    /**
     * The context a callback scheduled now runs in (asyncio copies the current context for each callback): the
     * current values, or {@code null} when no variable is set, so that scheduling costs nothing extra then.
     */
    private static Object capturedContext() {
        Object[] v = Context.currentValues();
        return v.length == 0 ? null : v;
    }

    /**
     * Schedules {@code callback} from any thread, waking the loop if it waits. The one scheduling method that
     * may be called from other threads.
     *
     * @param callback the callback, run on the loop's thread
     * @throws IllegalStateException if the loop is closed
     */
    public void callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
        inbox.add(callback);
        int waiting = idle;
        if (waiting == PARKED) {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        } else if (waiting == SELECTING) {
            io.wakeup();
        }
    }

    // ---- signals --------------------------------------------------------------------------------------------

    /**
     * Runs {@code callback} on this loop's thread each time the process receives {@code signal}; asyncio's
     * {@code add_signal_handler}. The callback runs in the context current now, as a callback of
     * {@link #callSoon}; a second call for the same signal replaces the callback. The JVM's own handler of the
     * signal (for {@code INT}, {@code TERM} and {@code HUP}: its shutdown) is replaced until
     * {@link #removeSignalHandler} or {@link #close}.
     *
     * <p>Signals are named as {@code kill -l} lists them, with or without "SIG": {@code INT}, {@code TERM},
     * {@code HUP}, {@code USR1}, {@code WINCH}, {@code ALRM}, {@code CONT}, ... The JVM refuses {@code QUIT}
     * (its thread dumps), {@code KILL}, {@code STOP}, {@code SEGV}, {@code FPE}, {@code ILL}, and, when it runs
     * with {@code -Xrs}, {@code INT}, {@code TERM} and {@code HUP}; jasyncio refuses {@code USR2}, {@code BUS}
     * and {@code PIPE}, for which the JVM has native handlers of its own that replacing would break.
     *
     * @param signal   the signal's name
     * @param callback what to run
     * @throws IllegalArgumentException for an unknown signal or one that cannot be handled (the message says why)
     * @throws IllegalStateException    if the loop is closed, or called from another thread than the loop's
     */
    public void addSignalHandler(String signal, Runnable callback) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(callback, "callback");
        checkOpen("addSignalHandler");
        LoopSignals s = signals;
        if (s == null) {
            s = signals = new LoopSignals(this);
        }
        s.add(signal, inContext(callback, capturedContext()));
    }

    /**
     * Removes the handler that {@link #addSignalHandler} set for {@code signal}, giving the signal back the JVM's
     * handler it replaced; asyncio's {@code remove_signal_handler}.
     *
     * @param signal the signal's name
     * @return whether there was a handler to remove
     * @throws IllegalStateException if called from another thread than the loop's
     */
    public boolean removeSignalHandler(String signal) {
        Objects.requireNonNull(signal, "signal");
        checkThread("removeSignalHandler");
        return signals != null && signals.remove(signal);
    }

    /**
     * Schedules {@code callback} to run {@code delay} seconds from now.
     *
     * @param delay seconds; zero or negative means in the next iteration (after callbacks already ready), timers
     *     whose deadline has passed running in deadline order as asyncio's do: {@code callLater(-2, b)} runs before
     *     {@code callLater(-1, a)}
     * @param callback the callback
     * @return a handle that can cancel it
     * @throws IllegalArgumentException if {@code delay} is NaN
     */
    public TimerHandle callLater(double delay, Runnable callback) {
        checkOpen("callLater");
        return publicTimer(laterNanos(delay), callback, capturedContext());
    }

    private long laterNanos(double delay) {
        if (Double.isNaN(delay)) {
            throw new IllegalArgumentException("delay must not be NaN");
        }
        long now = clock.nanoTime();
        long when = now + secondsToNanos(delay);
        if (delay > 0 ? when < now : when > now) { // overflow: as late (or early) as can be
            when = delay > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return when;
    }

    /**
     * As {@link #callLater(double, Runnable)}, running {@code callback} in {@code context}.
     *
     * @param delay seconds
     * @param callback the callback
     * @param context the context to run it in
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(double delay, Runnable callback, Context context) {
        checkOpen("callLater");
        return publicTimer(laterNanos(delay), callback, Objects.requireNonNull(context, "context"));
    }

    /**
     * As {@link #callLater(double, Runnable)}, with the delay as a {@link Duration}.
     *
     * @param delay how long from now; zero or negative means in the next iteration
     * @param callback the callback
     * @return a handle that can cancel it
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        return callLater(Asyncio.seconds(delay), callback);
    }

    private TimerHandle publicTimer(long when, Runnable callback, Object context) {
        TimerHandle h = addTimer(when, inContext(Objects.requireNonNull(callback, "callback"), context));
        if (debug) {
            recordOrigin(h);
        }
        return h;
    }

    /**
     * Schedules {@code callback} to run at loop time {@code when} (in seconds, as {@link #time()}).
     *
     * @param when the loop time
     * @param callback the callback
     * @return a handle that can cancel it
     */
    public TimerHandle callAt(double when, Runnable callback) {
        checkOpen("callAt");
        return publicTimer(atNanos(when), callback, capturedContext());
    }

    private static long atNanos(double when) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("when must not be NaN");
        }
        return secondsToNanos(when);
    }

    /**
     * As {@link #callAt(double, Runnable)}, running {@code callback} in {@code context}.
     *
     * @param when the loop time
     * @param callback the callback
     * @param context the context to run it in
     * @return a handle that can cancel it
     */
    public TimerHandle callAt(double when, Runnable callback, Context context) {
        checkOpen("callAt");
        return publicTimer(atNanos(when), callback, Objects.requireNonNull(context, "context"));
    }

    /** {@return the loop's current time in seconds, from its {@link TimeSource}; may be read from any thread} */
    public double time() {
        return clock.nanoTime() / 1e9;
    }

    /**
     * Creates a pending future bound to this loop (asyncio's {@code loop.create_future()}).
     *
     * @param <T> the type of the future's result
     * @return the new future
     */
    public <T> Future<T> createFuture() {
        checkThread("createFuture");
        return new Future<>(this);
    }

    /**
     * Wraps {@code coroutine} in a task and schedules its first step.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param <T> the result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * Wraps {@code coroutine} in a task named {@code name} and schedules its first step.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param name the task's name, or {@code null} for {@code Task-N}
     * @param <T> the result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return createTask(coroutine, name, null);
    }

    /**
     * Wraps {@code coroutine} in a task named {@code name} that runs in {@code context}, and schedules its first
     * step.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param name the task's name, or {@code null} for {@code Task-N}
     * @param context the context the task runs in (not a copy: what the task sets is set there), or {@code null}
     *                for a copy of the current context
     * @param <T> the result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        checkOpen("createTask");
        Task<T> task = new Task<>(this, Objects.requireNonNull(coroutine, "coroutine"), name, context);
        Task<?> head = liveTasks;
        task.nextLive = head;
        if (head != null) {
            head.prevLive = task;
        }
        liveTasks = task;
        readyAdd(task);
        return task;
    }

    // ---- running --------------------------------------------------------------------------------------------

    /**
     * Runs the loop until {@code awaitable} is done and returns its result (a coroutine is wrapped in a task).
     *
     * @param awaitable a coroutine or a future of this loop
     * @param <T> the result type
     * @return the result
     * @throws IllegalStateException if the loop is running or closed, or stops before the future is done
     */
    public <T> T runUntilComplete(Awaitable<T> awaitable) {
        checkCanRun("runUntilComplete");
        Future<T> future = ensureFuture(awaitable);
        java.util.function.Consumer<Future<T>> stopper = f -> stop();
        future.addCallbackEntry(stopper);
        try {
            runForever();
        } finally {
            future.removeCallbackEntry(stopper);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    /**
     * Runs the loop until {@link #stop()} is called.
     *
     * @throws IllegalStateException if this loop is already running, another loop runs on this thread, or the
     *                               loop is closed
     */
    public void runForever() {
        checkCanRun("runForever");
        thread = Thread.currentThread();
        RUNNING.set(this);
        lastStarted = this;
        try {
            for (;;) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            RUNNING.remove();
            thread = null;
        }
    }

    /**
     * Asks a running loop to stop once the callbacks that are ready now have run. Called before
     * {@link #runForever()}, it makes that call run exactly one iteration.
     */
    public void stop() {
        checkThread("stop");
        stopping = true;
    }

    /** {@return whether the loop is running} */
    public boolean isRunning() {
        return thread != null;
    }

    /** {@return whether the loop is closed} */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the loop: pending callbacks are dropped, and exceptions of failed tasks that nobody retrieved are
     * reported. Calling it again has no effect.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        checkThread("close");
        if (isRunning()) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        closed = true;
        for (Task<?> t = liveTasks; t != null; t = t.nextLive) {
            callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending: " + t
                    + " (its loop was closed; run() and Runner cancel and await leftover tasks first)", null, t, null,
                    originOf(t)));
        }
        liveTasks = null;
        ExecutorService executor = defaultExecutor;
        if (executor != null) {
            executor.shutdown(); // as asyncio: without waiting (run() and Runner wait for it before closing)
        }
        for (FailureWatch w : unretrieved) {
            if (unretrieved.remove(w)) {
                w.report(this);
            }
        }
        Arrays.fill(ready, null);
        readyCount = 0;
        for (int i = 0; i < timerCount; i++) {
            timers[i].inHeap = false;
        }
        Arrays.fill(timers, null);
        timerCount = 0;
        cancelledTimers = 0;
        inbox.clear();
        if (io != null) {
            io.close();
        }
        if (signals != null) {
            signals.removeAll(); // as asyncio: the JVM's handlers come back
        }
    }

    @Override
    public String toString() {
        return "<EventLoop running=" + isRunning() + " closed=" + closed + " ready=" + readyEntries() + " timers="
                + (timerCount - cancelledTimers) + ">";
    }

    // ---- threads --------------------------------------------------------------------------------------------

    /**
     * Runs {@code fn} on {@code executor} and returns a future of its result, completed on this loop's thread;
     * asyncio's {@code run_in_executor}. Cancelling the future keeps {@code fn} from starting if it has not started
     * yet (a running call is not interrupted; its outcome is dropped).
     *
     * @param executor where to run {@code fn}, or {@code null} for the loop's default executor: a cached pool of
     *                 daemon threads named {@code jasyncio-executor-N}, created on first use (see
     *                 {@link #setDefaultExecutor})
     * @param fn the blocking work
     * @param <T> the result type
     * @return a future of {@code fn}'s result; its exception is what {@code fn} threw, unchanged
     * @throws IllegalStateException if the loop is closed, or the default executor was shut down
     * @throws java.util.concurrent.RejectedExecutionException if {@code executor} refuses the work
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        checkOpen("runInExecutor");
        Objects.requireNonNull(fn, "fn");
        Executor target = executor != null ? executor : defaultExecutor();
        Future<T> future = new Future<>(this);
        ExecutorJob<T> job = new ExecutorJob<>(future, fn);
        target.execute(job);
        externalStarted();
        future.addCallbackEntry((java.util.function.Consumer<Future<T>>) f -> {
            if (f.state == Future.CANCELLED && job.cancel(false)) {
                externalEnded(); // it never runs, so it never reports back
            }
        });
        return future;
    }

    /** The work of {@link #runInExecutor}: carries the outcome to the loop's thread. */
    private static final class ExecutorJob<T> extends FutureTask<T> {
        private final Future<T> future;

        ExecutorJob(Future<T> future, Callable<T> fn) {
            super(fn);
            this.future = future;
        }

        @Override
        protected void done() {
            if (isCancelled()) {
                return; // the loop's future was cancelled first
            }
            Object value = null;
            Throwable failure = null;
            try {
                value = get();
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                failure = e;
            }
            Object v = value;
            Throwable x = failure;
            try {
                future.loop.callSoonThreadsafe(() -> {
                    future.loop.externalEnded();
                    if (future.state == Future.PENDING) {
                        if (x != null) {
                            future.completeExceptionally(x);
                        } else {
                            @SuppressWarnings("unchecked") T t = (T) v;
                            future.complete(t);
                        }
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop closed while the work ran: nobody is left to take the outcome
            }
        }
    }

    private Executor defaultExecutor() {
        if (executorShutdownCalled) {
            throw new IllegalStateException("the default executor of " + this + " was shut down");
        }
        ExecutorService e = defaultExecutor;
        if (e == null) {
            e = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "jasyncio-executor-" + EXECUTOR_THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            defaultExecutor = e;
        }
        return e;
    }

    /**
     * Sets the executor that {@code runInExecutor(null, ...)} and {@link Asyncio#toThread} use. The previous one is
     * not shut down. {@link Runner#close()} and {@link Asyncio#run} shut the default executor down and wait for it.
     *
     * @param executor the new default executor
     */
    public void setDefaultExecutor(ExecutorService executor) {
        checkThread("setDefaultExecutor");
        defaultExecutor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Shuts the default executor down and waits, on a thread of its own, until its threads are done, at most 300
     * seconds; asyncio's {@code shutdown_default_executor()}. Afterwards {@code runInExecutor(null, ...)} throws.
     *
     * @return a future done when the executor has terminated (or the wait timed out, which is logged)
     */
    public Future<Void> shutdownDefaultExecutor() {
        return shutdownDefaultExecutor(300);
    }

    /**
     * As {@link #shutdownDefaultExecutor()}, waiting at most {@code timeout} seconds.
     *
     * @param timeout seconds to wait for the executor's threads
     * @return a future done when the executor has terminated or the wait timed out
     */
    public Future<Void> shutdownDefaultExecutor(double timeout) {
        checkOpen("shutdownDefaultExecutor");
        long nanos = toNanos(timeout);
        executorShutdownCalled = true;
        Future<Void> done = new Future<>(this);
        ExecutorService executor = defaultExecutor;
        if (executor == null) {
            done.complete(null);
            return done;
        }
        externalStarted();
        Thread waiter = new Thread(() -> {
            executor.shutdown();
            boolean terminated;
            try {
                terminated = executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                terminated = false;
                Thread.currentThread().interrupt();
            }
            boolean ok = terminated;
            try {
                callSoonThreadsafe(() -> {
                    externalEnded();
                    if (!ok) {
                        LOG.log(Level.WARNING, "The default executor of " + this + " did not finish its work within "
                                + timeout + " seconds");
                    }
                    done.complete(null);
                });
            } catch (IllegalStateException closed) {
                // closed meanwhile: nobody waits
            }
        }, "jasyncio-executor-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        return done;
    }

    // ---- the exception handler (rule 8) ---------------------------------------------------------------------

    /**
     * Sets the handler that receives what nobody else could: callback failures, task exceptions never retrieved,
     * tasks destroyed while pending, coroutines never awaited.
     *
     * @param handler the handler, or {@code null} for {@link #defaultExceptionHandler}
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        checkThread("setExceptionHandler");
        exceptionHandler = handler;
    }

    /** {@return the handler set by {@link #setExceptionHandler}, or {@code null} for the default} */
    public ExceptionHandler getExceptionHandler() {
        checkThread("getExceptionHandler");
        return exceptionHandler;
    }

    /**
     * Hands {@code context} to the exception handler (the default one if none is set). If the handler throws, the
     * default handler reports the original context and then the handler's failure; a failure of the default
     * handler itself is logged. Never throws, except a {@link VirtualMachineError}.
     *
     * @param context what happened
     */
    public void callExceptionHandler(ExceptionContext context) {
        checkThread("callExceptionHandler");
        Objects.requireNonNull(context, "context");
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            safeDefault(context);
            return;
        }
        try {
            handler.handle(this, context);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            safeDefault(context);
            safeDefault(new ExceptionContext("Unhandled error in exception handler " + handler
                    + " (while it handled: " + context.message() + ")", t));
        }
    }

    private void safeDefault(ExceptionContext context) {
        try {
            defaultExceptionHandler(context);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "Exception in the default exception handler", t);
        }
    }

    /**
     * The default exception handler: logs {@code context} to the {@code System.Logger} named {@code "io.jasyncio"}
     * at {@code ERROR}, with the future or task (and so its name), the handle, and where it was created when known.
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        checkThread("defaultExceptionHandler");
        StringBuilder sb = new StringBuilder(context.message());
        if (context.future() != null) {
            sb.append("\nfuture: ").append(context.future());
        }
        if (context.handle() != null) {
            sb.append("\nhandle: ").append(context.handle());
        }
        if (context.sourceTraceback() != null) {
            sb.append("\nObject created at (most recent call first):");
            for (StackTraceElement e : context.sourceTraceback()) {
                sb.append("\n\tat ").append(e);
            }
        }
        if (context.exception() != null) {
            LOG.log(Level.ERROR, sb.toString(), context.exception());
        } else {
            LOG.log(Level.ERROR, sb.toString());
        }
    }

    // ---- debug mode (rule 9) --------------------------------------------------------------------------------

    /**
     * Turns debug mode on or off. In debug mode the loop reports (as a warning to {@code System.Logger}
     * "io.jasyncio") every callback or task step that takes longer than {@link #setSlowCallbackDuration}, with the
     * task's name and the line where it resumed; records where futures, tasks and callbacks are created, for the
     * exception handler's {@code sourceTraceback}; and reports coroutines that are garbage-collected without ever
     * being awaited, with where they were created. It is on from the start when the system property
     * {@code jasyncio.debug} is {@code true} or the environment variable {@code JASYNCIO_DEBUG} is {@code 1}.
     *
     * @param enabled whether debug mode is on
     */
    public void setDebug(boolean enabled) {
        checkThread("setDebug");
        debug = enabled;
        if (enabled) {
            if (origins == null) {
                origins = Collections.synchronizedMap(new WeakHashMap<>());
            }
            Debug.trackCoroutines();
        }
    }

    /** {@return whether debug mode is on; may be read from any thread} */
    public boolean getDebug() {
        return debug;
    }

    /**
     * Sets how long a callback or task step may run, in debug mode, before it is reported as slow.
     *
     * @param seconds the threshold (default 0.1)
     * @throws IllegalArgumentException if {@code seconds} is NaN or negative
     */
    public void setSlowCallbackDuration(double seconds) {
        checkThread("setSlowCallbackDuration");
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("slow callback duration must be zero or more seconds, not " + seconds);
        }
        slowCallbackNanos = secondsToNanos(seconds);
    }

    /** {@return the slow-callback threshold in seconds; may be read from any thread} */
    public double getSlowCallbackDuration() {
        return slowCallbackNanos / 1e9;
    }

    /**
     * Sets where debug mode's reports of slow callbacks and task steps go instead of the warning logged to
     * {@code System.Logger} "io.jasyncio": for tests that fail on them (jasyncio-junit's {@code @AsyncTest} does).
     * The handler runs on the loop's thread, right after the slow callback, with the warning's text as the
     * context's {@code message}, no exception, the task whose step was slow as its {@code future} (or the
     * callback's {@code handle}), and where the task or callback was created as its {@code sourceTraceback}.
     *
     * @param handler the handler, or {@code null} to log the warnings again
     */
    public void setSlowCallbackHandler(ExceptionHandler handler) {
        checkThread("setSlowCallbackHandler");
        slowCallbackHandler = handler;
    }

    /** {@return the handler set by {@link #setSlowCallbackHandler}, or {@code null} when slow callbacks are logged} */
    public ExceptionHandler getSlowCallbackHandler() {
        checkThread("getSlowCallbackHandler");
        return slowCallbackHandler;
    }

    /**
     * Debug mode: reports now, to the exception handler, every coroutine created while this loop ran that has not
     * been started (awaited or wrapped in a task), as the loop reports one once it is garbage-collected ("coroutine
     * ... was never awaited", with where it was created); each is reported once. For the end of a test
     * (jasyncio-junit's {@code @AsyncTest} calls it), when whatever was not started by then never will be.
     * Coroutines created while debug mode was off are not tracked.
     *
     * @return how many coroutines were reported
     */
    public int reportUnawaitedCoroutines() {
        checkThread("reportUnawaitedCoroutines");
        return Debug.reportUnstarted(this);
    }

    /** Debug mode: remembers where {@code o} was created. */
    final void recordOrigin(Object o) {
        Map<Object, StackTraceElement[]> m = origins;
        if (m != null) {
            m.put(o, Debug.callerTrace());
        }
    }

    /** {@return where {@code o} was created, if recorded (debug mode)} */
    final List<StackTraceElement> originOf(Object o) {
        Map<Object, StackTraceElement[]> m = origins;
        if (m == null || o == null) {
            return null;
        }
        StackTraceElement[] trace = m.get(o);
        if (trace == null && o instanceof Handle && ((Handle) o).callback instanceof Task) {
            trace = m.get(((Handle) o).callback);
        }
        return trace == null ? null : List.of(trace);
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private void runOnce() {
        reportCollectedFailures(); // a volatile read when nothing was collected
        if (debug) {
            Debug.reportNeverAwaited(this);
        }
        // Drop cancelled timers at the top of the heap, then decide how long to wait.
        while (timerCount > 0 && timers[0].cancelled) {
            heapPop();
            cancelledTimers--;
        }
        long timeout;
        long now = 0;
        boolean haveNow = false;
        if (readyCount > 0 || stopping) {
            timeout = 0;
        } else if (timerCount > 0) {
            now = clock.nanoTime();
            haveNow = true;
            timeout = Math.max(0, timerWhen[0] - now);
        } else {
            timeout = -1;
        }
        pollInbox(timeout);

        // The clock is read only when a timer may be due (a read costs 20 to 50 ns on this VM), and not twice
        // when the loop did not wait: a timer already due when the timeout was computed lets the read serve both.
        if (timerCount > 0) {
            if (!haveNow || timeout != 0) {
                now = clock.nanoTime();
            }
            while (timerCount > 0 && timerWhen[0] <= now) {
                TimerHandle h = heapPop();
                if (h.cancelled) {
                    cancelledTimers--;
                } else {
                    readyAdd(h);
                }
            }
        }

        if (debug) {
            runReadyTimed();
            return;
        }
        for (int n = readyCount; n > 0; n--) {
            Object item = pollReady();
            if (item instanceof Task || item instanceof Handle) {
                runItem(item);
            } else { // a done callback, then its future
                n--;
                runDoneCallback(item, pollReady());
            }
        }
    }

    private Object pollReady() {
        Object[] q = ready;
        int head = readyHead;
        Object item = q[head];
        q[head] = null;
        readyHead = (head + 1) & (q.length - 1);
        readyCount--;
        return item;
    }

    private void runDoneCallback(Object callback, Object future) {
        try {
            @SuppressWarnings("unchecked") java.util.function.Consumer<Object> c =
                    (java.util.function.Consumer<Object>) callback;
            c.accept(future);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            Handle h = doneCallbackHandle(callback, future); // what asyncio reports: the callback's handle
            callExceptionHandler(new ExceptionContext("Exception in callback " + h, t, null, h, originOf(h)));
        } finally {
            context = null;
        }
    }

    /** {@return a handle running {@code callback} with {@code future}}: a done callback as a Handle, for reports and debug mode */
    private Handle doneCallbackHandle(Object callback, Object future) {
        @SuppressWarnings("unchecked") java.util.function.Consumer<Object> c =
                (java.util.function.Consumer<Object>) callback;
        return new Handle(this, (Runnable) () -> c.accept(future));
    }

    /** Schedules {@code callback}, a done callback of {@code future}, with {@code future}; no allocation. */
    final void readyAddDoneCallback(Object callback, Future<?> future) {
        readyAdd(callback);
        readyAdd(future);
    }

    private void runItem(Object item) {
        try {
            if (item instanceof Task) {
                ((Task<?>) item).wake();
            } else {
                ((Handle) item).fire();
            }
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            Handle h = item instanceof Handle ? (Handle) item : null;
            callExceptionHandler(new ExceptionContext("Exception in callback " + item, t, null, h, originOf(item)));
        } finally {
            context = null; // drop the context a callback without one made for itself (Context.current)
        }
    }

    /** Debug mode: runs the ready items as {@link #runOnce} does, reporting those slower than the slow-callback duration. */
    private void runReadyTimed() {
        for (int n = readyCount; n > 0; n--) {
            Object item = pollReady();
            if (!(item instanceof Task) && !(item instanceof Handle)) { // a done callback: as a Handle here
                n--;
                item = doneCallbackHandle(item, pollReady());
            }
            Task<?> task = item instanceof Task ? (Task<?>) item
                    : item instanceof Handle && ((Handle) item).callback instanceof Task
                    ? (Task<?>) ((Handle) item).callback : null;
            StackTraceElement site = task == null ? null : task.resumeSite();
            long start = System.nanoTime();
            runItem(item);
            long took = System.nanoTime() - start;
            if (took >= slowCallbackNanos) {
                String what;
                if (task != null) {
                    what = "step of task '" + task.getName() + "' (" + (site == null ? "first step of " + task.getCoro()
                            : "resumed at " + site) + ")";
                } else {
                    List<StackTraceElement> origin = originOf(item);
                    what = item + (origin == null || origin.isEmpty() ? "" : " (scheduled at " + origin.get(0) + ")");
                }
                reportSlow("Executing " + what + " took " + String.format(java.util.Locale.ROOT, "%.3f", took / 1e9)
                        + " seconds: it blocked the event loop (move blocking work to runInExecutor or toThread)",
                        task, item instanceof Handle ? (Handle) item : null, originOf(task != null ? task : item));
            }
        }
    }

    /** A slow callback or step: to the {@link #setSlowCallbackHandler slow-callback handler}, or else logged. */
    private void reportSlow(String message, Task<?> task, Handle handle, List<StackTraceElement> origin) {
        ExceptionHandler h = slowCallbackHandler;
        if (h == null) {
            LOG.log(Level.WARNING, message);
            return;
        }
        try {
            h.handle(this, new ExceptionContext(message, null, task, handle, origin));
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            LOG.log(Level.WARNING, message);
            LOG.log(Level.ERROR, "Unhandled error in slow-callback handler " + h, t);
        }
    }

    /**
     * On virtual time, while the loop waits in real time for other threads or I/O before the next timer: how much
     * of that real wait is left. The real deadline is fixed when a wait for a timer begins, so that the wakeups of
     * other threads' callbacks or of I/O, which cut one wait short without the awaited work reporting back, do
     * not start the wait for the same timer over (virtual time stands still meanwhile): the timer fires no later
     * than it would on real time.
     *
     * @param timeoutNanos how far the next timer is, in virtual nanoseconds
     * @return the real nanoseconds left to wait for it; {@link #virtualWaitTarget} is its virtual deadline
     */
    private long realWaitLeft(long timeoutNanos) {
        long target = clock.nanoTime() + timeoutNanos;
        long realNow = System.nanoTime();
        if (target != virtualWaitTarget) { // a new wait, or for another timer
            virtualWaitTarget = target;
            virtualWaitRealDeadline = realNow + timeoutNanos;
        }
        return virtualWaitRealDeadline - realNow;
    }

    /** Moves callbacks from other threads to the ready queue, waiting up to {@code timeoutNanos} (-1: forever). */
    private void pollInbox(long timeoutNanos) {
        IoSelector sel = io;
        if (sel != null) {
            if (sel.watched > 0) {
                selectAndPollInbox(sel, timeoutNanos);
                return;
            }
            if (timeoutNanos != 0) {
                sel.flushCancelled(); // channels closed by user code: release them before waiting without selecting
            }
        }
        Runnable r = inbox.poll();
        if (r == null && timeoutNanos != 0) {
            boolean jumpAfterWait = false;
            if (timeoutNanos > 0 && virtualClock) {
                if (externalPending == 0) {
                    clock.advanceTo(clock.nanoTime() + timeoutNanos);
                    return; // virtual time: jump to the next timer instead of waiting for it
                }
                // Work on another thread may report back before the timer: wait for it as long as real time
                // would, and jump only if it did not (virtual time runs no faster than real time meanwhile).
                jumpAfterWait = true;
                timeoutNanos = realWaitLeft(timeoutNanos);
                if (timeoutNanos <= 0) {
                    clock.advanceTo(virtualWaitTarget);
                    return;
                }
            }
            idle = PARKED;
            try {
                long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
                while ((r = inbox.poll()) == null) {
                    if (timeoutNanos < 0) {
                        LockSupport.park(this);
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        LockSupport.parkNanos(this, left);
                    }
                }
            } finally {
                idle = RUNNING_NOW;
            }
            if (r == null && jumpAfterWait) {
                clock.advanceTo(virtualWaitTarget);
            }
        }
        while (r != null) {
            readyAdd(new Handle(this, r));
            r = inbox.poll();
        }
    }

    /**
     * {@link #pollInbox} while channels are watched: the wait is the selector's, which other threads wake with
     * {@code Selector.wakeup()}. On virtual time the loop waits for I/O as long as real time would until the next
     * timer, and jumps to the timer only if nothing happened.
     */
    private void selectAndPollInbox(IoSelector sel, long timeoutNanos) {
        boolean ready;
        if (timeoutNanos == 0 || !inbox.isEmpty()) {
            ready = sel.select(0);
        } else {
            long wait = timeoutNanos > 0 && virtualClock ? realWaitLeft(timeoutNanos) : timeoutNanos;
            if (timeoutNanos > 0 && virtualClock && wait <= 0) {
                clock.advanceTo(virtualWaitTarget); // real time has reached the timer: do not wait for I/O again
                ready = sel.select(0);
            } else {
                idle = SELECTING;
                try {
                    // a callback posted before `idle` was set did not wake the selector: do not wait for it
                    ready = sel.select(inbox.isEmpty() ? wait : 0);
                } finally {
                    idle = RUNNING_NOW;
                }
                if (!ready && timeoutNanos > 0 && virtualClock && inbox.isEmpty()) {
                    clock.advanceTo(virtualWaitTarget);
                }
            }
        }
        for (Runnable r; (r = inbox.poll()) != null; ) {
            readyAdd(new Handle(this, r));
        }
    }

    // ---- I/O readiness ------------------------------------------------------------------------------------

    /**
     * Calls {@code callback} on the loop each time {@code channel} is readable (for a server channel: can accept),
     * until {@link #removeReader}; asyncio's {@code add_reader}. The channel is made non-blocking. A second call
     * replaces the callback.
     *
     * @param channel the channel, open
     * @param callback what to run when it is readable
     * @return the handle of the callback
     * @throws IllegalArgumentException if the channel is closed
     */
    public Handle addReader(java.nio.channels.SelectableChannel channel, Runnable callback) {
        checkOpen("addReader");
        Objects.requireNonNull(channel, "channel");
        Handle h = new Handle(this, Objects.requireNonNull(callback, "callback"));
        selector().add(channel, h, false);
        return h;
    }

    /**
     * Stops watching {@code channel} for reading; asyncio's {@code remove_reader}.
     *
     * @param channel the channel
     * @return whether a reader was removed
     */
    public boolean removeReader(java.nio.channels.SelectableChannel channel) {
        checkThread("removeReader");
        Objects.requireNonNull(channel, "channel");
        return io != null && io.remove(channel, false);
    }

    /**
     * Calls {@code callback} on the loop each time {@code channel} is writable (for a socket being connected:
     * when the connection is made or failed), until {@link #removeWriter}; asyncio's {@code add_writer}.
     *
     * @param channel the channel, open
     * @param callback what to run when it is writable
     * @return the handle of the callback
     * @throws IllegalArgumentException if the channel is closed
     */
    public Handle addWriter(java.nio.channels.SelectableChannel channel, Runnable callback) {
        checkOpen("addWriter");
        Objects.requireNonNull(channel, "channel");
        Handle h = new Handle(this, Objects.requireNonNull(callback, "callback"));
        selector().add(channel, h, true);
        return h;
    }

    /**
     * Stops watching {@code channel} for writing; asyncio's {@code remove_writer}.
     *
     * @param channel the channel
     * @return whether a writer was removed
     */
    public boolean removeWriter(java.nio.channels.SelectableChannel channel) {
        checkThread("removeWriter");
        Objects.requireNonNull(channel, "channel");
        return io != null && io.remove(channel, true);
    }

    // ---- sockets (asyncio's loop.sock_*) --------------------------------------------------------------------

    /**
     * Reads into {@code buffer} from {@code channel}, waiting until it is readable; asyncio's
     * {@code sock_recv_into}. The channel is made non-blocking.
     *
     * @param channel a connected socket channel
     * @param buffer where to read
     * @return a coroutine of the number of bytes read: at least one, 0 if the buffer has no room, -1 at the end of
     *     the stream (Java's convention, where Python returns 0)
     * @throws IOException (from the coroutine) what the read throws
     */
    public Coroutine<Integer> sockRecvInto(java.nio.channels.SocketChannel channel, java.nio.ByteBuffer buffer)
            throws IOException {
        SocketOps.nonBlocking(Objects.requireNonNull(channel, "channel"));
        return new SocketOps.RecvInto(channel, Objects.requireNonNull(buffer, "buffer"));
    }

    /**
     * Reads up to {@code nbytes} bytes from {@code channel}, waiting until it is readable; asyncio's
     * {@code sock_recv}.
     *
     * @param channel a connected socket channel
     * @param nbytes the most bytes to read
     * @return a coroutine of the bytes read: at least one, or none at the end of the stream
     * @throws IOException (from the coroutine) what the read throws
     * @throws IllegalArgumentException if {@code nbytes} is negative
     */
    public Coroutine<byte[]> sockRecv(java.nio.channels.SocketChannel channel, int nbytes) throws IOException {
        if (nbytes < 0) {
            throw new IllegalArgumentException("nbytes must be >= 0, not " + nbytes);
        }
        SocketOps.nonBlocking(Objects.requireNonNull(channel, "channel"));
        return new SocketOps.Recv(channel, nbytes);
    }

    /**
     * Writes all of {@code data} to {@code channel}, waiting whenever the socket's buffer is full; asyncio's
     * {@code sock_sendall}.
     *
     * @param channel a connected socket channel
     * @param data what to send (its position advances as it is sent)
     * @return a coroutine that completes once everything was handed to the socket
     * @throws IOException (from the coroutine) what the write throws, e.g. when the peer reset the connection
     */
    public Coroutine<Void> sockSendall(java.nio.channels.SocketChannel channel, java.nio.ByteBuffer data)
            throws IOException {
        SocketOps.nonBlocking(Objects.requireNonNull(channel, "channel"));
        return new SocketOps.Sendall(channel, Objects.requireNonNull(data, "data"));
    }

    /**
     * As {@link #sockSendall(java.nio.channels.SocketChannel, java.nio.ByteBuffer)}, for an array.
     *
     * @param channel a connected socket channel
     * @param data what to send
     * @return a coroutine that completes once everything was handed to the socket
     * @throws IOException (from the coroutine) what the write throws
     */
    public Coroutine<Void> sockSendall(java.nio.channels.SocketChannel channel, byte[] data) throws IOException {
        return sockSendall(channel, java.nio.ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /**
     * Connects {@code channel} to {@code address}, waiting for the connection; asyncio's {@code sock_connect}.
     *
     * @param channel an unconnected socket channel
     * @param address where to connect (resolved: see {@link #getaddrinfo})
     * @return a coroutine that completes once connected
     * @throws IOException (from the coroutine) e.g. {@link java.net.ConnectException} when refused
     */
    public Coroutine<Void> sockConnect(java.nio.channels.SocketChannel channel, java.net.SocketAddress address)
            throws IOException {
        SocketOps.nonBlocking(Objects.requireNonNull(channel, "channel"));
        return new SocketOps.Connect(channel, Objects.requireNonNull(address, "address"));
    }

    /**
     * Accepts a connection on {@code server}, waiting for one; asyncio's {@code sock_accept}. The peer's address is
     * the new channel's {@code getRemoteAddress()}.
     *
     * @param server a bound server socket channel
     * @return a coroutine of the new connection, non-blocking
     * @throws IOException (from the coroutine) what the accept throws
     */
    public Coroutine<java.nio.channels.SocketChannel> sockAccept(java.nio.channels.ServerSocketChannel server)
            throws IOException {
        SocketOps.nonBlocking(Objects.requireNonNull(server, "server"));
        return new SocketOps.Accept(server);
    }

    /**
     * Resolves {@code host} on the default executor (the JDK's resolver blocks); asyncio's {@code getaddrinfo}.
     *
     * @param host a host name or address literal
     * @param port the port of the resulting addresses
     * @return a coroutine of the addresses, in the resolver's order
     * @throws IOException (from the coroutine) {@link java.net.UnknownHostException} if the name does not resolve
     */
    public Coroutine<List<java.net.InetSocketAddress>> getaddrinfo(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        checkPort(port);
        return new Combinators.ToThread<>(() -> {
            List<java.net.InetSocketAddress> all = new ArrayList<>();
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
                all.add(new java.net.InetSocketAddress(a, port));
            }
            return all;
        });
    }

    // ---- transports and protocols ----------------------------------------------------------------------------

    /**
     * Connects to {@code host}:{@code port} over TCP and runs a protocol from {@code factory} on the connection;
     * asyncio's {@code create_connection}. A host name is resolved on the default executor and its addresses tried
     * in turn; a numeric host is not looked up. The coroutine completes once the protocol's
     * {@code connectionMade} has run.
     *
     * @param factory makes the connection's protocol
     * @param host the host name or address
     * @param port the port
     * @return a coroutine of the connection's transport ({@link Transport#getProtocol()} is the protocol)
     * @throws IOException (from the coroutine) {@link java.net.ConnectException} when refused,
     *                     {@link java.net.UnknownHostException} when the name does not resolve
     */
    public Coroutine<Transport> createConnection(java.util.function.Supplier<? extends BaseProtocol> factory,
                                                 String host, int port) throws IOException {
        return createConnection(factory, host, port, null, null);
    }

    /**
     * As {@link #createConnection(java.util.function.Supplier, String, int)}, over TLS when {@code ssl} is given:
     * the coroutine completes once the handshake is done, and the transport carries plaintext. Hostname
     * verification and SNI are on (for {@code serverHostname}, or else {@code host}); the handshake must end within
     * 60 seconds.
     *
     * @param factory makes the connection's protocol
     * @param host the host name or address
     * @param port the port
     * @param ssl the TLS context, or {@code null} for plain TCP
     * @param serverHostname the name to verify the server's certificate against, or {@code null} for {@code host}
     * @return a coroutine of the connection's transport
     * @throws IOException (from the coroutine) when the connection or the handshake fails
     *                     ({@link javax.net.ssl.SSLException})
     */
    public Coroutine<Transport> createConnection(java.util.function.Supplier<? extends BaseProtocol> factory,
                                                 String host, int port, javax.net.ssl.SSLContext ssl,
                                                 String serverHostname) throws IOException {
        return createConnection(factory, host, port, ConnectOptions.defaults().withSsl(ssl)
                .withServerHostname(serverHostname));
    }

    /**
     * As {@link #createConnection(java.util.function.Supplier, String, int)}, with options (TLS, server host
     * name, local address; the limit is for streams and not used here).
     *
     * @param factory makes the connection's protocol
     * @param host the host name or address
     * @param port the port
     * @param options the options
     * @return a coroutine of the connection's transport
     * @throws IOException (from the coroutine) when the connection or the handshake fails
     */
    public Coroutine<Transport> createConnection(java.util.function.Supplier<? extends BaseProtocol> factory,
                                                 String host, int port, ConnectOptions options) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        checkPort(port);
        return new Connections.CreateConnection(this, factory, host, port, options);
    }

    /**
     * Listens on {@code host}:{@code port} over TCP, running a protocol from {@code factory} on each connection;
     * asyncio's {@code create_server}. The server accepts connections as soon as it is made (asyncio's
     * {@code start_serving=True}), with {@code SO_REUSEADDR} and a backlog of 100.
     *
     * @param factory makes each connection's protocol
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port; 0 picks a free one (see {@link Server#addresses()})
     * @return a coroutine of the server
     * @throws IOException (from the coroutine) when the address cannot be bound
     */
    public Coroutine<Server> createServer(java.util.function.Supplier<? extends BaseProtocol> factory, String host,
                                          int port) throws IOException {
        return createServer(factory, host, port, ServeOptions.defaults());
    }

    /**
     * As {@link #createServer(java.util.function.Supplier, String, int)}, over TLS when {@code ssl} is given: each
     * connection's protocol is made once its handshake is done.
     *
     * @param factory makes each connection's protocol
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port; 0 picks a free one
     * @param ssl the TLS context (with the server's key and certificate), or {@code null} for plain TCP
     * @return a coroutine of the server
     * @throws IOException (from the coroutine) when the address cannot be bound
     */
    public Coroutine<Server> createServer(java.util.function.Supplier<? extends BaseProtocol> factory, String host,
                                          int port, javax.net.ssl.SSLContext ssl) throws IOException {
        return createServer(factory, host, port, ServeOptions.defaults().withSsl(ssl));
    }

    /**
     * As {@link #createServer(java.util.function.Supplier, String, int)}, with options (backlog, SO_REUSEADDR,
     * SO_REUSEPORT, TLS; the limit is for streams and not used here).
     *
     * @param factory makes each connection's protocol
     * @param host the address to listen on, or {@code null} for every interface
     * @param port the port; 0 picks a free one
     * @param options the options
     * @return a coroutine of the server
     * @throws IOException (from the coroutine) when the address cannot be bound
     */
    public Coroutine<Server> createServer(java.util.function.Supplier<? extends BaseProtocol> factory, String host,
                                          int port, ServeOptions options) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        checkPort(port);
        return new Connections.CreateServer(this, factory, host, port, options);
    }

    /**
     * Connects to the Unix domain socket at {@code path} and runs a protocol from {@code factory} on the
     * connection; asyncio's {@code create_unix_connection}.
     *
     * @param factory makes the connection's protocol
     * @param path the socket's file
     * @return a coroutine of the connection's transport
     * @throws IOException (from the coroutine) when nobody listens there
     */
    public Coroutine<Transport> createUnixConnection(java.util.function.Supplier<? extends BaseProtocol> factory,
                                                     java.nio.file.Path path) throws IOException {
        return new UnixConnections.Connect(this, Objects.requireNonNull(factory, "factory"),
                Objects.requireNonNull(path, "path"));
    }

    /**
     * Listens on a Unix domain socket at {@code path}, running a protocol from {@code factory} on each
     * connection; asyncio's {@code create_unix_server}. A socket file left there by an earlier server is
     * replaced; the file is removed when the server closes.
     *
     * @param factory makes each connection's protocol
     * @param path the socket's file
     * @return a coroutine of the server
     * @throws IOException (from the coroutine) when the path cannot be bound
     */
    public Coroutine<Server> createUnixServer(java.util.function.Supplier<? extends BaseProtocol> factory,
                                              java.nio.file.Path path) throws IOException {
        return new UnixConnections.Listen(this, Objects.requireNonNull(factory, "factory"),
                Objects.requireNonNull(path, "path"));
    }

    /**
     * Opens a UDP endpoint; asyncio's {@code create_datagram_endpoint}.
     *
     * @param factory makes the endpoint's protocol
     * @param local the address to bind, or {@code null} for an ephemeral port
     * @param remote the address to connect to (then {@code sendto(data, null)} sends there and only its datagrams
     *               are received), or {@code null}
     * @return a coroutine of the endpoint's transport, once the protocol's {@code connectionMade} has run
     * @throws IOException (from the coroutine) when the addresses cannot be bound or connected
     */
    public Coroutine<DatagramTransport> createDatagramEndpoint(
            java.util.function.Supplier<? extends DatagramProtocol> factory, java.net.SocketAddress local,
            java.net.SocketAddress remote) throws IOException {
        if (local == null && remote == null) {
            throw new IllegalArgumentException("createDatagramEndpoint() needs a local or a remote address");
        }
        return new DatagramTransport.Create(this, Objects.requireNonNull(factory, "factory"), local, remote);
    }

    /**
     * Upgrades a live TCP connection to TLS; asyncio's {@code start_tls}. From now on the connection's bytes go
     * through TLS: {@code protocol} gets the new, plaintext transport's events once the handshake is done.
     *
     * @param transport the connection's transport, made by this loop over TCP
     * @param protocol the protocol for the TLS transport
     * @param ssl the TLS context
     * @param serverSide whether this side is the TLS server
     * @param serverHostname for a client, the name the server's certificate must carry
     * @return a coroutine of the TLS transport, once the handshake is done
     * @throws IOException (from the coroutine) when the handshake fails
     * @throws IllegalArgumentException if {@code transport} is not a TCP transport of this loop
     */
    public Coroutine<Transport> startTls(Transport transport, BaseProtocol protocol, javax.net.ssl.SSLContext ssl,
                                         boolean serverSide, String serverHostname) throws IOException {
        checkThread("startTls");
        if (!(transport instanceof SocketTransport)) {
            throw new IllegalArgumentException("startTls() needs a TCP transport of this loop, not " + transport);
        }
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(ssl, "ssl");
        SocketTransport raw = (SocketTransport) transport;
        Future<Void> made = new Future<>(this);
        java.net.InetSocketAddress peer = (java.net.InetSocketAddress) raw.getExtraInfo("peername");
        javax.net.ssl.SSLEngine engine = serverSide ? SslProtocol.serverEngine(ssl)
                : SslProtocol.clientEngine(ssl, serverHostname != null ? serverHostname : peer.getHostString(),
                peer.getPort());
        SslProtocol tls = new SslProtocol(this, ssl, engine, protocol, made);
        raw.setProtocol(tls);
        tls.connectionMade(raw);
        return new Combinators.Awaiter<>(new StartTls(made, tls));
    }

    /** A future of the TLS transport of {@link #startTls}, completed with the handshake. */
    private static final class StartTls extends Future<Transport> {
        StartTls(Future<Void> made, SslProtocol tls) {
            super(made.loop);
            made.addCallbackEntry((java.util.function.Consumer<Future<Void>>) f -> {
                if (f.state == Future.CANCELLED) {
                    cancelInternal(f.cancelMessage);
                } else if (f.exception != null) {
                    f.markRetrieved();
                    completeExceptionally(f.exception);
                } else {
                    complete(tls.appTransport());
                }
            });
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Closes a channel the loop may have watched and releases its descriptor at once ({@link IoSelector#flushCancelled}). */
    final void closeChannel(java.nio.channels.Channel channel) throws IOException {
        try {
            channel.close();
        } finally {
            IoSelector sel = io;
            if (sel != null) {
                sel.flushCancelled();
            }
        }
    }

    /** The buffer the loop's transports read into, reused for every read (a protocol sees it only during a call). */
    final java.nio.ByteBuffer readBuffer() {
        java.nio.ByteBuffer b = readBuffer;
        if (b == null) {
            b = java.nio.ByteBuffer.allocate(64 * 1024);
            readBuffer = b;
        }
        return b;
    }

    private java.nio.ByteBuffer readBuffer;

    private IoSelector selector() {
        IoSelector sel = io;
        if (sel == null) {
            sel = new IoSelector(this);
            io = sel;
        }
        return sel;
    }

    /** {@return how many callbacks and task steps are ready (a done callback takes two slots)} */
    private int readyEntries() {
        Object[] q = ready; // toString may run on another thread: a snapshot, approximate then
        int head = readyHead;
        int count = Math.min(readyCount, q.length);
        int entries = 0;
        for (int i = 0; i < count; i++) {
            Object item = q[(head + i) & (q.length - 1)];
            if (!(item instanceof Task) && !(item instanceof Handle)) {
                i++;
            }
            entries++;
        }
        return entries;
    }

    final void readyAdd(Object item) {
        Object[] q = ready;
        if (readyCount == q.length) {
            q = growReady();
        }
        q[(readyHead + readyCount) & (q.length - 1)] = item;
        readyCount++;
    }

    private Object[] growReady() {
        Object[] old = ready;
        Object[] q = new Object[old.length * 2];
        for (int i = 0; i < readyCount; i++) {
            q[i] = old[(readyHead + i) & (old.length - 1)];
        }
        readyHead = 0;
        ready = q;
        return q;
    }

    /** Schedules a timer at absolute time {@code when} for a {@link Runnable} or a {@link Task} to wake. */
    final TimerHandle addTimer(long when, Object callback) {
        TimerHandle h = new TimerHandle(this, when, timerSeq++, callback);
        h.inHeap = true;
        if (timerCount == timers.length) {
            timers = Arrays.copyOf(timers, timerCount * 2);
            timerWhen = Arrays.copyOf(timerWhen, timerCount * 2);
        }
        TimerHandle[] heap = timers;
        long[] whens = timerWhen;
        int i = timerCount++;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pw = whens[parent];
            if (pw <= when) { // on equal deadlines the parent, scheduled earlier (smaller seq), stays first
                break;
            }
            heap[i] = heap[parent];
            whens[i] = pw;
            i = parent;
        }
        heap[i] = h;
        whens[i] = when;
        return h;
    }

    final long nowNanos() {
        return clock.nanoTime();
    }

    private TimerHandle heapPop() {
        TimerHandle[] heap = timers;
        TimerHandle top = heap[0];
        top.inHeap = false;
        int n = --timerCount;
        TimerHandle last = heap[n];
        heap[n] = null;
        if (n > 0) {
            siftDown(heap, timerWhen, 0, last, timerWhen[n], n);
        }
        return top;
    }

    /** Moves {@code h}, whose deadline is {@code hw}, down from slot {@code i} of the {@code n}-timer 4-ary heap. */
    private static void siftDown(TimerHandle[] heap, long[] whens, int i, TimerHandle h, long hw, int n) {
        for (;;) {
            int first = 4 * i + 1;
            if (first >= n) {
                break;
            }
            int end = Math.min(first + 4, n);
            int best = first;
            long bw = whens[first];
            for (int c = first + 1; c < end; c++) {
                long cw = whens[c];
                if (cw < bw || (cw == bw && heap[c].seq < heap[best].seq)) {
                    best = c;
                    bw = cw;
                }
            }
            if (hw < bw || (hw == bw && h.seq < heap[best].seq)) {
                break;
            }
            heap[i] = heap[best];
            whens[i] = bw;
            i = best;
        }
        heap[i] = h;
        whens[i] = hw;
    }

    /** A timer was cancelled; compact the heap when cancelled timers dominate it. */
    final void timerCancelled() {
        cancelledTimers++;
        if (timerCount > 100 && cancelledTimers * 2 > timerCount) {
            TimerHandle[] heap = timers;
            long[] whens = timerWhen;
            int n = 0;
            for (int i = 0; i < timerCount; i++) {
                TimerHandle t = heap[i];
                if (!t.cancelled) {
                    heap[n] = t;
                    whens[n] = whens[i];
                    n++;
                } else {
                    t.inHeap = false;
                }
            }
            Arrays.fill(heap, n, timerCount, null);
            timerCount = n;
            cancelledTimers = 0;
            for (int i = (n - 2) / 4; i >= 0 && n > 1; i--) { // heapify: from the last parent up
                siftDown(heap, whens, i, heap[i], whens[i], n);
            }
        }
    }

    /** {@return the current context's values, for a task created on this loop (cheaper than Context.currentValues)} */
    final Object[] contextValuesForNewTask() {
        if (thread == Thread.currentThread()) {
            if (context != null) {
                return context.values;
            }
            Task<?> t = currentTask;
            if (t != null) {
                return t.contextValues();
            }
        }
        return Context.currentValues();
    }

    /** Work on another thread started whose outcome this loop will receive (see {@link #externalPending}). */
    final void externalStarted() {
        externalPending++;
    }

    /** That outcome arrived, or the loop stopped waiting for it. */
    final void externalEnded() {
        externalPending--;
    }

    final long nextTaskId() {
        return ++taskIds;
    }

    /** {@return the number of the last task created; tasks created after this call have larger ones} */
    final long lastTaskId() {
        return taskIds;
    }

    /** A task finished: unlink it from the live list. */
    final void taskDone(Task<?> task) {
        Task<?> prev = task.prevLive;
        Task<?> next = task.nextLive;
        if (prev != null) {
            prev.nextLive = next;
        } else if (liveTasks == task) {
            liveTasks = next;
        }
        if (next != null) {
            next.prevLive = prev;
        }
        task.prevLive = null;
        task.nextLive = null;
    }

    /** {@return the tasks of this loop that are not done yet} */
    final List<Task<?>> liveTasks() {
        List<Task<?>> tasks = new ArrayList<>();
        for (Task<?> t = liveTasks; t != null; t = t.nextLive) {
            tasks.add(t);
        }
        return tasks;
    }

    /** A future failed: its exception is reported if nobody reads it before the future is collected or the loop closes. */
    final void watchUnretrieved(Future<?> future) {
        FailureWatch w = new FailureWatch(future, collectedFailures, originOf(future));
        future.failureWatch = w;
        unretrieved.add(w);
    }

    /** Someone read the exception of a failed future: it is not reported. */
    final void retrieved(FailureWatch w) {
        unretrieved.remove(w);
    }

    private void reportCollectedFailures() {
        for (Reference<?> r; (r = collectedFailures.poll()) != null; ) {
            if (unretrieved.remove(r)) {
                ((FailureWatch) r).report(this);
            }
        }
    }

    /** The report of a failed future, kept apart from it so that it can be made once the future is collected. */
    static final class FailureWatch extends WeakReference<Future<?>> {
        private final String future;
        private final boolean isTask;
        private final Throwable exception;
        private final StackTraceElement[] origin;

        FailureWatch(Future<?> future, ReferenceQueue<Future<?>> queue, List<StackTraceElement> origin) {
            super(future, queue);
            this.future = future.toString();
            this.isTask = future instanceof Task;
            this.exception = future.exception;
            this.origin = origin == null ? null : origin.toArray(new StackTraceElement[0]);
        }

        void report(EventLoop loop) {
            Future<?> f = get(); // still there when the loop closes; null once collected
            loop.callExceptionHandler(new ExceptionContext((isTask ? "Task" : "Future")
                    + " exception was never retrieved: " + future, exception, f, null,
                    origin == null ? null : List.of(origin)));
        }
    }

    @SuppressWarnings("unchecked")
    <T> Future<T> ensureFuture(Awaitable<T> awaitable) {
        Objects.requireNonNull(awaitable, "awaitable");
        if (awaitable instanceof Coroutine) {
            return createTask((Coroutine<T>) awaitable);
        }
        Future<T> f = (Future<T>) awaitable;
        if (f.loop != this) {
            throw new IllegalArgumentException("The future belongs to a different loop than the one specified");
        }
        return f;
    }

    /** Rule 7: loop methods are called on the loop's thread. */
    final void checkThread(String method) {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException(method + "() was called from thread '" + Thread.currentThread().getName()
                    + "', but the event loop runs in thread '" + t.getName()
                    + "'; only callSoonThreadsafe() may be called from other threads");
        }
    }

    /** Refuses to run a closed or running loop, or a loop on a thread that runs another (as asyncio does). */
    private void checkCanRun(String method) {
        checkOpen(method);
        if (thread != null) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (running() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
    }

    private void checkOpen(String method) {
        checkThread(method);
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    /** A delay in seconds to nanoseconds: NaN is refused, zero or negative is zero. */
    static long toNanos(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("delay must not be NaN");
        }
        return seconds <= 0 ? 0 : secondsToNanos(seconds);
    }

    /**
     * Seconds to the nearest nanosecond (so that {@code callAt(1.001).when()} is {@code 1.001} again), saturating
     * at about &plusmn;146 years.
     */
    private static long secondsToNanos(double seconds) {
        return Math.abs(seconds) >= 4.6e9 ? (long) Math.copySign(Long.MAX_VALUE / 2, seconds) : Math.round(seconds * 1e9);
    }
}
