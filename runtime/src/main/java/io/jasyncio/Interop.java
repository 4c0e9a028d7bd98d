package io.jasyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Between jasyncio and the rest of Java: a task as a {@link CompletableFuture}, a {@link CompletionStage} or a
 * {@link java.util.concurrent.Future} as a jasyncio {@link Future}, a {@link Flow.Publisher} and the lines of a
 * {@link StreamReader} as {@link AsyncIterator}s. The coroutines here are hand-written frames ({@link Op}).
 */
final class Interop {
    private Interop() {
    }

    // ---- Task.toCompletableFuture ---------------------------------------------------------------------------

    /**
     * The future of a task for code outside the loop ({@link Task#toCompletableFuture()},
     * {@link Asyncio#runCoroutineThreadsafe}): completed on the loop's thread with the task's outcome; cancelling it,
     * from any thread, cancels the task on the loop's thread.
     */
    static final class TaskCompletableFuture<T> extends CompletableFuture<T> {
        private final EventLoop loop;
        /** The task, once {@link #attach}ed (on the loop's thread). */
        private Task<T> task;

        TaskCompletableFuture(EventLoop loop) {
            this.loop = loop;
        }

        /**
         * Takes the task's outcome; on the loop's thread (or while the loop is not running). A task done already
         * gives its outcome at once, so that the future completes even if the loop does not run again; a future
         * cancelled before it was attached cancels the task.
         */
        void attach(Task<T> t) {
            task = t;
            if (isCancelled()) {
                t.cancel();
            }
            if (t.state != Future.PENDING) {
                settle(t);
                return;
            }
            t.addCallbackEntry((Consumer<Future<T>>) this::settle);
        }

        private void settle(Future<T> f) {
            if (f.state == Future.CANCELLED) {
                super.cancel(false);
            } else if (f.exception != null) {
                f.markRetrieved();
                completeExceptionally(f.exception);
            } else {
                @SuppressWarnings("unchecked") T value = (T) f.result;
                complete(value);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                if (EventLoop.running() == loop) {
                    if (task != null) {
                        task.cancel();
                    }
                } else {
                    try {
                        loop.callSoonThreadsafe(() -> {
                            if (task != null) { // else attach cancels it
                                task.cancel();
                            }
                        });
                    } catch (IllegalStateException closed) {
                        // the loop is closed: nothing runs the task any more
                    }
                }
            }
            return cancelled;
        }

        @Override
        public String toString() {
            return super.toString() + (task != null ? " of " + task : " (task not created yet)");
        }
    }

    // ---- fromStage / wrapFuture -----------------------------------------------------------------------------

    /**
     * The future of {@link Asyncio#fromStage}: completed on its loop's thread with the stage's outcome; cancelling it
     * cancels a {@link CompletableFuture} stage. While the stage is pending, the loop counts it as work on another
     * thread (so virtual time does not jump past it).
     */
    static final class StageFuture<T> extends Future<T> {
        private boolean counted;

        StageFuture(EventLoop loop, CompletionStage<T> stage) {
            super(loop);
            if (stage instanceof CompletableFuture && ((CompletableFuture<T>) stage).isDone()) {
                settle(stage.toCompletableFuture());
                return;
            }
            loop.externalStarted();
            counted = true;
            addCallbackEntry((Consumer<Future<T>>) f -> {
                if (f.state == Future.CANCELLED) {
                    uncount();
                    if (stage instanceof CompletableFuture) {
                        ((CompletableFuture<T>) stage).cancel(false);
                    }
                }
            });
            stage.whenComplete((v, e) -> {
                try {
                    loop.callSoonThreadsafe(() -> {
                        uncount();
                        if (state == Future.PENDING) {
                            if (e != null) {
                                Throwable cause = StageWait.unwrap(e);
                                if (cause instanceof CancellationException) {
                                    cancelInternal(cause.getMessage());
                                } else {
                                    completeExceptionally(cause);
                                }
                            } else {
                                complete(v);
                            }
                        }
                    });
                } catch (IllegalStateException closed) {
                    // the loop closed while the stage ran: nobody is left to take the outcome
                }
            });
        }

        private void uncount() {
            if (counted) {
                counted = false;
                loop.externalEnded();
            }
        }

        /** A stage done already: its outcome at once. */
        private void settle(CompletableFuture<T> done) {
            try {
                complete(done.join());
            } catch (CancellationException e) {
                cancelInternal(e.getMessage());
            } catch (java.util.concurrent.CompletionException e) {
                completeExceptionally(StageWait.unwrap(e));
            }
        }
    }

    /**
     * {@link Asyncio#wrapFuture}: a future that is done already gives its outcome at once; otherwise a thread of
     * the loop's default executor waits in {@code get()}.
     */
    static <T> Future<T> wrapFuture(EventLoop loop, java.util.concurrent.Future<T> source) {
        Future<T> result;
        if (source.isDone()) {
            result = new Future<>(loop);
            try {
                result.complete(getDone(source));
            } catch (CancellationException e) {
                result.cancelInternal(e.getMessage());
            } catch (ExecutionException e) {
                result.completeExceptionally(e.getCause() != null ? e.getCause() : e);
            }
            return result;
        }
        result = loop.runInExecutor(null, () -> {
            try {
                return source.get();
            } catch (ExecutionException e) {
                throw CoreImpl.sneakyThrow(e.getCause() != null ? e.getCause() : e);
            }
        });
        Future<T> wrapped = new Future<>(loop);
        result.addCallbackEntry((Consumer<Future<T>>) f -> {
            if (wrapped.state != Future.PENDING) {
                if (f.state == Future.FINISHED && f.exception != null) {
                    f.markRetrieved();
                }
                return;
            }
            if (f.state == Future.CANCELLED) {
                wrapped.cancelInternal(f.cancelMessage);
            } else if (f.exception instanceof CancellationException) {
                f.markRetrieved();
                wrapped.cancelInternal(f.exception.getMessage());
            } else if (f.exception != null) {
                f.markRetrieved();
                wrapped.completeExceptionally(f.exception);
            } else {
                wrapped.complete(f.result);
            }
        });
        wrapped.addCallbackEntry((Consumer<Future<T>>) f -> {
            if (f.state == Future.CANCELLED) {
                source.cancel(false); // the waiting thread's get() then returns at once
                result.cancelInternal(null);
            }
        });
        return wrapped;
    }

    private static <T> T getDone(java.util.concurrent.Future<T> done) throws ExecutionException {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true; // cannot block: it is done
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- Flow.Publisher ---------------------------------------------------------------------------------------

    /**
     * {@link Asyncio#iterate(Flow.Publisher, int)}: subscribes at the first {@code hasNext()}, requests
     * {@code prefetch} items, and requests more as the consumer takes them (half the window at a time), so no more
     * than {@code prefetch} items are ever requested and not yet taken. Every signal of the publisher, on whatever
     * thread, is carried to the loop's thread; the buffer and the subscription are used on the loop's thread only.
     */
    static final class PublisherIterator<T> implements AsyncIterator<T>, Flow.Subscriber<T> {
        private final EventLoop loop;
        private final Flow.Publisher<? extends T> publisher;
        private final int prefetch;
        private final int refill;
        // loop thread only:
        private final ArrayDeque<T> buffer = new ArrayDeque<>();
        private Flow.Subscription subscription;
        private boolean subscribed;
        private boolean completed;
        private Throwable failure;
        private boolean closed;
        private int taken;
        private Future<Void> waiter;

        PublisherIterator(EventLoop loop, Flow.Publisher<? extends T> publisher, int prefetch) {
            this.loop = loop;
            this.publisher = publisher;
            this.prefetch = prefetch;
            this.refill = Math.max(1, prefetch / 2);
        }

        @Override
        public Coroutine<Boolean> hasNext() {
            loop.checkThread("AsyncIterator.hasNext");
            return new HasNext();
        }

        @Override
        public T next() {
            loop.checkThread("AsyncIterator.next");
            T item = buffer.poll();
            if (item == null) {
                throw new NoSuchElementException("no item: await hasNext() first (it returned false, or was not awaited)");
            }
            if (++taken >= refill && subscription != null && !closed) {
                int n = taken;
                taken = 0;
                subscription.request(n);
            }
            return item;
        }

        @Override
        public void close() {
            loop.checkThread("AsyncIterator.close");
            if (closed) {
                return;
            }
            closed = true;
            buffer.clear();
            if (subscription != null) {
                subscription.cancel();
            }
            wake();
        }

        // -- the subscriber's side: any thread, carried to the loop ------------------------------------------

        @Override
        public void onSubscribe(Flow.Subscription s) {
            Objects.requireNonNull(s, "subscription");
            post(() -> {
                if (subscription != null || closed) {
                    s.cancel(); // rule 2.5: a second subscription, or one after close()
                    return;
                }
                subscription = s;
                s.request(prefetch);
            }, s);
        }

        @Override
        public void onNext(T item) {
            Objects.requireNonNull(item, "item");
            post(() -> {
                if (!closed) {
                    buffer.add(item);
                    wake();
                }
            }, null);
        }

        @Override
        public void onError(Throwable t) {
            Objects.requireNonNull(t, "throwable");
            post(() -> {
                failure = t;
                wake();
            }, null);
        }

        @Override
        public void onComplete() {
            post(() -> {
                completed = true;
                wake();
            }, null);
        }

        private void post(Runnable r, Flow.Subscription orCancel) {
            try {
                loop.callSoonThreadsafe(r);
            } catch (IllegalStateException closedLoop) {
                if (orCancel != null) {
                    orCancel.cancel(); // nobody will ever consume
                }
            }
        }

        private void wake() {
            Future<Void> w = waiter;
            if (w != null) {
                waiter = null;
                loop.externalEnded();
                if (w.state == Future.PENDING) {
                    w.complete(null);
                }
            }
        }

        @Override
        public String toString() {
            return "<AsyncIterator of " + publisher + " buffered=" + buffer.size() + ">";
        }

        /** The coroutine of {@link #hasNext()}. */
        private final class HasNext extends Op<Boolean> {
            @Override
            Object step(Object value, Throwable exception) {
                if (state == 1) {
                    if (waiter != null && waiter.state == Future.CANCELLED) { // our task was cancelled
                        waiter = null;
                        loop.externalEnded();
                    }
                }
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                if (!buffer.isEmpty()) {
                    return Boolean.TRUE;
                }
                if (closed || completed) {
                    return Boolean.FALSE;
                }
                if (failure != null) {
                    throw CoreImpl.sneakyThrow(failure);
                }
                if (!subscribed) {
                    subscribed = true;
                    publisher.subscribe(PublisherIterator.this); // its signals, even synchronous ones, are posted
                }
                Future<Void> w = new Future<>(loop);
                waiter = w;
                loop.externalStarted(); // the publisher's thread will wake us: virtual time must not jump past it
                return await(w, 1);
            }

            @Override
            public String toString() {
                return "<coroutine AsyncIterator.hasNext() of " + publisher + ">";
            }
        }
    }

    // ---- StreamReader.lines ---------------------------------------------------------------------------------

    /** {@link StreamReader#lines()}: each {@code hasNext()} reads a line; the read's {@link IOException} is wrapped. */
    static final class LineIterator implements AsyncIterator<byte[]> {
        private final StreamReader reader;
        private byte[] line;
        private boolean ended;

        LineIterator(StreamReader reader) {
            this.reader = reader;
        }

        @Override
        public Coroutine<Boolean> hasNext() {
            return new Op<Boolean>() {
                @Override
                Object step(Object value, Throwable exception) {
                    if (exception != null) {
                        if (exception instanceof IOException && state == 1) {
                            throw new UncheckedIOException((IOException) exception);
                        }
                        throw CoreImpl.sneakyThrow(exception);
                    }
                    if (state == 1) {
                        byte[] read = (byte[]) value;
                        if (read.length == 0) {
                            ended = true;
                            return Boolean.FALSE;
                        }
                        line = read;
                        return Boolean.TRUE;
                    }
                    if (line != null) {
                        return Boolean.TRUE;
                    }
                    if (ended) {
                        return Boolean.FALSE;
                    }
                    try {
                        return await(reader.readLine(), 1);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public String toString() {
                    return "<coroutine StreamReader.lines().hasNext()>";
                }
            };
        }

        @Override
        public byte[] next() {
            byte[] l = line;
            if (l == null) {
                throw new NoSuchElementException("no line: await hasNext() first (it returned false, or was not awaited)");
            }
            line = null;
            return l;
        }

        @Override
        public void close() {
            ended = true;
            line = null;
        }
    }
}
