package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A counter of permits for tasks; asyncio's {@code Semaphore}. {@link #acquire()} takes a permit, waiting while
 * there is none; {@link #release()} gives one back and wakes the first waiter. Waiters are served first in, first
 * out, and a newcomer does not take a permit ahead of them. A cancelled waiter loses nothing: a permit handed to it
 * goes back.
 * <pre>{@code
 * Semaphore limit = new Semaphore(3);                 // at most three fetches at once
 * String page = await(limit.withPermit(() -> fetch(url)));
 * }</pre>
 * An {@code acquire()} that finds a permit allocates nothing. Use it from one loop's tasks only: it belongs to the
 * loop that first waits on it.
 */
public class Semaphore {
    int value;
    private ArrayDeque<Future<Boolean>> waiters;
    private final LoopBinding binding = new LoopBinding();
    private Acquire cached;

    /** Creates a semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * Creates a semaphore with {@code value} permits.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, not " + value);
        }
        this.value = value;
    }

    /** {@return whether an {@link #acquire()} would wait: no permit is left, or tasks already wait} */
    public boolean locked() {
        if (value == 0) {
            return true;
        }
        if (waiters != null) {
            for (Future<Boolean> w : waiters) {
                if (w.state != Future.CANCELLED) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Takes a permit, waiting while there is none.
     *
     * @return a coroutine that completes once this task has a permit
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
     * Takes a permit if one is free and nobody waits, without waiting.
     *
     * @return whether a permit was taken
     */
    public boolean tryAcquire() {
        if (locked()) {
            return false;
        }
        value--;
        return true;
    }

    /** Gives a permit back, waking the first waiter. */
    public void release() {
        value++;
        wakeUpNext();
    }

    /**
     * Runs {@code body} holding a permit: acquires, runs, and releases in {@code finally} (Python's
     * {@code async with sem:}).
     *
     * @param body the work to do with the permit
     * @param <T> the body's result type
     * @return a coroutine of the body's result
     */
    public <T> Coroutine<T> withPermit(AsyncCallable<T> body) {
        return new Holding<>(acquire(), Objects.requireNonNull(body, "body"), this::release);
    }

    @Override
    public String toString() {
        int n = waiters == null ? 0 : waiters.size();
        return "<" + getClass().getSimpleName() + " [" + (locked() ? "locked" : "unlocked, value:" + value)
                + (n > 0 ? ", waiters:" + n : "") + "]>";
    }

    /** Hands a permit to the first waiter that is still waiting: {@return whether there was one} */
    private boolean wakeUpNext() {
        if (waiters == null) {
            return false;
        }
        for (Future<Boolean> w : waiters) {
            if (w.state == Future.PENDING) {
                value--;
                w.complete(Boolean.TRUE);
                return true;
            }
        }
        return false;
    }

    /** The coroutine of {@link #acquire()}: asyncio's {@code Semaphore.acquire}. */
    private static final class Acquire extends Op<Void> {
        private final Semaphore sem;
        private Future<Boolean> waiter;

        Acquire(Semaphore sem, boolean reusable) {
            super(reusable);
            this.sem = sem;
        }

        @Override
        Object step(Object value, Throwable exception) {
            Semaphore s = sem;
            if (state == 0) {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                if (!s.locked()) {
                    s.value--;
                    return null;
                }
                if (s.waiters == null) {
                    s.waiters = new ArrayDeque<>();
                }
                waiter = new Future<>(s.binding.bind(s, task));
                s.waiters.addLast(waiter);
                return await(waiter, 1);
            }
            Future<Boolean> w = waiter;
            waiter = null;
            s.waiters.remove(w);
            try {
                if (exception != null) {
                    if (exception instanceof CancelledError && w.state == Future.FINISHED) {
                        s.value++; // a permit was handed to us: give it back
                    }
                    throw CoreImpl.sneakyThrow(exception);
                }
                return null;
            } finally {
                while (s.value > 0) {
                    if (!s.wakeUpNext()) {
                        break;
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "<coroutine " + sem.getClass().getSimpleName() + ".acquire()"
                    + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }
}
