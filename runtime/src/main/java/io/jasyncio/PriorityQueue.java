package io.jasyncio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Queue} that hands out the least item first; asyncio's {@code PriorityQueue}. Items are ordered by
 * their natural order (they must be {@link Comparable}) or by the given comparator; equal items come out in no
 * particular order, as from a heap.
 *
 * @param <T> the type of the items
 */
public class PriorityQueue<T> extends Queue<T> {
    private final Comparator<? super T> comparator;
    private java.util.PriorityQueue<T> heap;

    /** Creates an unbounded queue in natural order. */
    public PriorityQueue() {
        this(0, null);
    }

    /**
     * Creates an unbounded queue ordered by {@code comparator}.
     *
     * @param comparator the order, or {@code null} for the natural order
     */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * Creates a queue of at most {@code maxsize} items, in natural order.
     *
     * @param maxsize the greatest number of items; zero or negative means unbounded
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * Creates a queue of at most {@code maxsize} items, ordered by {@code comparator}.
     *
     * @param maxsize the greatest number of items; zero or negative means unbounded
     * @param comparator the order, or {@code null} for the natural order
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, false);
        this.comparator = comparator;
    }

    private java.util.PriorityQueue<T> heap() {
        java.util.PriorityQueue<T> h = heap;
        if (h == null) {
            h = new java.util.PriorityQueue<>(comparator);
            heap = h;
        }
        return h;
    }

    @Override
    int count() {
        return heap == null ? 0 : heap.size();
    }

    /**
     * Adds to the heap; an item that is not {@link Comparable} (without a comparator) throws
     * {@link ClassCastException} here, at the {@code put}, and the queue is unchanged.
     */
    @Override
    void addItem(T item) {
        heap().add(item);
    }

    @Override
    T takeItem() {
        return heap().poll();
    }

    @Override
    Iterable<T> itemsInOrder() {
        List<T> sorted = new ArrayList<>(heap());
        sorted.sort(comparator);
        return sorted;
    }
}
