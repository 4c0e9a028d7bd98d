package io.jasyncio;

import java.util.ArrayDeque;

/**
 * A flag that tasks can wait for; asyncio's {@code Event}. {@link #set()} wakes every task waiting at that moment
 * (even if {@link #clear()} follows at once); {@link #waitFor()} on a set event returns at once. The method is
 * {@code waitFor}, not {@code wait}, because {@link Object#wait()} is final in Java.
 * <pre>{@code
 * Event ready = new Event();
 * createTask(worker(ready));     // worker: await(ready.waitFor()); ...
 * ready.set();
 * }</pre>
 * A {@code waitFor()} of a set event allocates nothing. Use it from one loop's tasks only: it belongs to the loop
 * that first waits on it.
 */
public class Event {
    private boolean value;
    private final ArrayDeque<Future<Boolean>> waiters = new ArrayDeque<>();
    private final LoopBinding binding = new LoopBinding();
    private Wait cached;

    /** Creates an event that is not set. */
    public Event() {
    }

    /** {@return whether the event is set} */
    public boolean isSet() {
        return value;
    }

    /** Sets the event: every task waiting now is woken; later {@code waitFor()} calls return at once. */
    public void set() {
        if (!value) {
            value = true;
            for (Future<Boolean> w : waiters) {
                if (w.state == Future.PENDING) {
                    w.complete(Boolean.TRUE);
                }
            }
        }
    }

    /** Clears the event: later {@code waitFor()} calls wait for the next {@link #set()}. */
    public void clear() {
        value = false;
    }

    /**
     * Waits until the event is set (returns at once if it is).
     *
     * @return a coroutine that completes once the event is set
     */
    public Coroutine<Void> waitFor() {
        Wait w = cached;
        if (w == null) {
            w = new Wait(this, true);
            cached = w;
        }
        return w.lend() ? w : new Wait(this, false);
    }

    @Override
    public String toString() {
        return "<Event [" + (value ? "set" : "unset") + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]>";
    }

    /** The coroutine of {@link #waitFor()}. */
    private static final class Wait extends Op<Void> {
        private final Event event;
        private Future<Boolean> waiter;

        Wait(Event event, boolean reusable) {
            super(reusable);
            this.event = event;
        }

        @Override
        Object step(Object value, Throwable exception) {
            Event e = event;
            if (state == 0) {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                if (e.value) {
                    return null;
                }
                waiter = new Future<>(e.binding.bind(e, task));
                e.waiters.addLast(waiter);
                return await(waiter, 1);
            }
            e.waiters.remove(waiter);
            waiter = null;
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            return null;
        }

        @Override
        public String toString() {
            return "<coroutine Event.waitFor()" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }
}
