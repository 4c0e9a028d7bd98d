package io.jasyncio;

import java.util.ArrayList;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The eventual result of an operation, bound to one {@link EventLoop}; asyncio's {@code Future}.
 *
 * <p>States and the calls that move between them:
 * <pre>
 *                 setResult(v) / setException(e)
 *     PENDING ───────────────────────────────────▶ FINISHED
 *        │
 *        │ cancel(msg)
 *        ▼
 *     CANCELLED
 * </pre>
 *
 * <table>
 *   <caption>What each method does in each state</caption>
 *   <tr><th>method</th><th>PENDING</th><th>FINISHED</th><th>CANCELLED</th></tr>
 *   <tr><td>{@link #result()}</td><td>throws {@link InvalidStateException}</td>
 *       <td>the value, or throws the exception unchanged</td><td>throws {@link CancelledError}</td></tr>
 *   <tr><td>{@link #exception()}</td><td>throws {@link InvalidStateException}</td>
 *       <td>the exception, or {@code null}</td><td>throws {@link CancelledError}</td></tr>
 *   <tr><td>{@link #cancel()}</td><td>→ CANCELLED, {@code true}</td><td>{@code false}</td>
 *       <td>{@code false}</td></tr>
 *   <tr><td>{@link #setResult}, {@link #setException}</td><td>→ FINISHED</td>
 *       <td>throws {@link InvalidStateException}</td><td>throws {@link InvalidStateException}</td></tr>
 * </table>
 *
 * <p>Done-callbacks are never called inline: when the future becomes done, each is scheduled with
 * {@link EventLoop#callSoon(Runnable) callSoon}, in the order they were added; one added to a future that is
 * already done is scheduled at once. Every method must be called on the loop's thread.
 *
 * @param <T> the type of the result
 */
public non-sealed class Future<T> implements Awaitable<T> {
    static final byte PENDING = 0;
    static final byte CANCELLED = 1;
    static final byte FINISHED = 2;

    final EventLoop loop;
    byte state;
    /**
     * Set while this is a failed task whose exception nobody has read ({@link #result()}, {@link #exception()}, an
     * awaiter): the loop reports the exception unless it is read.
     */
    EventLoop.FailureWatch failureWatch;
    Object result;
    Throwable exception;
    /** The message of {@link #cancel(String)}. */
    String cancelMessage;
    /** {@code null}, one callback entry, or an {@code ArrayList} of them; an entry is a {@link Task} or a {@link Consumer}. */
    private Object callbacks;

    /**
     * Creates a pending future bound to {@code loop}. {@link EventLoop#createFuture()} is the usual way.
     *
     * @param loop the loop whose thread completes and observes this future
     */
    @SuppressWarnings("this-escape") // debug mode only: records where the future was created
    public Future(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (loop.debug) {
            loop.recordOrigin(this);
        }
    }

    /**
     * Where this future (or task) was created, innermost first, without the runtime's own frames; asyncio's
     * {@code _source_traceback}. Recorded only while its loop is in {@linkplain EventLoop#setDebug debug mode}.
     * May be called from any thread.
     *
     * @return the stack where it was created, or {@code null} if it was not recorded
     */
    public java.util.List<StackTraceElement> getSourceTraceback() {
        return loop.originOf(this);
    }

    /** {@return the loop this future is bound to} */
    public EventLoop getLoop() {
        return loop;
    }

    /** {@return whether the future is done: it has a result, an exception, or was cancelled} */
    public boolean done() {
        loop.checkThread("Future.done");
        return state != PENDING;
    }

    /** {@return whether the future was cancelled} */
    public boolean cancelled() {
        loop.checkThread("Future.cancelled");
        return state == CANCELLED;
    }

    /**
     * The result of a done future. A failed future throws its exception here, the same object (a checked one
     * too, although this method declares none).
     *
     * @return the result
     * @throws InvalidStateException if the future is not done
     * @throws CancelledError if the future was cancelled
     */
    public T result() {
        loop.checkThread("Future.result");
        switch (state) {
            case PENDING:
                throw new InvalidStateException("Result is not set: " + this);
            case CANCELLED:
                throw cancelledError();
            default:
                if (exception != null) {
                    markRetrieved();
                    throw CoreImpl.sneakyThrow(exception);
                }
                @SuppressWarnings("unchecked") T value = (T) result;
                return value;
        }
    }

    /**
     * The exception of a done future, or {@code null} if it succeeded.
     *
     * @return the exception, or {@code null}
     * @throws InvalidStateException if the future is not done
     * @throws CancelledError if the future was cancelled
     */
    public Throwable exception() {
        loop.checkThread("Future.exception");
        switch (state) {
            case PENDING:
                throw new InvalidStateException("Exception is not set: " + this);
            case CANCELLED:
                throw cancelledError();
            default:
                markRetrieved();
                return exception;
        }
    }

    /**
     * Marks the future done with a result and schedules its callbacks.
     *
     * @param value the result
     * @throws InvalidStateException if the future is already done
     */
    public void setResult(T value) {
        loop.checkThread("Future.setResult");
        if (state != PENDING) {
            throw new InvalidStateException("invalid state " + stateName() + ": " + this);
        }
        complete(value);
    }

    /**
     * Marks the future done with an exception and schedules its callbacks.
     *
     * @param exception the exception that awaiting or {@link #result()} will throw
     * @throws InvalidStateException if the future is already done
     */
    public void setException(Throwable exception) {
        loop.checkThread("Future.setException");
        Objects.requireNonNull(exception, "exception");
        if (state != PENDING) {
            throw new InvalidStateException("invalid state " + stateName() + ": " + this);
        }
        completeExceptionally(exception);
    }

    /**
     * Cancels the future if it is pending, and schedules its callbacks.
     *
     * @return {@code true} if the future was pending and is now cancelled; {@code false} if it was already done
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future if it is pending; the {@link CancelledError} thrown by {@link #result()} or at an
     * {@code await} of this future carries {@code message}.
     *
     * @param message the cancellation message, or {@code null}
     * @return {@code true} if the future was pending and is now cancelled; {@code false} if it was already done
     */
    public boolean cancel(String message) {
        loop.checkThread("Future.cancel");
        return cancelInternal(message);
    }

    /** {@link #cancel(String)} without the thread check, for the runtime's own use. */
    final boolean cancelInternal(String message) {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        cancelMessage = message;
        scheduleCallbacks();
        return true;
    }

    /**
     * Adds a callback to run, through {@link EventLoop#callSoon(Runnable) callSoon}, when the future is done;
     * on a future already done it is scheduled at once.
     *
     * @param callback receives this future
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread("Future.addDoneCallback");
        addCallbackEntry(Objects.requireNonNull(callback, "callback"));
    }

    /**
     * Removes every registration of {@code callback} that has not been scheduled yet.
     *
     * @param callback the callback given to {@link #addDoneCallback}
     * @return how many registrations were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.checkThread("Future.removeDoneCallback");
        return removeCallbackEntry(callback);
    }

    // ---- internals ------------------------------------------------------------------------------------------

    final void addCallbackEntry(Object entry) {
        if (state != PENDING) {
            schedule(entry);
            return;
        }
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = entry;
        } else if (cbs instanceof CallbackList) {
            ((CallbackList) cbs).add(entry);
        } else {
            CallbackList list = new CallbackList();
            list.add(cbs);
            list.add(entry);
            callbacks = list;
        }
    }

    final int removeCallbackEntry(Object entry) {
        Object cbs = callbacks;
        if (cbs == entry) {
            callbacks = null;
            return 1;
        }
        if (cbs instanceof CallbackList) {
            CallbackList list = (CallbackList) cbs;
            int before = list.size();
            list.removeIf(e -> e == entry);
            return before - list.size();
        }
        return 0;
    }

    final void complete(Object value) {
        result = value;
        state = FINISHED;
        scheduleCallbacks();
    }

    final void completeExceptionally(Throwable e) {
        exception = e;
        state = FINISHED;
        loop.watchUnretrieved(this);
        scheduleCallbacks();
    }

    private void scheduleCallbacks() {
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (cbs instanceof CallbackList) {
            for (Object entry : (CallbackList) cbs) {
                schedule(entry);
            }
        } else {
            schedule(cbs);
        }
    }

    private void schedule(Object entry) {
        if (entry instanceof Task) {
            loop.readyAdd(entry);
        } else {
            loop.readyAddDoneCallback(entry, this);
        }
    }

    /** The exception a cancelled future throws, with the cancellation message. */
    CancelledError cancelledError() {
        return new CancelledError(cancelMessage);
    }

    /** Gives a done future's outcome to an awaiter: returns the value or throws the exception, unchanged. */
    final Object outcome() {
        if (state == CANCELLED) {
            throw cancelledError();
        }
        if (exception != null) {
            markRetrieved();
            throw CoreImpl.sneakyThrow(exception);
        }
        return result;
    }

    /** The exception was read (or handed to an awaiter): it is not reported as never retrieved. */
    final void markRetrieved() {
        if (failureWatch != null) {
            loop.retrieved(failureWatch);
            failureWatch = null;
        }
    }

    String stateName() {
        return state == PENDING ? "PENDING" : state == CANCELLED ? "CANCELLED" : "FINISHED";
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + describeState() + ">";
    }

    /** {@return the state as {@link #toString()} shows it: {@code pending}, {@code finished result=1}, ...} */
    final String describeState() {
        String s = stateName().toLowerCase(java.util.Locale.ROOT);
        if (state == FINISHED) {
            s += exception != null ? " exception=" + exception : " result=" + result;
        }
        return s;
    }

    /** The list type for two or more callbacks, distinct from any user object. */
    private static final class CallbackList extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;

        CallbackList() {
            super(4);
        }
    }
}
