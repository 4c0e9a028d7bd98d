package io.jasyncio.internal;

import io.jasyncio.Coroutine;

/**
 * The entry points that code woven by the jasyncio transformer calls. Not API: their names and descriptors are
 * a contract between the transformer and the runtime of the same version.
 *
 * <p>At each {@code await(x)} of an {@code @Async} body, woven code calls {@link #await(Object, Coroutine)}
 * with its own frame. The result is either the awaited value (the body goes on at once, nothing was scheduled)
 * or {@link #SUSPENDED}, in which case the body saves its live locals and operand stack into its frame and
 * returns {@code SUSPENDED} itself. When resumed, the body restores them and goes on with the value (or throws
 * the exception) the task hands to {@link Coroutine}'s {@code resume}.
 */
public final class Woven {
    /** Returned by a body (and by {@link #await}) when the coroutine suspended instead of producing a value. */
    public static final Object SUSPENDED = new Object() {
        @Override
        public String toString() {
            return "SUSPENDED";
        }
    };

    private static final Core CORE = Core.get();

    private Woven() {
    }

    /**
     * Awaits {@code awaitable} from the body of {@code frame}: runs a coroutine inline; takes the outcome of a
     * done future or stage; otherwise arranges for the task to resume {@code frame} later and returns
     * {@link #SUSPENDED}. The outcome's exception is thrown unchanged.
     *
     * @param awaitable a {@code Coroutine}, {@code Future} or {@code CompletionStage}
     * @param frame the frame of the body that awaits
     * @return the value, or {@link #SUSPENDED}
     */
    public static Object await(Object awaitable, Coroutine<?> frame) {
        return CORE.await(awaitable, frame);
    }
}
