package io.jasyncio;

/**
 * Thrown by {@link Asyncio#run} and {@link Runner#run} when a Ctrl-C (SIGINT) stopped the program; Python's
 * {@code KeyboardInterrupt}, under the same name, so that code ported from asyncio reads the same.
 *
 * <p>While {@code run} runs, the first SIGINT cancels the main task: its {@code finally} blocks run, then the
 * tasks left over are cancelled and awaited and the loop closes, and then {@code run} throws this. A second
 * SIGINT while that cleanup runs does what SIGINT did before {@code run} started (for the JVM's own handler:
 * shut down at once, exit status 130). If the main task catches the cancellation and returns normally,
 * {@code run} returns its result instead (as in asyncio).
 *
 * <p>It is unchecked and, unlike Python's, an ordinary {@link RuntimeException}: a Java {@code main} that catches
 * it, prints a line and calls {@code System.exit(130)} is the usual way to end.
 */
public class KeyboardInterrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception, with the message "interrupted by SIGINT (Ctrl-C)". */
    public KeyboardInterrupt() {
        super("interrupted by SIGINT (Ctrl-C)");
    }

    /**
     * Creates the exception with the cancellation it ended, as its cause.
     *
     * @param cause the main task's {@link CancelledError}
     */
    public KeyboardInterrupt(Throwable cause) {
        super("interrupted by SIGINT (Ctrl-C)", cause);
    }
}
