package io.jasyncio;

/**
 * A meeting point for a fixed number of tasks; asyncio's {@code Barrier}. Each task's {@link #waitFor()} waits
 * until {@link #parties()} tasks are waiting, then all go on together, each with a distinct arrival index from 0
 * to {@code parties() - 1}; the barrier can then be used again. {@link #abort()} breaks it ({@code waitFor()}
 * throws {@link BrokenBarrierException} for the tasks waiting and every later one); {@link #reset()} makes the
 * waiting tasks throw and the barrier usable again.
 * <pre>{@code
 * Barrier start = new Barrier(3);
 * // in each of three tasks:
 * int arrival = await(start.waitFor());
 * }</pre>
 */
public class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    private int count;

    /**
     * Creates a barrier for {@code parties} tasks.
     *
     * @param parties how many tasks must wait before all go on
     * @throws IllegalArgumentException if {@code parties} is zero or negative
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0, not " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} tasks are waiting (the last one to arrive does not wait).
     *
     * @return a coroutine of this task's arrival index, from 0 to {@code parties() - 1}
     * @throws BrokenBarrierException (from the coroutine) if the barrier is broken, or is aborted or reset while
     *                                this task waits
     */
    public Coroutine<Integer> waitFor() {
        return new Wait(this);
    }

    /**
     * Makes the tasks waiting now throw {@link BrokenBarrierException}, and the barrier empty and usable again.
     *
     * @return a coroutine that completes once the barrier is reset
     */
    public Coroutine<Void> reset() {
        return new Change(this, false);
    }

    /**
     * Breaks the barrier: the tasks waiting now and every later {@link #waitFor()} throw
     * {@link BrokenBarrierException}.
     *
     * @return a coroutine that completes once the barrier is broken
     */
    public Coroutine<Void> abort() {
        return new Change(this, true);
    }

    /** {@return how many tasks must wait before all go on} */
    public int parties() {
        return parties;
    }

    /** {@return how many tasks wait now (while the barrier fills)} */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /** {@return whether the barrier is broken ({@link #abort()})} */
    public boolean broken() {
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        return "<Barrier [" + state.name().toLowerCase(java.util.Locale.ROOT)
                + (state == State.BROKEN ? "" : ", waiters:" + nWaiting() + "/" + parties) + "]>";
    }

    /** The last task left: asyncio's {@code _exit}. */
    private void exit() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.notifyAllWaiters();
        }
    }

    /** The coroutine of {@link #waitFor()}: asyncio's {@code Barrier.wait}, state by state. */
    private static final class Wait extends Op<Integer> {
        private static final int LOCKED = 1;
        private static final int UNBLOCKED = 2;
        private static final int RELEASED = 3;
        private final Barrier b;
        private int index;

        Wait(Barrier b) {
            this.b = b;
        }

        @Override
        Object step(Object value, Throwable exception) {
            Barrier bar = b;
            switch (state) {
                case 0:
                    if (exception != null) {
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    return await(bar.cond.acquire(), LOCKED);
                case LOCKED:
                    if (exception != null) {
                        throw CoreImpl.sneakyThrow(exception); // the lock is not held
                    }
                    // block while the barrier drains or resets
                    return await(bar.cond.waitUntil(() -> bar.state != State.DRAINING && bar.state != State.RESETTING),
                            UNBLOCKED);
                case UNBLOCKED:
                    if (exception == null && bar.state == State.BROKEN) {
                        exception = new BrokenBarrierException("Barrier aborted");
                    }
                    if (exception != null) {
                        bar.cond.release();
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    index = bar.count++;
                    if (index + 1 == bar.parties) {
                        bar.state = State.DRAINING; // the last to arrive: release the others
                        bar.cond.notifyAllWaiters();
                        return finish(null);
                    }
                    return await(bar.cond.waitUntil(() -> bar.state != State.FILLING), RELEASED);
                default: // RELEASED
                    if (exception == null && (bar.state == State.BROKEN || bar.state == State.RESETTING)) {
                        exception = new BrokenBarrierException("Abort or reset of barrier");
                    }
                    return finish(exception);
            }
        }

        private Object finish(Throwable exception) {
            Barrier bar = b;
            bar.count--;
            try {
                bar.exit();
            } finally {
                bar.cond.release();
            }
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            return index;
        }

        @Override
        public String toString() {
            return "<coroutine Barrier.waitFor()" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }

    /** The coroutine of {@link #reset()} and {@link #abort()}. */
    private static final class Change extends Op<Void> {
        private final Barrier b;
        private final boolean abort;

        Change(Barrier b, boolean abort) {
            this.b = b;
            this.abort = abort;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            if (state == 0) {
                return await(b.cond.acquire(), 1);
            }
            Barrier bar = b;
            try {
                if (abort) {
                    bar.state = State.BROKEN;
                } else if (bar.count > 0) {
                    bar.state = State.RESETTING; // the waiting tasks throw; the last one out refills the barrier
                } else {
                    bar.state = State.FILLING;
                }
                bar.cond.notifyAllWaiters();
            } finally {
                bar.cond.release();
            }
            return null;
        }

        @Override
        public String toString() {
            return "<coroutine Barrier." + (abort ? "abort" : "reset") + "()>";
        }
    }
}
