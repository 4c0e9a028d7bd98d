package io.jasyncio;

import io.jasyncio.internal.Woven;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** The hand-written coroutines behind {@code waitFor}, {@code wait}, {@code asCompleted} and {@code shield}. */
final class Combinators {
    private Combinators() {
    }

    /** A coroutine that awaits one awaitable: {@code @Async Coroutine<T> c() { return done(await(x)); }}. */
    static final class Awaiter<T> extends Coroutine<T> {
        private final Object awaitable;
        private boolean suspended;

        Awaiter(Object awaitable) {
            this.awaitable = awaitable;
        }

        @Override
        protected Object resume(Object value, Throwable exception) {
            if (!suspended) {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                suspended = true;
                return Woven.await(awaitable, this);
            }
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            return value;
        }

        @Override
        public String toString() {
            return "<coroutine await(" + awaitable + ")" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }

    /** The coroutine of {@link Asyncio#toThread}: submits the work when it is first run, in a copy of the context. */
    static final class ToThread<T> extends Coroutine<T> {
        private final java.util.concurrent.Callable<T> fn;
        private boolean submitted;

        ToThread(java.util.concurrent.Callable<T> fn) {
            this.fn = fn;
        }

        @Override
        protected Object resume(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            if (!submitted) {
                submitted = true;
                Context context = Context.copyContext();
                return Woven.await(task.loop.runInExecutor(null, () -> context.call(fn)), this);
            }
            return value;
        }

        @Override
        public String toString() {
            return "<coroutine toThread(" + fn + ")" + (task == null ? "" : " running in " + task.getName()) + ">";
        }
    }

    /**
     * {@code waitFor(aw, timeout)} with a timeout of zero or less: cancels the awaitable (a coroutine never starts),
     * waits for that, and throws the timeout; asyncio's {@code _cancel_and_wait} path.
     */
    static final class CancelAndWait<T> extends Coroutine<T> {
        private final Awaitable<T> awaitable;
        private Future<T> future;
        private Future<Void> waiter;
        private Consumer<Future<?>> release;

        CancelAndWait(Awaitable<T> awaitable) {
            this.awaitable = awaitable;
        }

        @Override
        protected Object resume(Object value, Throwable exception) {
            if (future == null) {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                EventLoop loop = task.loop;
                future = loop.ensureFuture(awaitable);
                if (future.state != Future.PENDING) {
                    return future.outcome();
                }
                waiter = new Future<>(loop);
                release = f -> {
                    if (waiter.state == Future.PENDING) {
                        waiter.complete(null);
                    }
                };
                future.addCallbackEntry(release);
                future.cancel();
                return Woven.await(waiter, this);
            }
            future.removeCallbackEntry(release);
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception); // the awaiting task was cancelled meanwhile
            }
            if (future.state == Future.CANCELLED) {
                throw new TimeoutException("timed out (timeout of zero or less)", future.cancelledError());
            }
            return future.outcome();
        }

        @Override
        public String toString() {
            return "<coroutine waitFor(" + awaitable + ", 0)>";
        }
    }

    /** The coroutine of {@link Asyncio#wait(Collection, ReturnWhen, double)}: asyncio's {@code _wait}. */
    static final class Wait<T> extends Coroutine<WaitResult<T>> implements Consumer<Future<?>> {
        private final Set<Future<T>> futures;
        private final ReturnWhen when;
        private final double timeout;
        private int counter;
        private Future<Void> waiter;
        private TimerHandle timer;
        private boolean started;

        Wait(Set<Future<T>> futures, ReturnWhen when, double timeout) {
            this.futures = futures;
            this.when = when;
            this.timeout = timeout;
            this.counter = futures.size();
        }

        @Override
        protected Object resume(Object value, Throwable exception) {
            if (!started) {
                started = true;
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                EventLoop loop = task.loop;
                for (Future<T> f : futures) {
                    if (f.loop != loop) {
                        throw new IllegalArgumentException("wait(): " + f + " belongs to another event loop");
                    }
                }
                waiter = new Future<>(loop);
                if (timeout != Double.POSITIVE_INFINITY) {
                    timer = loop.addTimer(loop.nowNanos() + EventLoop.toNanos(timeout), (Runnable) this::release);
                }
                for (Future<T> f : futures) {
                    f.addCallbackEntry(this);
                }
                Object r = Woven.await(waiter, this);
                if (r == Woven.SUSPENDED) {
                    return r;
                }
            }
            if (timer != null) {
                timer.cancel();
            }
            for (Future<T> f : futures) {
                f.removeCallbackEntry(this);
            }
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception); // the waiting task was cancelled; nothing else is
            }
            Set<Future<T>> done = new LinkedHashSet<>();
            Set<Future<T>> pending = new LinkedHashSet<>();
            for (Future<T> f : futures) {
                (f.state != Future.PENDING ? done : pending).add(f);
            }
            return new WaitResult<>(done, pending);
        }

        /** A future is done. */
        @Override
        public void accept(Future<?> f) {
            counter--;
            if (counter <= 0 || when == ReturnWhen.FIRST_COMPLETED
                    || when == ReturnWhen.FIRST_EXCEPTION && f.state == Future.FINISHED && f.exception != null) {
                release();
            }
        }

        private void release() {
            if (timer != null) {
                timer.cancel();
            }
            if (waiter.state == Future.PENDING) {
                waiter.complete(null);
            }
        }

        @Override
        public String toString() {
            return "<coroutine wait(" + futures.size() + " futures, " + when + ")>";
        }
    }

    /** What {@link Asyncio#asCompleted} returns. */
    static final class AsCompleted<T> implements Iterable<Awaitable<T>>, Consumer<Future<?>> {
        private final Set<Future<T>> todo;
        private int left;
        /** Futures done and not handed out yet; {@code null} marks a timeout. */
        private final ArrayDeque<Object> done = new ArrayDeque<>();
        /** Awaiters waiting for the next done future, oldest first. */
        private final ArrayDeque<Future<Object>> getters = new ArrayDeque<>();
        private static final Object TIMED_OUT = new Object();
        private TimerHandle timer;
        private final EventLoop loop;

        AsCompleted(EventLoop loop, Set<Future<T>> todo, double timeout) {
            this.loop = loop;
            this.todo = todo;
            this.left = todo.size();
            for (Future<T> f : todo) {
                f.addCallbackEntry(this);
            }
            if (!todo.isEmpty() && timeout != Double.POSITIVE_INFINITY) {
                timer = loop.addTimer(loop.nowNanos() + EventLoop.toNanos(timeout), (Runnable) this::timedOut);
            }
        }

        private void timedOut() {
            for (Future<T> f : todo) {
                f.removeCallbackEntry(this);
                put(TIMED_OUT);
            }
            todo.clear();
        }

        @Override
        public void accept(Future<?> f) {
            if (todo.isEmpty()) {
                return; // the timeout came first
            }
            todo.remove(f);
            put(f);
            if (todo.isEmpty() && timer != null) {
                timer.cancel();
            }
        }

        private void put(Object item) {
            for (Future<Object> g; (g = getters.poll()) != null; ) {
                if (g.state == Future.PENDING) {
                    g.complete(item);
                    return;
                }
            }
            done.add(item);
        }

        @Override
        public Iterator<Awaitable<T>> iterator() {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return left > 0;
                }

                @Override
                public Awaitable<T> next() {
                    return nextDone(true);
                }
            };
        }

        /** The iterable of {@link Asyncio#asCompletedFutures}: the original futures, done, in completion order. */
        Iterable<Coroutine<Future<T>>> futures() {
            return () -> new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return left > 0;
                }

                @Override
                public Coroutine<Future<T>> next() {
                    @SuppressWarnings("unchecked") Coroutine<Future<T>> c = (Coroutine<Future<T>>) (Coroutine<?>) nextDone(false);
                    return c;
                }
            };
        }

        private NextDone<T> nextDone(boolean resolve) {
            if (left <= 0) {
                throw new NoSuchElementException("asCompleted(): every awaitable was handed out");
            }
            left--;
            return new NextDone<>(this, resolve);
        }

        @Override
        public String toString() {
            return "<asCompleted left=" + left + ">";
        }
    }

    /** One awaitable of {@link AsCompleted}: the result (or, not resolving, the future itself) of the next to finish. */
    private static final class NextDone<T> extends Coroutine<T> {
        private final AsCompleted<T> of;
        private final boolean resolve;
        private boolean suspended;

        NextDone(AsCompleted<T> of, boolean resolve) {
            this.of = of;
            this.resolve = resolve;
        }

        @Override
        protected Object resume(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            if (!suspended) {
                suspended = true;
                Object item = of.done.poll();
                if (item == null) {
                    Future<Object> getter = new Future<>(of.loop);
                    of.getters.add(getter);
                    Object r = Woven.await(getter, this);
                    if (r == Woven.SUSPENDED) {
                        return r;
                    }
                    item = r;
                }
                return resolve(item);
            }
            return resolve(value);
        }

        private Object resolve(Object item) {
            if (item == AsCompleted.TIMED_OUT) {
                throw new TimeoutException("asCompleted() timed out");
            }
            return resolve ? ((Future<?>) item).outcome() : item;
        }

        @Override
        public String toString() {
            return "<coroutine asCompleted.next()>";
        }
    }

    /** {@link Asyncio#shield}: an outer future that follows {@code inner} and can be cancelled alone. */
    static <T> Future<T> shield(Future<T> inner) {
        if (inner.state != Future.PENDING) {
            return inner;
        }
        Future<T> outer = new Future<>(inner.loop);
        Consumer<Future<T>> innerDone = f -> {
            if (outer.state == Future.CANCELLED) {
                if (f.state != Future.CANCELLED) {
                    f.markRetrieved(); // its exception, if any, was meant for the outer awaiter that left
                }
                return;
            }
            if (f.state == Future.CANCELLED) {
                outer.cancelInternal(f.cancelMessage);
            } else if (f.exception != null) {
                f.markRetrieved();
                outer.completeExceptionally(f.exception);
            } else {
                outer.complete(f.result);
            }
        };
        inner.addCallbackEntry(innerDone);
        outer.addCallbackEntry((Consumer<Future<T>>) o -> {
            if (inner.state == Future.PENDING) {
                inner.removeCallbackEntry(innerDone);
            }
        });
        return outer;
    }

    /** Coroutines passed to {@code wait}/{@code asCompleted} become tasks; the set keeps the given order. */
    static <T> Set<Future<T>> toFutures(EventLoop loop, Collection<? extends Awaitable<? extends T>> aws) {
        Set<Future<T>> set = new LinkedHashSet<>();
        List<Awaitable<? extends T>> copy = new ArrayList<>(aws);
        for (Awaitable<? extends T> a : copy) {
            // before any coroutine becomes a task: a null later in the list must not leave earlier ones running
            Objects.requireNonNull(a, "an awaitable in the collection is null");
        }
        for (Awaitable<? extends T> a : copy) {
            if (a instanceof Coroutine && ((Coroutine<?>) a).task != null) {
                @SuppressWarnings("unchecked") Future<T> t = (Future<T>) ((Coroutine<?>) a).task;
                if (t.loop == loop && set.contains(t)) {
                    continue; // the same coroutine twice: one task
                }
            }
            @SuppressWarnings("unchecked") Future<T> f = (Future<T>) loop.ensureFuture(a);
            set.add(f);
        }
        return set;
    }
}
