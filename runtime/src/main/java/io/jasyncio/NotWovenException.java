package io.jasyncio;

/**
 * Thrown when code that was not rewritten by the jasyncio transformer reaches {@code Asyncio.await(...)} or
 * {@code Asyncio.done(...)}. Those methods only have meaning inside an {@code @Async} method woven at build
 * time (the {@code jasyncio-maven-plugin} goals {@code transform} and {@code transform-tests}) or at load time
 * (the java agent {@code -javaagent:jasyncio-transformer.jar}). jasyncio never falls back to blocking.
 */
public class NotWovenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which method was not woven and how to weave it
     */
    public NotWovenException(String message) {
        super(message);
    }
}
