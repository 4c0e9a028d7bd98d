package io.jasyncio;

/**
 * Thrown when code that was not rewritten by the jasyncio transformer reaches {@code Asyncio.await(...)} or
 * {@code Asyncio.done(...)}. Those methods only have meaning inside an {@code @Async} method woven at compile time
 * (the javac plugin {@code -Xplugin:jasyncio}), at build time (the {@code jasyncio-maven-plugin} goals
 * {@code transform} and {@code transform-tests}, in {@code process-classes}) or at load time (the java agent
 * {@code -javaagent:jasyncio-transformer.jar}). jasyncio never falls back to blocking.
 *
 * <p>An unwoven {@code @Async} method is plain Java: calling it runs its body up to its first {@code await}, where
 * this is thrown; so side effects before the first {@code await} happening at the call are the symptom of missing
 * weaving. The message says which of these happened: the class was compiled but not woven; the agent is installed
 * but did not weave it; it was woven by another jasyncio version; or it was woven but not this method.
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
