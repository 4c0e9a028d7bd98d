package io.jasyncio;

/**
 * Thrown by {@link StreamReader#readUntil} and {@link StreamReader#readLine} when a separator is not found within
 * the reader's limit; asyncio's {@code LimitOverrunError}. {@code readUntil} leaves the data in the reader;
 * {@code readLine} discards it up to and with the separator (or all of it, if none arrived).
 */
public class LimitOverrunException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    /** How many bytes are to be consumed to get past the problem. */
    private final int consumed;

    /**
     * Creates the exception.
     *
     * @param message what overran
     * @param consumed how many bytes are to be consumed
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** {@return how many bytes are to be consumed to get past the problem} */
    public int consumed() {
        return consumed;
    }
}
