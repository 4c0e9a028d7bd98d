package io.jasyncio;

/**
 * Thrown at a task's {@code await} when the task is cancelled; asyncio's {@code CancelledError}.
 *
 * <p>It extends {@link Error}, not {@link Exception}, on purpose: cancellation must not be swallowed by an
 * ordinary {@code catch (Exception e)} that was written for failures. asyncio made {@code CancelledError} a
 * {@code BaseException} for the same reason; Java's precedent is {@code ThreadDeath}. Code that really means
 * to intercept cancellation catches {@code CancelledError} by name, and normally rethrows it; {@code finally}
 * blocks run as usual.
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates a cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * Creates a cancellation carrying the message given to {@code cancel(message)}.
     *
     * @param message the cancellation message, or {@code null}
     */
    public CancelledError(String message) {
        super(message);
    }
}
