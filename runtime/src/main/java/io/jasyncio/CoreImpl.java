package io.jasyncio;

import io.jasyncio.internal.Core;
import io.jasyncio.internal.Woven;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The implementation of the woven-code contract ({@link Woven}), with access to package-private state. */
final class CoreImpl extends Core {

    @Override
    public Object await(Object awaitable, Coroutine<?> frame) {
        if (awaitable instanceof Coroutine) {
            Coroutine<?> c = (Coroutine<?>) awaitable;
            if (c.task != null) {
                throw new IllegalStateException("cannot await " + c + ": a coroutine can be awaited only once");
            }
            c.task = frame.task;
            c.caller = frame;
            if (Debug.tracking) {
                Debug.started(c);
            }
            return c.resume(null, null);
        }
        if (awaitable instanceof Future) {
            Future<?> f = (Future<?>) awaitable;
            if (f.state != Future.PENDING) {
                return f.outcome();
            }
            Task<?> t = frame.task;
            if (f == t) {
                throw new IllegalStateException("Task cannot await on itself: " + t);
            }
            if (f.loop != t.loop) {
                throw new IllegalStateException("Task " + t + " got Future " + f + " attached to a different loop");
            }
            t.current = frame;
            t.waitingOn = f;
            f.addCallbackEntry(t);
            return Woven.SUSPENDED;
        }
        if (awaitable instanceof CompletionStage) {
            CompletionStage<?> stage = (CompletionStage<?>) awaitable;
            if (stage instanceof CompletableFuture && ((CompletableFuture<?>) stage).isDone()) {
                return completedOutcome((CompletableFuture<?>) stage);
            }
            Task<?> t = frame.task;
            StageWait wait = new StageWait(t, stage);
            t.current = frame;
            t.waitingOn = wait;
            wait.register();
            return Woven.SUSPENDED;
        }
        if (awaitable == null) {
            throw new NullPointerException("await(null): the awaited coroutine, future or stage is null");
        }
        throw new IllegalArgumentException("cannot await " + awaitable.getClass().getName()
                + ": expected a Coroutine, Future or CompletionStage");
    }

    @Override
    public Object awaitCalled(Coroutine<?> c, Task<?> task) {
        // await(c) as above, for a caller that has no frame yet: it gets the caller through adopt if c suspends
        if (c == null) {
            throw new NullPointerException("await(null): the awaited coroutine, future or stage is null");
        }
        if (c.task != null) {
            throw new IllegalStateException("cannot await " + c + ": a coroutine can be awaited only once");
        }
        c.task = task;
        if (Debug.tracking) {
            Debug.started(c);
        }
        Object r = c.resume(null, null);
        if (r == Woven.SUSPENDED) {
            task.loop.directCallee = c;
        }
        return r;
    }

    @Override
    public void bind(Coroutine<?> frame, Task<?> task) {
        frame.task = task;
        if (Debug.tracking) {
            Debug.started(frame);
        }
    }

    @Override
    public void adopt(Task<?> task, Coroutine<?> frame) {
        EventLoop loop = task.loop;
        Coroutine<?> callee = loop.directCallee;
        loop.directCallee = null;
        callee.caller = frame;
    }

    @Override
    public void publish(Task<?> task, Coroutine<?> frame) {
        task.loop.directCallee = frame;
    }

    @Override
    public Task<?> taskOf(Coroutine<?> frame) {
        return frame.task;
    }

    private static Object completedOutcome(CompletableFuture<?> cf) {
        Throwable[] failure = new Throwable[1];
        Object value = cf.handle((v, e) -> {
            failure[0] = e;
            return v;
        }).join();
        if (failure[0] != null) {
            throw sneakyThrow(StageWait.unwrap(failure[0]));
        }
        return value;
    }

    /**
     * Adds the await site of {@code caller} to the stack trace of {@code t}, which travels to it from an awaited
     * coroutine after a resumption (so {@code caller}'s Java frame is not on the stack that created {@code t}).
     * The element goes before the task machinery, where the caller's Java frame would have been.
     */
    static void addAsyncFrame(Throwable t, Coroutine<?> caller) {
        StackTraceElement site = caller.awaitSite();
        if (site == null) {
            return;
        }
        StackTraceElement[] trace = t.getStackTrace();
        if (trace.length == 0) {
            return; // the exception does not keep stack traces
        }
        int at = trace.length;
        for (int i = 0; i < trace.length; i++) {
            if (trace[i].getClassName().equals("io.jasyncio.Task") && trace[i].getMethodName().equals("step")) {
                at = i;
                break;
            }
        }
        StackTraceElement[] extended = new StackTraceElement[trace.length + 1];
        System.arraycopy(trace, 0, extended, 0, at);
        extended[at] = site;
        System.arraycopy(trace, at, extended, at + 1, trace.length - at);
        t.setStackTrace(extended);
    }

    /** Throws {@code t} unchanged, checked or not; declared to return so callers can write {@code throw}. */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
