package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for tasks; asyncio's {@code Condition}. Tasks holding its lock wait until another task
 * notifies them; {@link #waitFor()} releases the lock while it waits and takes it again before it returns (also
 * when it is cancelled). Java's {@code Object.wait}, {@code notify} and {@code notifyAll} are final, hence the
 * names {@code waitFor} (asyncio's {@code wait}), {@code waitUntil} (asyncio's {@code wait_for}),
 * {@code notifyWaiters} and {@code notifyAllWaiters}.
 * <pre>{@code
 * await(cond.acquire());
 * try {
 *     await(cond.waitUntil(() -> !items.isEmpty()));
 *     take(items);
 * } finally {
 *     cond.release();
 * }
 * }</pre>
 */
public class Condition {
    private final Lock lock;
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();
    private final LoopBinding binding = new LoopBinding();

    /** Creates a condition with a lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * Creates a condition over {@code lock}, which other conditions may share.
     *
     * @param lock the underlying lock
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Takes the underlying lock.
     *
     * @return a coroutine that completes once this task holds the lock
     */
    public Coroutine<Void> acquire() {
        return lock.acquire();
    }

    /**
     * Releases the underlying lock.
     *
     * @throws IllegalStateException if it is not held
     */
    public void release() {
        lock.release();
    }

    /** {@return whether the underlying lock is held} */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, waits until notified, and takes the lock again; asyncio's {@code Condition.wait()}. The
     * lock is held again when the coroutine ends, also when it ends with a {@link CancelledError}. It may return
     * without a notification being meant for this task: check the state again ({@link #waitUntil} does).
     *
     * @return a coroutine that completes once notified, holding the lock
     * @throws IllegalStateException (from the coroutine) if the lock is not held
     */
    public Coroutine<Void> waitFor() {
        return new Wait(this);
    }

    /**
     * Waits until {@code predicate} is true: checks it, and {@link #waitFor()}s while it is false; asyncio's
     * {@code Condition.wait_for()}.
     *
     * @param predicate the condition to wait for, checked while holding the lock
     * @return a coroutine that completes once {@code predicate} was found true, holding the lock
     */
    public Coroutine<Void> waitUntil(BooleanSupplier predicate) {
        return new WaitUntil(this, Objects.requireNonNull(predicate, "predicate"));
    }

    /**
     * Wakes up to {@code n} of the waiting tasks (each then waits to take the lock again).
     *
     * @param n how many
     * @throws IllegalStateException if the lock is not held
     */
    public void notifyWaiters(int n) {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock: acquire " + this + " first");
        }
        wake(n);
    }

    /**
     * Wakes every waiting task.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void notifyAllWaiters() {
        notifyWaiters(waiters.size());
    }

    @Override
    public String toString() {
        return "<Condition [" + (lock.locked() ? "locked" : "unlocked")
                + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]>";
    }

    private void wake(int n) {
        int woken = 0;
        for (Future<Boolean> w : waiters) {
            if (woken >= n) {
                break;
            }
            if (w.state == Future.PENDING) {
                woken++;
                w.complete(Boolean.FALSE);
            }
        }
    }

    /** The coroutine of {@link #waitFor()}: asyncio's {@code Condition.wait}, state by state. */
    private static final class Wait extends Op<Void> {
        private static final int WAITING = 1;
        private static final int REACQUIRING = 2;
        private final Condition cond;
        private Future<Boolean> waiter;
        /** The outcome of the wait for a notification: an exception, or {@code null}. */
        private Throwable waitFailure;
        /** The last cancellation while taking the lock again. */
        private Throwable reacquireFailure;

        Wait(Condition cond) {
            this.cond = cond;
        }

        @Override
        Object step(Object value, Throwable exception) {
            Condition c = cond;
            switch (state) {
                case 0:
                    if (exception != null) {
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    if (!c.lock.locked()) {
                        throw new IllegalStateException("cannot wait on un-acquired lock: acquire " + c + " first");
                    }
                    waiter = new Future<>(c.binding.bind(c, task));
                    c.lock.release();
                    c.waiters.addLast(waiter);
                    return await(waiter, WAITING);
                case WAITING:
                    c.waiters.remove(waiter);
                    waiter = null;
                    waitFailure = exception;
                    return await(c.lock.acquire(), REACQUIRING);
                default: // REACQUIRING
                    if (exception instanceof CancelledError) {
                        reacquireFailure = exception; // keep trying: the lock must be held when wait() ends
                        return await(c.lock.acquire(), REACQUIRING);
                    }
                    Throwable failure = reacquireFailure != null ? reacquireFailure : waitFailure;
                    if (exception != null) {
                        failure = exception;
                    }
                    if (failure != null) {
                        c.wake(1); // pass on a notification this task may have taken
                        throw CoreImpl.sneakyThrow(failure);
                    }
                    return null;
            }
        }

        @Override
        public String toString() {
            return "<coroutine Condition.waitFor()" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }

    /** The coroutine of {@link #waitUntil}. */
    private static final class WaitUntil extends Op<Void> {
        private final Condition cond;
        private final BooleanSupplier predicate;

        WaitUntil(Condition cond, BooleanSupplier predicate) {
            this.cond = cond;
            this.predicate = predicate;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            if (predicate.getAsBoolean()) {
                return null;
            }
            return await(cond.waitFor(), 1);
        }

        @Override
        public String toString() {
            return "<coroutine Condition.waitUntil(" + predicate + ")" + (task == null ? "" : " running in "
                    + task.getName()) + ">";
        }
    }
}
