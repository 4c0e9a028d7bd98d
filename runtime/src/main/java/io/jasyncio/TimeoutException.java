package io.jasyncio;

/**
 * Thrown when an operation runs out of time: {@link Asyncio#waitFor(Awaitable, double) waitFor},
 * {@link Asyncio#timeout(double, AsyncFunction) timeout} scopes, {@link Asyncio#wait(java.util.Collection,
 * ReturnWhen, double) wait} and {@link Asyncio#asCompleted(java.util.Collection, double) asCompleted}; asyncio's
 * {@code TimeoutError}. Unchecked, unlike {@link java.util.concurrent.TimeoutException}.
 *
 * <p>When a timeout cancelled the work, the cause is the {@link CancelledError} that the cancellation raised
 * (asyncio's {@code raise TimeoutError from exc}).
 */
public class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates a timeout without message or cause. */
    public TimeoutException() {
        super();
    }

    /**
     * Creates a timeout with a message.
     *
     * @param message the message
     */
    public TimeoutException(String message) {
        super(message);
    }

    /**
     * Creates a timeout caused by {@code cause}, usually the {@link CancelledError} of the cancelled work.
     *
     * @param message the message
     * @param cause the cause
     */
    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
