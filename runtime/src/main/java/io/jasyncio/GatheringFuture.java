package io.jasyncio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The future of {@link Asyncio#gather}: done when every child is, or at the first failure. */
final class GatheringFuture<T> extends Future<List<T>> implements Consumer<Future<?>> {
    private final List<Future<?>> children;
    private final boolean returnExceptions;
    private int finished;
    /** Set when the gather itself was cancelled, so that a child's cancellation is reported as that. */
    private boolean cancelRequested;
    /** Set by {@link #abandon}. */
    private boolean abandoned;

    GatheringFuture(EventLoop loop, List<Future<?>> children, boolean returnExceptions) {
        super(loop);
        this.children = children;
        this.returnExceptions = returnExceptions;
        if (children.isEmpty()) {
            complete(new ArrayList<T>(0));
            return;
        }
        for (Future<?> child : children) {
            child.addCallbackEntry(this);
        }
    }

    /**
     * A gather whose children are {@linkplain #add added} one by one, each registered as it comes (one pass over
     * them, as asyncio's gather), then {@link #started}.
     */
    GatheringFuture(EventLoop loop, int expected, boolean returnExceptions) {
        super(loop);
        this.children = new ArrayList<>(expected);
        this.returnExceptions = returnExceptions;
    }

    /** Adds the next child and registers for its completion. */
    void add(Future<?> child) {
        children.add(child);
        child.addCallbackEntry(this);
    }

    /** Every child was added: a gather of none is done at once. */
    void started() {
        if (children.isEmpty()) {
            complete(new ArrayList<T>(0));
        }
    }

    /**
     * Making a child failed (the exception goes to gather's caller): this gather is dropped, as if never made; the
     * children added so far forget it, and a callback of one already scheduled does nothing.
     */
    void abandon() {
        abandoned = true;
        for (Future<?> child : children) {
            child.removeCallbackEntry(this);
        }
    }

    /** A child is done. */
    @Override
    public void accept(Future<?> child) {
        if (abandoned) {
            return;
        }
        finished++;
        if (state != PENDING) {
            if (child.state != CANCELLED) {
                child.markRetrieved(); // the gather already failed; asyncio marks these retrieved too
            }
            return;
        }
        if (!returnExceptions) {
            if (child.state == CANCELLED) {
                completeExceptionally(child.cancelledError());
                return;
            }
            if (child.exception != null) {
                child.markRetrieved();
                completeExceptionally(child.exception);
                return;
            }
        }
        if (finished < children.size()) {
            return;
        }
        List<T> results = new ArrayList<>(children.size());
        for (Future<?> f : children) {
            Object r;
            if (f.state == CANCELLED) {
                r = f.cancelledError();
            } else if (f.exception != null) {
                f.markRetrieved();
                r = f.exception;
            } else {
                r = f.result;
            }
            @SuppressWarnings("unchecked") T t = (T) r;
            results.add(t);
        }
        if (cancelRequested) {
            cancelInternal(cancelMessage);
        } else {
            complete(results);
        }
    }

    /** Cancels every child that is not done; the gather is cancelled when they are. */
    @Override
    public boolean cancel(String message) {
        loop.checkThread("Future.cancel");
        if (state != PENDING) {
            return false;
        }
        boolean any = false;
        for (Future<?> child : children) {
            if (child.cancel(message)) {
                any = true;
            }
        }
        if (any) {
            cancelRequested = true;
            cancelMessage = message;
        }
        return any;
    }
}
