package io.jasyncio;

import io.jasyncio.internal.Core;

/**
 * A coroutine: the object an {@code @Async} method returns when it is called. Calling the method runs none of
 * its body; the body runs when the coroutine is awaited ({@code await(coro)}, inline in the awaiting task) or
 * wrapped in a {@link Task} ({@link Asyncio#createTask(Coroutine)}). A coroutine can be awaited once.
 *
 * <p>Instances are made by woven code: the transformer turns each {@code @Async} method into a subclass of
 * this class (the coroutine's <em>frame</em>, which holds its suspended state) and a static body method that
 * runs as a state machine. Applications do not subclass {@code Coroutine} themselves.
 *
 * <h2>Implementation overview</h2>
 * <p>The suspension protocol (see {@code docs/design.md}) follows Kotlin's: a body, entered through
 * {@link #resume(Object, Throwable)}, either returns its result or the marker {@code Woven.SUSPENDED}. Awaiting
 * a coroutine runs it inline, as a plain Java call; only when the innermost frame really has to wait does the
 * marker travel up the Java stack, each frame saving its live state into its own fields on the way. The task
 * then records the innermost frame and resumes exactly that one later (O(1)); when a resumed frame completes,
 * the task's trampoline resumes its {@link #caller} with the result, so a chain of any depth resumes without
 * growing the Java stack. An {@code await} of a static, private or final {@code @Async} method of the same class
 * calls its body directly, and that callee allocates its frame only if it suspends; so does an await of another
 * class's method or of an overridable one, linked at run time where the method that runs is woven for the same
 * protocol ({@code Woven.awaitCall}).
 *
 * @param <T> the type of the coroutine's result
 */
public abstract non-sealed class Coroutine<T> implements Awaitable<T> {
    static {
        Core.register(new CoreImpl());
    }

    /** The frame that awaits this one; {@code null} for a task's outermost coroutine. */
    Coroutine<?> caller;

    /** The task running this coroutine; {@code null} until it is first awaited or wrapped in a task. */
    Task<?> task;

    /** For subclasses made by the transformer (and the runtime's own primitives). */
    @SuppressWarnings("this-escape") // debug mode only: registers the new coroutine to report it if never awaited
    protected Coroutine() {
        if (Debug.tracking) {
            Debug.created(this);
        }
    }

    /**
     * Runs the body from its start or from the point where it last suspended.
     *
     * @param value the result of the awaited operation that resumes the body ({@code null} at the start)
     * @param exception the exception of the awaited operation, to be thrown at the suspended {@code await};
     *                  {@code null} when the operation succeeded
     * @return the coroutine's result, or {@code Woven.SUSPENDED} if the body suspended again
     */
    protected abstract Object resume(Object value, Throwable exception);

    /**
     * Where the body is suspended, for the stack trace of an exception that travels from an awaited coroutine
     * to this one after a resumption (when this frame is no longer on the Java stack).
     *
     * @return the source position of the current {@code await}, or {@code null} if unknown
     */
    protected StackTraceElement awaitSite() {
        return null;
    }

    /** {@return whether this coroutine has started: it was awaited or wrapped in a task} */
    final boolean started() {
        return task != null;
    }

    @Override
    public String toString() {
        return "<coroutine " + describe() + (task == null ? "" : " running in " + task.getName()) + ">";
    }

    /** {@return the name of the method this coroutine runs, as {@code Owner.method}} */
    final String describe() {
        String name = getClass().getName();
        int marker = name.indexOf("$$Async$");
        if (marker >= 0) {
            name = name.substring(0, marker) + "." + name.substring(marker + "$$Async$".length());
        }
        return name;
    }
}
