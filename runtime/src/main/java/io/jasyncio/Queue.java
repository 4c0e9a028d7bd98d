package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A first-in, first-out queue for tasks; asyncio's {@code Queue}. {@link #put} waits while the queue is full
 * (when it has a {@link #maxsize()}), {@link #get} while it is empty; waiting getters and putters are served in
 * the order they came, and a cancelled one loses nothing (an item meant for it stays in the queue, a free slot
 * goes to the next putter). {@link #taskDone()} and {@link #join()} count the items still being worked on;
 * {@link #shutdown()} ends the queue as in Python 3.13.
 * <pre>{@code
 * Queue<String> q = new Queue<>(10);
 * await(q.put("job"));                 // producer
 * String job = await(q.get());         // consumer
 * q.taskDone();
 * }</pre>
 * A {@code put} that finds room and a {@code get} that finds an item allocate nothing and do not go through the
 * loop. A queue holds no {@code null}. Use it from one loop's tasks only: it belongs to the loop that first
 * waits on it. {@link PriorityQueue} and {@link LifoQueue} change the order in which items come out.
 *
 * @param <T> the type of the items
 */
public class Queue<T> {
    private final int maxsize;
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private int unfinished;
    private final Event finished = new Event();
    private boolean shutdown;
    private final LoopBinding binding = new LoopBinding();
    private Get<T> cachedGet;
    private Put<T> cachedPut;
    /** The items, for the FIFO order; {@link PriorityQueue} and {@link LifoQueue} keep theirs elsewhere. */
    private final ArrayDeque<T> items;

    /** Creates an unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * Creates a queue of at most {@code maxsize} items.
     *
     * @param maxsize the greatest number of items; zero or negative means unbounded
     */
    public Queue(int maxsize) {
        this(maxsize, true);
    }

    /** For {@link PriorityQueue} and {@link LifoQueue}, which keep their items themselves ({@code fifo} false). */
    Queue(int maxsize, boolean fifo) {
        this.maxsize = maxsize;
        this.items = fifo ? new ArrayDeque<>() : null;
        finished.set();
    }

    // ---- the order of the items (overridden by PriorityQueue and LifoQueue) --------------------------------

    int count() {
        return items.size();
    }

    void addItem(T item) {
        items.addLast(item);
    }

    T takeItem() {
        return items.pollFirst();
    }

    /** {@return the items in the order they would come out, for {@code toString}} */
    Iterable<T> itemsInOrder() {
        return items;
    }

    // ---- asyncio's Queue ------------------------------------------------------------------------------------

    /** {@return how many items the queue holds} */
    public int qsize() {
        return count();
    }

    /** {@return the greatest number of items, or zero (or less) for an unbounded queue} */
    public int maxsize() {
        return maxsize;
    }

    /** {@return whether the queue holds no item} */
    public boolean empty() {
        return count() == 0;
    }

    /** {@return whether the queue holds {@link #maxsize()} items; never for an unbounded queue} */
    public boolean full() {
        return maxsize > 0 && count() >= maxsize;
    }

    /**
     * Puts an item in, waiting while the queue is full.
     *
     * @param item the item
     * @return a coroutine that completes once the item is in the queue
     * @throws NullPointerException if {@code item} is null
     * @throws QueueShutDownException (from the coroutine) if the queue is shut down
     */
    public Coroutine<Void> put(T item) {
        Objects.requireNonNull(item, "a Queue holds no null item");
        Put<T> p = cachedPut;
        if (p == null) {
            p = new Put<>(this, true);
            cachedPut = p;
        }
        if (!p.lend()) {
            p = new Put<>(this, false);
        }
        p.item = item;
        return p;
    }

    /**
     * Puts an item in without waiting.
     *
     * @param item the item
     * @throws QueueFullException if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "a Queue holds no null item");
        if (shutdown) {
            throw new QueueShutDownException(this + " is shut down");
        }
        if (full()) {
            throw new QueueFullException(this + " is full");
        }
        addItem(item);
        unfinished++;
        finished.clear();
        wakeUpNext(getters);
    }

    /**
     * Takes the next item out, waiting while the queue is empty.
     *
     * @return a coroutine of the item
     * @throws QueueShutDownException (from the coroutine) if the queue is shut down and empty, or was shut down
     *                                immediately
     */
    public Coroutine<T> get() {
        Get<T> g = cachedGet;
        if (g == null) {
            g = new Get<>(this, true);
            cachedGet = g;
        }
        return g.lend() ? g : new Get<>(this, false);
    }

    /**
     * Takes the next item out without waiting.
     *
     * @return the item
     * @throws QueueEmptyException if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public T getNowait() {
        if (empty()) {
            if (shutdown) {
                throw new QueueShutDownException(this + " is shut down and empty");
            }
            throw new QueueEmptyException(this + " is empty");
        }
        T item = takeItem();
        wakeUpNext(putters);
        return item;
    }

    /**
     * Tells the queue that the work on one item taken out is done; when every item put in is done,
     * {@link #join()} returns.
     *
     * @throws IllegalStateException if called more times than items were put in
     */
    public void taskDone() {
        if (unfinished <= 0) {
            throw new IllegalStateException("taskDone() called too many times on " + this);
        }
        unfinished--;
        if (unfinished == 0) {
            finished.set();
        }
    }

    /**
     * Waits until every item put in was taken out and reported done with {@link #taskDone()}.
     *
     * @return a coroutine that completes then (at once if nothing is unfinished)
     */
    public Coroutine<Void> join() {
        return finished.waitFor();
    }

    /** Shuts the queue down, letting getters take what is left first; {@code shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13): later puts throw {@link QueueShutDownException}, and so do gets once the
     * queue is empty; the tasks waiting in {@code put} or {@code get} are woken (and throw as that says).
     *
     * @param immediate whether to drop the items left at once (each counted as done for {@link #join()}), so that
     *                  gets throw at once too
     */
    public void shutdown(boolean immediate) {
        shutdown = true;
        if (immediate) {
            while (!empty()) {
                takeItem();
                if (unfinished > 0) {
                    unfinished--;
                }
            }
            if (unfinished == 0) {
                finished.set();
            }
        }
        for (Future<Void> g; (g = getters.pollFirst()) != null; ) {
            if (g.state == Future.PENDING) {
                g.complete(null);
            }
        }
        for (Future<Void> p; (p = putters.pollFirst()) != null; ) {
            if (p.state == Future.PENDING) {
                p.complete(null);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName()).append(" maxsize=").append(maxsize);
        if (!empty()) {
            sb.append(" _queue=[");
            int i = 0;
            for (T t : itemsInOrder()) {
                if (i++ > 0) {
                    sb.append(", ");
                }
                if (i > 10) {
                    sb.append("...");
                    break;
                }
                sb.append(t);
            }
            sb.append(']');
        }
        if (!getters.isEmpty()) {
            sb.append(" _getters[").append(getters.size()).append(']');
        }
        if (!putters.isEmpty()) {
            sb.append(" _putters[").append(putters.size()).append(']');
        }
        if (unfinished > 0) {
            sb.append(" tasks=").append(unfinished);
        }
        if (shutdown) {
            sb.append(" shutdown");
        }
        return sb.append('>').toString();
    }

    private static void wakeUpNext(ArrayDeque<Future<Void>> waiters) {
        for (Future<Void> w; (w = waiters.pollFirst()) != null; ) {
            if (w.state == Future.PENDING) {
                w.complete(null);
                return;
            }
        }
    }

    /** A getter or putter stopped waiting with an exception: asyncio's {@code except:} clause of get and put. */
    private void abandon(Future<Void> waiter, ArrayDeque<Future<Void>> waiters, boolean passOn) {
        waiter.cancelInternal(null); // in case it is still pending
        waiters.remove(waiter);
        if (passOn && waiter.state != Future.CANCELLED) {
            wakeUpNext(waiters); // it had been woken: wake the next one in its place
        }
    }

    /** The coroutine of {@link #get()}. */
    private static final class Get<T> extends Op<T> {
        private final Queue<T> q;
        private Future<Void> waiter;

        Get(Queue<T> q, boolean reusable) {
            super(reusable);
            this.q = q;
        }

        @Override
        Object step(Object value, Throwable exception) {
            Queue<T> queue = q;
            if (state == 1) {
                Future<Void> w = waiter;
                waiter = null;
                if (exception != null) {
                    queue.abandon(w, queue.getters, !queue.empty());
                    throw CoreImpl.sneakyThrow(exception);
                }
            } else if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            if (!queue.empty()) {
                return queue.getNowait();
            }
            if (queue.shutdown) {
                throw new QueueShutDownException(queue + " is shut down and empty");
            }
            waiter = new Future<>(queue.binding.bind(queue, task));
            queue.getters.addLast(waiter);
            return await(waiter, 1);
        }

        @Override
        public String toString() {
            return "<coroutine " + q.getClass().getSimpleName() + ".get()" + (task == null ? "" : " running in "
                    + task.getName()) + ">";
        }
    }

    /** The coroutine of {@link #put}. */
    private static final class Put<T> extends Op<Void> {
        private final Queue<T> q;
        private Future<Void> waiter;
        T item;

        Put(Queue<T> q, boolean reusable) {
            super(reusable);
            this.q = q;
        }

        @Override
        Object step(Object value, Throwable exception) {
            Queue<T> queue = q;
            if (state == 1) {
                Future<Void> w = waiter;
                waiter = null;
                if (exception != null) {
                    item = null;
                    queue.abandon(w, queue.putters, !queue.full());
                    throw CoreImpl.sneakyThrow(exception);
                }
            } else if (exception != null) {
                item = null;
                throw CoreImpl.sneakyThrow(exception);
            }
            if (queue.full()) {
                if (queue.shutdown) {
                    item = null;
                    throw new QueueShutDownException(queue + " is shut down");
                }
                EventLoop loop;
                try {
                    loop = queue.binding.bind(queue, task);
                } catch (IllegalStateException otherLoop) {
                    item = null; // refused: the cached operation keeps no reference to it
                    throw otherLoop;
                }
                waiter = new Future<>(loop);
                queue.putters.addLast(waiter);
                return await(waiter, 1);
            }
            T it = item;
            item = null;
            queue.putNowait(it);
            return null;
        }

        @Override
        public String toString() {
            return "<coroutine " + q.getClass().getSimpleName() + ".put(" + item + ")"
                    + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }
}
