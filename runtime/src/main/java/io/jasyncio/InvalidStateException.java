package io.jasyncio;

/**
 * An operation is not allowed in the current state of a {@link Future}: reading the result of a pending
 * future, or setting the result of one that is already done. asyncio's {@code InvalidStateError}.
 */
public class InvalidStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was attempted and in which state
     */
    public InvalidStateException(String message) {
        super(message);
    }
}
