package io.jasyncio;

import io.jasyncio.internal.Woven;

/**
 * A hand-written coroutine on the woven protocol that runs a body inside a scope, as Python's
 * {@code async with}: {@link #enter()}, then the body (awaited inline, in the same task), then
 * {@link #exit(Object, Throwable)} with the body's outcome. {@code exit} may suspend: it then returns
 * {@link Woven#SUSPENDED} after awaiting something through {@link #awaitInExit(Object)}, and is continued by
 * {@link #exitResumed(Object, Throwable)}.
 */
abstract class Scope<T> extends Coroutine<T> {
    private static final int NEW = 0;
    private static final int BODY = 1;
    private static final int EXIT = 2;
    private int phase = NEW;

    /** Enters the scope in {@link #task}; throws (before any body runs) if it cannot. */
    abstract void enter();

    /** {@return the body: a coroutine (run inline) or a future (awaited)} */
    abstract Object body() throws Exception;

    /** The body finished: returns the scope's result, throws, or suspends. */
    abstract Object exit(Object value, Throwable exception);

    /** What {@link #exit} awaited is done: continues the exit. */
    Object exitResumed(Object value, Throwable exception) {
        throw new IllegalStateException(this + " did not suspend in its exit");
    }

    /** For {@link #exit}: awaits {@code awaitable} from this frame; on {@link Woven#SUSPENDED}, return it. */
    final Object awaitInExit(Object awaitable) {
        phase = EXIT;
        return Woven.await(awaitable, this);
    }

    @Override
    protected final Object resume(Object value, Throwable exception) {
        switch (phase) {
            case NEW: {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                enter();
                phase = BODY;
                Object r;
                try {
                    Object body = body();
                    if (body == null) {
                        throw new NullPointerException("the body of " + describeScope()
                                + " returned null instead of a coroutine");
                    }
                    r = Woven.await(body, this);
                } catch (Throwable t) {
                    return exit(null, t);
                }
                return r == Woven.SUSPENDED ? r : exit(r, null);
            }
            case BODY:
                return exit(value, exception);
            default:
                return exitResumed(value, exception);
        }
    }

    /** {@return the scope's name for messages, such as {@code timeout()}} */
    abstract String describeScope();

    /** Checks that the scope runs as part of its task's step (and not, say, resumed by hand). */
    final Task<?> currentTask() {
        Task<?> t = task;
        if (t == null || t.loop.currentTask != t) {
            throw new IllegalStateException(describeScope() + " must be used inside a task");
        }
        return t;
    }

    @Override
    public String toString() {
        return "<coroutine " + describeScope() + (task == null ? "" : " running in " + task.getName()) + ">";
    }
}
