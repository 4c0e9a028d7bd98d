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

    /** A child is done. */
    @Override
    public void accept(Future<?> child) {
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
