package io.jasyncio;

/** When {@link Asyncio#wait(java.util.Collection, ReturnWhen) wait} returns; asyncio's {@code FIRST_COMPLETED} etc. */
public enum ReturnWhen {
    /** As soon as any future is done (or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any future fails with an exception (not a cancellation); when all are done otherwise. */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
}
