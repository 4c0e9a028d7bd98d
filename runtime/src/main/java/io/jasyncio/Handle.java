package io.jasyncio;

/**
 * A callback scheduled on an {@link EventLoop} by {@link EventLoop#callSoon(Runnable)}; it can be cancelled
 * until it runs. asyncio's {@code Handle}.
 */
public class Handle {
    final EventLoop loop;
    /** A {@link Runnable}, or a {@link Task} to wake. */
    final Object callback;
    boolean cancelled;

    Handle(EventLoop loop, Object callback) {
        this.loop = loop;
        this.callback = callback;
    }

    /** Cancels the callback: if it has not run yet, it never will. Calling it again has no effect. */
    public void cancel() {
        loop.checkThread("Handle.cancel");
        cancelled = true;
    }

    /** {@return whether the callback was cancelled} */
    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback on the loop's thread, unless cancelled. */
    void fire() {
        if (!cancelled) {
            if (callback instanceof Task) {
                ((Task<?>) callback).wake();
            } else {
                ((Runnable) callback).run();
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + callback + (cancelled ? ", cancelled" : "") + "]";
    }
}
