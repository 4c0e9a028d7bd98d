package io.jasyncio;

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired; asyncio's
 * {@code BoundedSemaphore}: {@link #release()} beyond the initial value throws.
 */
public class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** Creates a bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Creates a bounded semaphore with {@code value} permits, which is also its bound.
     *
     * @param value the initial (and greatest) number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back, waking the first waiter.
     *
     * @throws IllegalStateException if that would make more permits than the initial value
     */
    @Override
    public void release() {
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times: " + this + " has its "
                    + bound + " permits already");
        }
        super.release();
    }
}
