package io.jasyncio;

/** Thrown by {@link Queue#putNowait(Object)} when the queue is full; asyncio's {@code QueueFull}. */
public class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was full
     */
    public QueueFullException(String message) {
        super(message);
    }
}
