package io.jasyncio;

import java.util.Collections;
import java.util.Set;

/**
 * What {@link Asyncio#wait(java.util.Collection, ReturnWhen) wait} returns: asyncio's {@code (done, pending)}
 * pair. Both sets are unmodifiable, ordered as the futures were given, and compare their elements by identity
 * (futures do not override {@code equals}).
 *
 * @param <T> the futures' result type
 */
public final class WaitResult<T> {
    private final Set<Future<T>> done;
    private final Set<Future<T>> pending;

    WaitResult(Set<Future<T>> done, Set<Future<T>> pending) {
        this.done = Collections.unmodifiableSet(done);
        this.pending = Collections.unmodifiableSet(pending);
    }

    /** {@return the futures that were done when {@code wait} returned} */
    public Set<Future<T>> done() {
        return done;
    }

    /** {@return the futures that were still pending when {@code wait} returned} */
    public Set<Future<T>> pending() {
        return pending;
    }

    @Override
    public String toString() {
        return "WaitResult[done=" + done + ", pending=" + pending + "]";
    }
}
