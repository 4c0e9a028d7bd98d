package io.jasyncio;

import io.jasyncio.internal.Woven;

/**
 * A {@link Future} that runs a coroutine on its loop; asyncio's {@code Task}. Made by
 * {@link Asyncio#createTask(Coroutine)} or {@link EventLoop#createTask(Coroutine)}; the first step is scheduled
 * with {@code callSoon}.
 *
 * <p>Cancellation is a request: {@link #cancel(String)} makes the task's current (or next) suspension throw
 * {@link CancelledError} at its {@code await}; {@code finally} blocks run and the coroutine may even catch it.
 * A task cancelled before its first step never runs its body. The result of a task cannot be set from outside:
 * {@link #setResult} and {@link #setException} throw.
 *
 * <h2>Implementation overview</h2>
 * <p>{@link #current} is the innermost suspended frame of the task's chain of coroutines; {@link #waitingOn} is
 * what it waits for (a future, a timer, a {@code CompletionStage}, or nothing while it sits in the ready queue).
 * A wake-up resumes {@code current} directly; {@link #step} is a trampoline that hands each finished frame's
 * result (or exception) to its caller frame, so no Java stack is kept between suspensions.
 *
 * @param <T> the type of the coroutine's result
 */
public class Task<T> extends Future<T> {
    /** The innermost frame to resume; set by whatever suspends the task. */
    Coroutine<?> current;
    /**
     * A {@link Future}, a {@link TimerHandle}, a {@link StageWait}, {@link #CANCELLED_WAIT} (the timer or stage was
     * cancelled: the wake-up throws), or {@code null}.
     */
    Object waitingOn;
    /** What a task waits on once {@link #cancel(String)} cancelled the timer or stage it waited on. */
    private static final Object CANCELLED_WAIT = new Object();
    /** The task's number in its loop, counting from 1 in order of creation. */
    final long id;
    private String name;
    private int cancelRequests;
    /** A cancellation to deliver at the next wake-up or suspension; its message is {@link #cancelMessage}. */
    private boolean mustCancel;
    private boolean started;
    /** The coroutine the task was created for. */
    private final Coroutine<T> coro;
    /**
     * The task's context: the creator's values (an immutable {@code Object[]}, shared until a variable is set) or,
     * once needed, a {@link Context} of its own.
     */
    Object context;
    /** The loop's list of live tasks (intrusive, for {@code allTasks} and the cleanup of {@code run}). */
    Task<?> prevLive;
    Task<?> nextLive;

    Task(EventLoop loop, Coroutine<T> coroutine, String name, Context context) {
        super(loop);
        if (coroutine.started()) {
            throw new IllegalStateException("cannot run " + coroutine + " in a new task: it was already awaited");
        }
        coroutine.task = this;
        if (Debug.tracking) {
            Debug.started(coroutine);
        }
        this.coro = coroutine;
        this.current = coroutine;
        this.id = loop.nextTaskId();
        this.name = name;
        this.context = context != null ? context : loop.contextValuesForNewTask();
    }

    /** {@return the coroutine this task runs (asyncio's {@code get_coro()})} */
    public Coroutine<T> getCoro() {
        return coro;
    }

    /**
     * The context the task runs in: a copy of its creator's, or the one given to
     * {@link EventLoop#createTask(Coroutine, String, Context)}.
     *
     * @return the task's context
     */
    public Context getContext() {
        loop.checkThread("Task.getContext");
        return getContextUnchecked();
    }

    final Context getContextUnchecked() {
        Object c = context;
        if (c instanceof Context) {
            return (Context) c;
        }
        Context own = new Context((Object[]) c);
        context = own;
        return own;
    }

    final Object[] contextValues() {
        Object c = context;
        return c instanceof Context ? ((Context) c).values : (Object[]) c;
    }

    /**
     * The chain of awaits the task is suspended in, innermost first: one element per suspended coroutine, at the
     * source line of its {@code await}. Empty once the task is done, or before its first step.
     *
     * @return the await chain
     */
    public java.util.List<StackTraceElement> getStack() {
        loop.checkThread("Task.getStack");
        java.util.List<StackTraceElement> stack = new java.util.ArrayList<>();
        if (!started || state != PENDING) {
            return stack;
        }
        for (Coroutine<?> f = current; f != null; f = f.caller) {
            StackTraceElement site = f.awaitSite();
            if (site != null) {
                stack.add(site);
            }
        }
        return stack;
    }

    /**
     * {@return where the innermost suspended coroutine that has a source position awaits, or {@code null}}: the
     * innermost frame is often the runtime's own ({@code sleep}, an awaited future), which has none.
     */
    final StackTraceElement resumeSite() {
        for (Coroutine<?> f = current; f != null; f = f.caller) {
            StackTraceElement site = f.awaitSite();
            if (site != null) {
                return site;
            }
        }
        return null;
    }

    /**
     * A {@link java.util.concurrent.CompletableFuture} of this task's outcome, for code outside the loop
     * ({@code CompletableFuture} pipelines, blocking {@code get()} on another thread). It is completed on the loop's
     * thread when the task is done (at once if it is done already), so dependent stages without {@code Async} run
     * there and must not block; a failed task's exception is its exception, which counts as retrieved; a cancelled
     * task cancels it. Cancelling it, from any thread, cancels the task (on the loop's thread). Each call makes a
     * new future.
     *
     * @return a future of the task's result
     */
    public java.util.concurrent.CompletableFuture<T> toCompletableFuture() {
        loop.checkThread("Task.toCompletableFuture");
        Interop.TaskCompletableFuture<T> f = new Interop.TaskCompletableFuture<>(loop);
        f.attach(this);
        return f;
    }

    /** {@return the task's name: the one given at creation, or {@code Task-N}} */
    public String getName() {
        return name != null ? name : "Task-" + id;
    }

    /**
     * Sets the task's name.
     *
     * @param name the new name
     */
    public void setName(String name) {
        loop.checkThread("Task.setName");
        this.name = name;
    }

    /** {@return how many cancellation requests are pending: {@link #cancel} calls not undone by {@link #uncancel}} */
    public int cancelling() {
        loop.checkThread("Task.cancelling");
        return cancelRequests;
    }

    /**
     * Undoes one cancellation request; when none is left, a cancellation that has not been delivered yet is
     * withdrawn.
     *
     * @return the number of requests left
     */
    public int uncancel() {
        loop.checkThread("Task.uncancel");
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
            }
        }
        return cancelRequests;
    }

    /**
     * Requests cancellation: the task's current suspension (or, if it is running, its next one) throws
     * {@link CancelledError} at the {@code await}. If the task waits on a future or task, that one is cancelled.
     *
     * @param message carried by the {@link CancelledError}, or {@code null}
     * @return {@code false} if the task is already done, {@code true} otherwise
     */
    @Override
    public boolean cancel(String message) {
        loop.checkThread("Task.cancel");
        if (state != PENDING) {
            return false;
        }
        cancelRequests++;
        mustCancel = true;
        cancelMessage = message;
        if (loop.currentTask != this) {
            cancelWaiting();
        }
        return true;
    }

    /** Always throws: a task's result comes from its coroutine. */
    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("Task does not support setResult(): its result comes from its coroutine");
    }

    /** Always throws: a task's exception comes from its coroutine. */
    @Override
    public void setException(Throwable exception) {
        throw new UnsupportedOperationException("Task does not support setException(): its exception comes from its coroutine");
    }

    @Override
    public String toString() {
        return "<Task " + getName() + " " + describeState() + ">";
    }

    // ---- the stepping protocol ------------------------------------------------------------------------------

    /** Delivers a pending cancellation to whatever the suspended task waits on. */
    private void cancelWaiting() {
        Object w = waitingOn;
        if (w instanceof Future) {
            if (((Future<?>) w).cancel(cancelMessage)) {
                mustCancel = false; // the future's cancellation wakes us with its CancelledError
            }
        } else if (w instanceof TimerHandle) {
            ((TimerHandle) w).cancel();
            wakeCancelled();
        } else if (w instanceof StageWait) {
            ((StageWait) w).abandon();
            wakeCancelled();
        } else if (w instanceof Parking) {
            ((Parking) w).unpark(this);
            wakeCancelled();
        }
        // else: not started, or yielding: the task is in the ready queue and wake() delivers the cancellation
    }

    /**
     * The timer or stage the task waited on was cancelled: the cancellation is delivered, as when a future is
     * cancelled, and {@link #uncancel()} can no longer withdraw it (asyncio's sleep cancels its future, which
     * uncancel() does not undo).
     */
    private void wakeCancelled() {
        mustCancel = false;
        waitingOn = CANCELLED_WAIT;
        loop.readyAdd(this);
    }

    /** Wakes this task, parked by {@link Op#park}: it resumes with {@code null} in the frame that awaited. */
    final void unpark() {
        waitingOn = null;
        loop.readyAdd(this);
    }

    /** Runs on the loop when the task is woken: takes the outcome of what it waited on and steps. */
    final void wake() {
        Object w = waitingOn;
        waitingOn = null;
        Object value = null;
        Throwable exception = null;
        if (w instanceof Future) {
            Future<?> f = (Future<?>) w;
            if (f.state == CANCELLED) {
                exception = f.cancelledError();
            } else if (f.exception != null) {
                f.markRetrieved();
                exception = f.exception;
            } else {
                value = f.result;
            }
        } else if (w instanceof StageWait) {
            StageWait sw = (StageWait) w;
            value = sw.value;
            exception = sw.exception;
        } else if (w == CANCELLED_WAIT) {
            exception = new CancelledError(cancelMessage);
        }
        if (mustCancel) {
            mustCancel = false;
            exception = new CancelledError(cancelMessage);
        }
        if (!started) {
            started = true;
            if (exception != null) { // cancelled before its first step: the body never runs
                if (coro instanceof Op) {
                    ((Op<?>) coro).abandon(); // a primitive's cached operation may be handed out again
                }
                finish(null, exception);
                return;
            }
        }
        step(value, exception);
    }

    /** The trampoline: resumes {@link #current}, then each caller frame with the outcome of its callee. */
    private void step(Object value, Throwable exception) {
        EventLoop loop = this.loop;
        loop.currentTask = this;
        try {
            Coroutine<?> frame = current;
            for (;;) {
                Object r;
                try {
                    r = frame.resume(value, exception);
                } catch (Throwable t) {
                    Coroutine<?> caller = frame.caller;
                    frame.caller = null;
                    if (caller == null) {
                        finish(null, t);
                        if (t instanceof VirtualMachineError) {
                            throw t; // recorded by the task, and out of the loop (as asyncio's KeyboardInterrupt)
                        }
                        return;
                    }
                    CoreImpl.addAsyncFrame(t, caller);
                    frame = caller;
                    value = null;
                    exception = t;
                    continue;
                }
                if (r == Woven.SUSPENDED) {
                    if (mustCancel) { // cancelled while running: deliver at this suspension
                        cancelWaiting();
                    }
                    return;
                }
                Coroutine<?> caller = frame.caller;
                frame.caller = null;
                if (caller == null) {
                    finish(r, null);
                    return;
                }
                frame = caller;
                value = r;
                exception = null;
            }
        } finally {
            loop.currentTask = null;
        }
    }

    private void finish(Object value, Throwable exception) {
        current = null;
        loop.taskDone(this);
        if (exception instanceof CancelledError) {
            // Kept for the first reader of the outcome, as asyncio's _cancelled_exc: awaiting the task rethrows the
            // very instance its body threw; later readers get a new one with the same message. It is kept in
            // `result`, unused once cancelled, so that tasks stay 80 bytes (W3).
            result = exception;
            cancelInternal(exception.getMessage());
        } else if (exception != null) {
            completeExceptionally(exception);
        } else if (mustCancel) { // it cancelled itself, then returned
            mustCancel = false;
            cancelInternal(cancelMessage);
        } else {
            complete(value);
        }
    }

    @Override
    CancelledError cancelledError() {
        if (result instanceof CancelledError) {
            CancelledError e = (CancelledError) result;
            result = null;
            return e;
        }
        return new CancelledError(cancelMessage);
    }
}
