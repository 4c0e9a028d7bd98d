package io.jasyncio;

/**
 * The loop a synchronization primitive or queue belongs to: the loop of the first task that waits on it, as
 * asyncio's {@code _LoopBoundMixin} (operations that do not wait need no loop).
 */
final class LoopBinding {
    private EventLoop loop;

    /**
     * {@return the loop of {@code task}, to which {@code owner} is now bound}
     *
     * @throws IllegalStateException if {@code owner} is bound to another loop
     */
    EventLoop bind(Object owner, Task<?> task) {
        EventLoop l = task.loop;
        if (loop == null) {
            loop = l;
        } else if (loop != l) {
            throw new IllegalStateException(owner + " is bound to a different event loop (" + loop
                    + ") than the one of " + task + ": a primitive serves the loop that first waited on it");
        }
        return l;
    }
}
