package io.jasyncio;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link ExceptionHandler} is told; asyncio's exception-handler context dictionary.
 *
 * @param message what happened, for a person (never {@code null})
 * @param exception the exception, or {@code null}
 * @param future the future or task concerned, or {@code null} (also when it was already garbage-collected)
 * @param handle the callback's handle, or {@code null}
 * @param sourceTraceback where the task, future or callback was created, innermost first; filled in debug mode
 *     ({@link EventLoop#setDebug(boolean)}), otherwise {@code null}
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle,
                               List<StackTraceElement> sourceTraceback) {
    /**
     * Checks the message and copies the traceback.
     *
     * @param message see the record's {@code message}
     * @param exception see the record's {@code exception}
     * @param future see the record's {@code future}
     * @param handle see the record's {@code handle}
     * @param sourceTraceback see the record's {@code sourceTraceback}
     */
    public ExceptionContext {
        Objects.requireNonNull(message, "message");
        sourceTraceback = sourceTraceback == null ? null : List.copyOf(sourceTraceback);
    }

    /**
     * A context with only a message and an exception.
     *
     * @param message what happened
     * @param exception the exception, or {@code null}
     */
    public ExceptionContext(String message, Throwable exception) {
        this(message, exception, null, null, null);
    }
}
