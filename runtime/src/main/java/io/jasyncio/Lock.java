package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A mutual-exclusion lock for tasks; asyncio's {@code Lock}. Not owned by a task: any task may release it. Not
 * reentrant. Tasks waiting for it get it in the order they asked (FIFO), and a newcomer never takes it ahead of a
 * waiter that was already woken.
 * <pre>{@code
 * Lock lock = new Lock();
 *
 * await(lock.acquire());
 * try {
 *     ...                                  // one task at a time
 * } finally {
 *     lock.release();
 * }
 * // or, as Python's "async with lock:"
 * String r = await(lock.withLock(() -> work()));
 * }</pre>
 * An {@code acquire()} that finds the lock free takes it without allocating and without a loop iteration. Use it
 * from one loop's tasks only: it belongs to the loop that first waits on it. A cancelled waiter loses nothing:
 * if the lock was being handed to it, it goes to the next waiter.
 */
public class Lock {
    private boolean locked;
    /** Waiters, oldest first; a future is completed with {@code true} when the lock is handed to it. */
    ArrayDeque<Future<Boolean>> waiters;
    private final LoopBinding binding = new LoopBinding();
    private Acquire cached;

    /** Creates an unlocked lock. */
    public Lock() {
    }

    /** {@return whether the lock is held} */
    public boolean locked() {
        return locked;
    }

    /**
     * Takes the lock, waiting if it is held (or if others wait for it already).
     *
     * @return a coroutine that completes once this task holds the lock
     */
    public Coroutine<Void> acquire() {
        Acquire a = cached;
        if (a == null) {
            a = new Acquire(this, true);
            cached = a;
        }
        return a.lend() ? a : new Acquire(this, false);
    }

    /**
     * Takes the lock if it is free and nobody waits for it, without waiting.
     *
     * @return whether the lock was taken
     */
    public boolean tryAcquire() {
        if (canTake()) {
            locked = true;
            return true;
        }
        return false;
    }

    /**
     * Releases the lock and hands it to the first waiter, if any.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired: release() of " + this + " without acquire()");
        }
        locked = false;
        wakeUpFirst();
    }

    /**
     * Runs {@code body} holding the lock: acquires, runs, and releases in {@code finally} (Python's
     * {@code async with lock:}).
     *
     * @param body the work to do under the lock
     * @param <T> the body's result type
     * @return a coroutine of the body's result
     */
    public <T> Coroutine<T> withLock(AsyncCallable<T> body) {
        return new Holding<>(acquire(), Objects.requireNonNull(body, "body"), this::release);
    }

    @Override
    public String toString() {
        int n = waiters == null ? 0 : waiters.size();
        return "<Lock [" + (locked ? "locked" : "unlocked") + (n > 0 ? ", waiters:" + n : "") + "]>";
    }

    // ---- internals ------------------------------------------------------------------------------------------

    /** asyncio: free, and nobody waits (waiters that were cancelled do not count). */
    private boolean canTake() {
        if (locked) {
            return false;
        }
        if (waiters != null) {
            for (Future<Boolean> w : waiters) {
                if (w.state != Future.CANCELLED) {
                    return false;
                }
            }
        }
        return true;
    }

    private void wakeUpFirst() {
        if (waiters == null) {
            return;
        }
        Future<Boolean> first = waiters.peekFirst();
        if (first != null && first.state == Future.PENDING) {
            first.complete(Boolean.TRUE);
        }
    }

    /** The coroutine of {@link #acquire()}. */
    private static final class Acquire extends Op<Void> {
        private final Lock lock;
        private Future<Boolean> waiter;

        Acquire(Lock lock, boolean reusable) {
            super(reusable);
            this.lock = lock;
        }

        @Override
        Object step(Object value, Throwable exception) {
            Lock l = lock;
            if (state == 0) {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                if (l.canTake()) {
                    l.locked = true;
                    return null;
                }
                EventLoop loop = l.binding.bind(l, task);
                if (l.waiters == null) {
                    l.waiters = new ArrayDeque<>();
                }
                waiter = new Future<>(loop);
                l.waiters.addLast(waiter);
                return await(waiter, 1);
            }
            l.waiters.remove(waiter);
            waiter = null;
            if (exception != null) {
                if (exception instanceof CancelledError && !l.locked) {
                    l.wakeUpFirst(); // it was (perhaps) being handed to us: the next waiter gets it
                }
                throw CoreImpl.sneakyThrow(exception);
            }
            l.locked = true;
            return null;
        }

        @Override
        public String toString() {
            return "<coroutine Lock.acquire()" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }
}
