package io.jasyncio;

/**
 * Thrown by a {@link Queue}'s {@code put}, {@code putNowait}, and (once it is empty, or at once after an immediate
 * shutdown) {@code get} and {@code getNowait} after {@link Queue#shutdown()}; asyncio's {@code QueueShutDown}
 * (Python 3.13).
 */
public class QueueShutDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which queue was shut down
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
