package io.jasyncio;

import java.util.ArrayDeque;

/**
 * A {@link Queue} that hands out the most recently added item first; asyncio's {@code LifoQueue}.
 *
 * @param <T> the type of the items
 */
public class LifoQueue<T> extends Queue<T> {
    private ArrayDeque<T> stack;

    /** Creates an unbounded queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * Creates a queue of at most {@code maxsize} items.
     *
     * @param maxsize the greatest number of items; zero or negative means unbounded
     */
    public LifoQueue(int maxsize) {
        super(maxsize, false);
    }

    private ArrayDeque<T> stack() {
        ArrayDeque<T> s = stack;
        if (s == null) {
            s = new ArrayDeque<>();
            stack = s;
        }
        return s;
    }

    @Override
    int count() {
        return stack == null ? 0 : stack.size();
    }

    @Override
    void addItem(T item) {
        stack().addLast(item);
    }

    @Override
    T takeItem() {
        return stack().pollLast();
    }

    @Override
    Iterable<T> itemsInOrder() {
        return stack()::descendingIterator;
    }
}
