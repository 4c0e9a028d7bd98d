package io.jasyncio;

import java.util.OptionalDouble;

/**
 * The deadline of a {@link Asyncio#timeout(double, AsyncFunction) timeout} scope; asyncio's {@code Timeout}. The
 * scope hands it to its body, which may move the deadline:
 * <pre>{@code
 * await(timeout(10, t -> {
 *     await(connect());
 *     t.reschedule(getRunningLoop().time() + 1);   // one more second from now for the rest
 *     return done(await(readAll()));
 * }));
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *   ENTERED ──deadline──▶ EXPIRING ──scope ends──▶ EXPIRED
 *      │
 *      └──scope ends before the deadline──▶ EXITED
 * </pre>
 * When the deadline passes, the scope's task is cancelled; when the body then ends with that
 * {@link CancelledError}, the scope throws {@link TimeoutException} instead (its cause is the cancellation) and
 * {@link #expired()} is true. A cancellation from elsewhere (a second {@code cancel()} request) stays a
 * cancellation: the scope tells them apart with {@link Task#cancelling()} and {@link Task#uncancel()}.
 */
public final class Timeout {
    private enum State { CREATED, ENTERED, EXPIRING, EXPIRED, EXITED }

    private State state = State.CREATED;
    private double when;
    private boolean hasDeadline;
    private Task<?> task;
    private int cancellingAtEntry;
    private Handle handle;
    /** Whether {@link #when} is a delay from the scope's start, to be made a deadline by {@link #enter}. */
    private boolean relative;

    private Timeout(double when, boolean relative) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException((relative ? "the delay" : "the deadline") + " of a timeout must not be NaN");
        }
        this.hasDeadline = when != Double.POSITIVE_INFINITY;
        this.when = when;
        this.relative = relative;
    }

    /** A timeout {@code delay} seconds after the scope starts. */
    static Timeout after(double delay) {
        return new Timeout(delay, true);
    }

    /** A timeout at loop time {@code when}. */
    static Timeout at(double when) {
        return new Timeout(when, false);
    }

    /** {@return the deadline in loop time ({@link EventLoop#time()}), or empty if there is none} */
    public OptionalDouble when() {
        return hasDeadline ? OptionalDouble.of(when) : OptionalDouble.empty();
    }

    /**
     * Moves the deadline; a deadline already past expires the scope at its next suspension.
     *
     * @param when the new deadline in loop time; empty (or {@code Double.POSITIVE_INFINITY}) for none
     * @throws IllegalStateException if the scope has expired or ended
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public void reschedule(OptionalDouble when) {
        reschedule(when.isPresent() ? when.getAsDouble() : Double.POSITIVE_INFINITY);
    }

    /**
     * Moves the deadline; {@code Double.POSITIVE_INFINITY} removes it.
     *
     * @param when the new deadline in loop time
     * @throws IllegalStateException if the scope has expired or ended
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public void reschedule(double when) {
        if (Double.isNaN(when)) {
            throw new IllegalArgumentException("the deadline of a timeout must not be NaN");
        }
        if (task != null) {
            task.loop.checkThread("Timeout.reschedule");
        }
        if (state != State.ENTERED) {
            throw new IllegalStateException("Cannot change the deadline of " + stateName() + " " + this);
        }
        schedule(when);
    }

    /** {@return whether the deadline passed while the scope ran (it then ends, or ended, with a timeout)} */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /** {@return the state as asyncio names it: active, expiring, expired, finished} */
    private String stateName() {
        switch (state) {
            case EXPIRING: return "expiring";
            case EXPIRED: return "expired";
            case EXITED: return "finished";
            default: return "active";
        }
    }

    /** {@return as asyncio's repr: {@code <Timeout [active] when=12.5>}, {@code <Timeout [expired]>}, {@code <Timeout [finished]>}} */
    @Override
    public String toString() {
        boolean active = state == State.CREATED || state == State.ENTERED;
        return "<Timeout [" + stateName() + "]" + (active && hasDeadline ? " when=" + when : "") + ">";
    }

    // ---- the scope ------------------------------------------------------------------------------------------

    private void schedule(double when) {
        this.when = when;
        this.hasDeadline = when != Double.POSITIVE_INFINITY;
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (hasDeadline) {
            EventLoop loop = task.loop;
            handle = when <= loop.time() ? loop.callSoon(this::onTimeout) : loop.callAt(when, this::onTimeout);
        }
    }

    void enter(Task<?> t) {
        state = State.ENTERED;
        task = t;
        cancellingAtEntry = t.cancelling();
        if (relative) {
            relative = false;
            schedule(hasDeadline ? t.loop.time() + when : Double.POSITIVE_INFINITY);
        } else {
            schedule(when);
        }
    }

    private void onTimeout() {
        task.cancel();
        state = State.EXPIRING;
        handle = null;
    }

    /** The scope ends with {@code exception} (or none): {@return what the scope throws instead, or {@code null}} */
    Throwable exit(Throwable exception) {
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingAtEntry && exception instanceof CancelledError) {
                return new TimeoutException("timed out" + (hasDeadline ? " at loop time " + when : ""), exception);
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return exception;
    }

    /**
     * The coroutine of {@link Asyncio#timeout(double, AsyncFunction)}, and of {@link Asyncio#waitFor(Awaitable,
     * double)} (with an awaitable instead of a body).
     */
    static final class TimeoutScope<T> extends Scope<T> {
        private final Timeout timeout;
        private final AsyncFunction<Timeout, T> body;
        private final Awaitable<T> awaitable;

        TimeoutScope(Timeout timeout, AsyncFunction<Timeout, T> body) {
            this.timeout = timeout;
            this.body = java.util.Objects.requireNonNull(body, "body");
            this.awaitable = null;
        }

        TimeoutScope(Timeout timeout, Awaitable<T> awaitable) {
            this.timeout = timeout;
            this.body = null;
            this.awaitable = awaitable;
        }

        @Override
        void enter() {
            timeout.enter(currentTask());
        }

        @Override
        Object body() throws Exception {
            return body != null ? body.apply(timeout) : awaitable;
        }

        @Override
        Object exit(Object value, Throwable exception) {
            Throwable e = timeout.exit(exception);
            if (e != null) {
                throw CoreImpl.sneakyThrow(e);
            }
            return value;
        }

        @Override
        String describeScope() {
            return body != null ? "timeout()" : "waitFor()";
        }
    }
}
