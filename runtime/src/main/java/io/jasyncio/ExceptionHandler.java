package io.jasyncio;

/**
 * Receives what an {@link EventLoop} could not hand to anyone: an exception of a callback, a task exception that
 * nobody retrieved, a task destroyed while pending, a coroutine never awaited. asyncio's exception handler.
 * Installed with {@link EventLoop#setExceptionHandler(ExceptionHandler)}; it runs on the loop's thread. A handler
 * that throws has its failure and the original context reported by {@link EventLoop#defaultExceptionHandler}.
 */
@FunctionalInterface
public interface ExceptionHandler {
    /**
     * Handles one report.
     *
     * @param loop the loop that reports
     * @param context what happened
     */
    void handle(EventLoop loop, ExceptionContext context);
}
