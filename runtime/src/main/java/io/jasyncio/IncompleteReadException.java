package io.jasyncio;

/**
 * Thrown by {@link StreamReader#readExactly} and {@link StreamReader#readUntil} when the stream ends before the
 * bytes asked for arrived; asyncio's {@code IncompleteReadError}. It carries what was read.
 */
public class IncompleteReadException extends java.io.EOFException {
    private static final long serialVersionUID = 1L;

    /** What was read before the end of the stream. */
    private final byte[] partial;
    /** How many bytes were expected, or -1 when reading up to a separator. */
    private final int expected;

    /**
     * Creates the exception.
     *
     * @param partial the bytes read before the end (kept, not copied)
     * @param expected how many bytes were expected, or -1 if unknown (a separator was awaited)
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : String.valueOf(expected))
                + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /** {@return the bytes read before the end of the stream} */
    public byte[] partial() {
        return partial.clone();
    }

    /** {@return how many bytes were expected, or -1 when a separator was awaited} */
    public int expected() {
        return expected;
    }
}
