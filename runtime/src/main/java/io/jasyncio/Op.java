package io.jasyncio;

import io.jasyncio.internal.Woven;

/**
 * A hand-written coroutine written as a small state machine: {@link #step(Object, Throwable)} runs the current
 * state with the outcome of the previous await and either returns the result or calls {@link #await(Object, int)}
 * and returns what that returns. Used by the synchronization primitives and queues.
 *
 * <h2>Reuse</h2>
 * <p>An operation made {@linkplain #reusable() reusable} is handed out again once it has completed, so that an
 * operation that does not have to wait ({@code await(lock.acquire())} on a free lock, a {@code get()} of a queue
 * that holds an item) allocates nothing. A primitive hands its cached operation to one caller at a time
 * ({@link #lend()}); while it is lent, callers get a new one. Completing clears the fields that awaiting set
 * ({@code task}, and {@code caller} when the operation finished without suspending; after a suspension the
 * task's trampoline clears {@code caller} itself after reading it).
 */
abstract class Op<T> extends Coroutine<T> {
    /** Returned by {@link #await(Object, int)}: return it from {@link #step}. */
    static final Object NEXT = new Object();

    /** Returned by {@link #park}: the task waits in its caller's frame, this operation is done. */
    private static final Object DETACHED = new Object();
    /** Returned by {@link #park} when this operation is the task's own coroutine: it stays the current frame. */
    private static final Object PARKED_HERE = new Object();

    /** The state {@link #step} runs next; 0 when the operation starts. */
    int state;
    private Object pending;
    private boolean suspended;
    private boolean lent;

    /** Whether this operation is handed out again once it completes (a primitive's cached one). */
    private final boolean reusable;

    /** A one-off operation. */
    Op() {
        this(false);
    }

    /**
     * An operation that is handed out again once it completes, if {@code reusable}.
     *
     * @param reusable whether this is a primitive's cached operation
     */
    Op(boolean reusable) {
        this.reusable = reusable;
    }

    /** For a primitive's cached operation: {@return whether the caller may have it (it was not lent already)} */
    final boolean lend() {
        if (lent) {
            return false;
        }
        lent = true;
        return true;
    }

    /**
     * Runs the current {@link #state}.
     *
     * @param value the value of the previous await (or {@code null} at the start)
     * @param exception the exception of the previous await, or {@code null}
     * @return the operation's result, or {@link #NEXT} after {@link #await(Object, int)}
     */
    abstract Object step(Object value, Throwable exception);

    /** From {@link #step}: awaits {@code awaitable}, then continues at state {@code next}. Return what it returns. */
    final Object await(Object awaitable, int next) {
        pending = awaitable;
        state = next;
        return NEXT;
    }

    /**
     * From {@link #step}, when all that is left after the wait is to return {@code null} (or throw the task's
     * cancellation): parks the task on {@code on} and returns what {@link #step} returns. The task resumes its
     * caller's frame directly when {@code on} wakes it ({@link Task#unpark()}), so this operation is done at once
     * and no frame of its own is kept while the task waits. When this operation is the task's own coroutine
     * (there is no caller frame), it stays the task's current frame and is resumed at state {@code next}.
     */
    final Object park(Parking on, int next) {
        Task<?> t = task;
        t.waitingOn = on;
        Coroutine<?> c = caller;
        if (c == null) {
            t.current = this;
            state = next;
            return PARKED_HERE;
        }
        t.current = c;
        caller = null;
        return DETACHED;
    }

    @Override
    protected final Object resume(Object value, Throwable exception) {
        for (;;) {
            Object r;
            try {
                r = step(value, exception);
            } catch (Throwable t) {
                completed();
                throw t;
            }
            if (r != NEXT) {
                if (r == DETACHED) {
                    completed();
                    return Woven.SUSPENDED;
                }
                if (r == PARKED_HERE) {
                    suspended = true;
                    return Woven.SUSPENDED;
                }
                completed();
                return r;
            }
            Object awaitable = pending;
            pending = null;
            try {
                Object v = Woven.await(awaitable, this);
                if (v == Woven.SUSPENDED) {
                    suspended = true;
                    return v;
                }
                value = v;
                exception = null;
            } catch (Throwable t) {
                value = null;
                exception = t;
            }
        }
    }

    /**
     * The task that was to run this operation was cancelled before its first step, so {@link #resume} never runs:
     * a reusable operation is handed back all the same (else its primitive would allocate a new one on every later
     * call). {@link Holding} passes it on to the acquisition it was lent.
     */
    void abandon() {
        if (state == 0) {
            completed();
        }
    }

    private void completed() {
        if (reusable) {
            state = 0;
            task = null;
            if (!suspended) {
                caller = null; // awaited inline and done at once: nobody reads it (see the class comment)
            }
            suspended = false;
            lent = false;
        }
    }
}
