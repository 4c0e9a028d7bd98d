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
 * A {@code waitFor()} of a set event allocates nothing; one that waits parks the task itself in the event's queue
 * (no future per waiter, as asyncio has), so a waiting task costs its {@link Task} and its own frames only. Use it
 * from one loop's tasks only: it belongs to the loop that first waits on it.
 */
public class Event {
    private boolean value;
    /** The tasks parked in {@link #waitFor()}, in the order they came. */
    private final ArrayDeque<Task<?>> waiters = new ArrayDeque<>();
    /** A cancelled waiter leaves {@link #waiters} through this. */
    private final Parking parking = waiters::remove;
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
            for (Task<?> t; (t = waiters.pollFirst()) != null; ) {
                t.unpark();
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

    /** The coroutine of {@link #waitFor()}: parks the task in {@link #waiters} (asyncio's future per waiter). */
    private static final class Wait extends Op<Void> {
        private final Event event;

        Wait(Event event, boolean reusable) {
            super(reusable);
            this.event = event;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            Event e = event;
            if (state == 0 && !e.value) {
                e.binding.bind(e, task);
                e.waiters.addLast(task);
                return park(e.parking, 1);
            }
            return null;
        }

        @Override
        public String toString() {
            return "<coroutine Event.waitFor()" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }
}
