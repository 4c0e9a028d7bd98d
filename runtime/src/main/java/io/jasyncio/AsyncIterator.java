package io.jasyncio;

import java.util.NoSuchElementException;

/**
 * An iterator whose {@link #hasNext()} may have to wait: Python's {@code async for}, written as
 * <pre>{@code
 * for (var it = Asyncio.iterate(publisher); await(it.hasNext()); ) {
 *     use(it.next());
 * }
 * }</pre>
 * {@link Asyncio#iterate(java.util.concurrent.Flow.Publisher)} makes one over a {@code Flow.Publisher}, with
 * back-pressure; {@link StreamReader#lines()} one over the lines of a stream. Use an iterator on the loop's thread,
 * from one task at a time.
 *
 * @param <T> the type of the items
 */
public interface AsyncIterator<T> extends AutoCloseable {
    /**
     * Waits until an item is there or the iteration has ended.
     *
     * @return a coroutine of {@code true} if {@link #next()} has an item, {@code false} once the iteration is over;
     *     it throws the source's failure
     */
    Coroutine<Boolean> hasNext();

    /**
     * Takes the item that {@link #hasNext()} waited for.
     *
     * @return the item
     * @throws NoSuchElementException if no item is there: {@code hasNext()} was not awaited, or returned
     *     {@code false}
     */
    T next();

    /**
     * Stops the iteration early: the source is told (a subscription is cancelled) and items not taken yet are
     * dropped; {@code hasNext()} then returns {@code false}. Calling it again has no effect.
     */
    @Override
    void close();
}
