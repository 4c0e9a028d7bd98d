package io.jasyncio;

/**
 * Thrown by {@link Barrier#waitFor()} when the barrier is aborted or reset while a task waits, or is broken when
 * a task arrives; asyncio's {@code BrokenBarrierError}. Unchecked, unlike
 * {@link java.util.concurrent.BrokenBarrierException}.
 */
public class BrokenBarrierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what broke the barrier
     */
    public BrokenBarrierException(String message) {
        super(message);
    }
}
