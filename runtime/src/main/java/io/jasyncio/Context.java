package io.jasyncio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A set of {@link ContextVar} values; Python's {@code contextvars.Context}. Every task runs in its own context,
 * which starts as a copy of its creator's (so a value set in a task is seen by everything that task awaits, and by
 * the tasks it creates, but never by its creator or its siblings). {@link Asyncio#toThread(java.util.concurrent.Callable)}
 * carries a copy to the worker thread.
 *
 * <p>Copying is O(1): a context holds an immutable array of (variable, value) pairs, which {@link ContextVar#set}
 * replaces. Reading a variable scans that array (a program has a handful of variables, not thousands).
 *
 * <p>Where the current context comes from: in a task's step, the task's context; in a callback scheduled with a
 * context ({@link EventLoop#callSoon(Runnable, Context)}, or one scheduled while a variable was set), that
 * context; inside {@link #run(Runnable)}, the context run; anywhere else, the calling thread's own context.
 */
public final class Context {
    static final Object[] EMPTY = {};
    private static final ThreadLocal<Context> THREAD = ThreadLocal.withInitial(Context::new);
    private static final VarHandle ENTERED;

    static {
        try {
            ENTERED = MethodHandles.lookup().findVarHandle(Context.class, "entered", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Pairs {@code var0, value0, var1, value1, ...}; never modified, only replaced. */
    Object[] values;
    /** Whether {@link #run} is running this context (on some thread). */
    @SuppressWarnings("unused") // written through ENTERED
    private volatile boolean entered;

    /** Creates an empty context (Python's {@code Context()}). */
    public Context() {
        this(EMPTY);
    }

    Context(Object[] values) {
        this.values = values;
    }

    /**
     * A copy of the current context; Python's {@code contextvars.copy_context()}. Later changes to either are not
     * seen by the other.
     *
     * @return the copy
     */
    public static Context copyContext() {
        return new Context(currentValues());
    }

    /**
     * Runs {@code body} with this context as the current one, then restores the previous one; Python's
     * {@code Context.run}. Variables that {@code body} sets are set in this context.
     *
     * @param body what to run
     * @throws IllegalStateException if this context is already entered (by {@code run}, or as the context of the
     *                               task that calls this)
     */
    public void run(Runnable body) {
        Objects.requireNonNull(body, "body");
        try {
            call(() -> {
                body.run();
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e); // a Runnable throws no checked exception
        }
    }

    /**
     * As {@link #run(Runnable)}, for a body with a result.
     *
     * @param body what to run
     * @param <T> the result type
     * @return what {@code body} returned
     * @throws Exception what {@code body} threw, unchanged
     * @throws IllegalStateException if this context is already entered
     */
    public <T> T call(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        EventLoop loop = EventLoop.running();
        if (loop != null && loop.context == null && loop.currentTask != null && loop.currentTask.context == this) {
            throw alreadyEntered();
        }
        if (!ENTERED.compareAndSet(this, false, true)) {
            throw alreadyEntered();
        }
        try {
            if (loop != null) {
                Context saved = loop.context;
                loop.context = this;
                try {
                    return body.call();
                } finally {
                    loop.context = saved;
                }
            }
            Context saved = THREAD.get();
            THREAD.set(this);
            try {
                return body.call();
            } finally {
                THREAD.set(saved);
            }
        } finally {
            ENTERED.setVolatile(this, false);
        }
    }

    private IllegalStateException alreadyEntered() {
        return new IllegalStateException("cannot enter context " + this + ": it is already entered");
    }

    /**
     * The value of {@code var} in this context.
     *
     * @param var the variable
     * @param <T> its type
     * @return the value, or {@code null} if the variable is not set here (its default is not consulted)
     */
    public <T> T get(ContextVar<T> var) {
        Objects.requireNonNull(var, "var");
        Object[] v = values;
        int i = indexOf(v, var);
        @SuppressWarnings("unchecked") T t = i < 0 ? null : (T) v[i + 1];
        return t;
    }

    /**
     * Whether {@code var} is set in this context.
     *
     * @param var the variable
     * @return whether it has a value here
     */
    public boolean contains(ContextVar<?> var) {
        return indexOf(values, Objects.requireNonNull(var, "var")) >= 0;
    }

    /** {@return how many variables are set in this context} */
    public int size() {
        return values.length / 2;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Context {");
        Object[] v = values;
        for (int i = 0; i < v.length; i += 2) {
            sb.append(i == 0 ? "" : ", ").append(((ContextVar<?>) v[i]).getName()).append('=').append(v[i + 1]);
        }
        return sb.append("}>").toString();
    }

    // ---- internals ------------------------------------------------------------------------------------------

    static int indexOf(Object[] v, ContextVar<?> var) {
        for (int i = 0; i < v.length; i += 2) {
            if (v[i] == var) {
                return i;
            }
        }
        return -1;
    }

    /** {@return {@code v} with {@code var} set to {@code value}, as a new array} */
    static Object[] with(Object[] v, ContextVar<?> var, Object value) {
        int i = indexOf(v, var);
        Object[] n;
        if (i >= 0) {
            n = v.clone();
        } else {
            n = java.util.Arrays.copyOf(v, v.length + 2);
            i = v.length;
            n[i] = var;
        }
        n[i + 1] = value;
        return n;
    }

    /** {@return {@code v} without {@code var}, as a new array (or {@code v} if it was not set)} */
    static Object[] without(Object[] v, ContextVar<?> var) {
        int i = indexOf(v, var);
        if (i < 0) {
            return v;
        }
        Object[] n = new Object[v.length - 2];
        System.arraycopy(v, 0, n, 0, i);
        System.arraycopy(v, i + 2, n, i, v.length - i - 2);
        return n;
    }

    /** {@return the values of the current context, without materializing a task's context} */
    static Object[] currentValues() {
        EventLoop loop = EventLoop.running();
        if (loop != null) {
            if (loop.context != null) {
                return loop.context.values;
            }
            Task<?> t = loop.currentTask;
            if (t != null) {
                return t.contextValues();
            }
        }
        return THREAD.get().values;
    }

    /** {@return the current context, for a change} */
    static Context current() {
        EventLoop loop = EventLoop.running();
        if (loop != null) {
            if (loop.context != null) {
                return loop.context;
            }
            Task<?> t = loop.currentTask;
            if (t != null) {
                return t.getContextUnchecked();
            }
            // A callback scheduled where no variable was set carries no context (so that scheduling it costs
            // nothing): as asyncio's, it runs in a copy of its own, made here on its first change and dropped by
            // the loop once the callback returns, so that what it sets is seen by no other callback.
            Context own = new Context(THREAD.get().values);
            loop.context = own;
            return own;
        }
        return THREAD.get();
    }
}
