package io.jasyncio;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A scope whose child tasks never outlive it; asyncio's {@code TaskGroup}. Made by
 * {@link Asyncio#taskGroup(AsyncFunction)}, which hands it to its body:
 * <pre>{@code
 * List<String> pages = await(taskGroup(tg -> {
 *     Task<String> a = tg.createTask(fetch("a"));
 *     Task<String> b = tg.createTask(fetch("b"), "fetch-b");
 *     return done(List.of(a, b));                    // the group waits for a and b before it returns
 * })).stream().map(Task::result).toList();
 * }</pre>
 *
 * <ul>
 *   <li>The scope ends when the body and every child are done; its result is the body's.</li>
 *   <li>The first child that fails (with anything but a cancellation) cancels the other children and the body;
 *       the scope then throws an {@link ExceptionGroup} of every failure: the children's in the order they failed,
 *       the body's own last.</li>
 *   <li>A failure of the body cancels the children too, and joins the group.</li>
 *   <li>A cancellation of the enclosing task cancels the children, and the scope ends with that
 *       {@link CancelledError} (unless children failed: then the {@code ExceptionGroup}).</li>
 *   <li>A {@link VirtualMachineError} (out of memory, stack overflow) is rethrown as it is, not grouped.</li>
 * </ul>
 * The group cancels its own task with {@link Task#cancel()} and undoes that with {@link Task#uncancel()} when it
 * ends, so {@link Task#cancelling()} is as it was before the group, and a cancellation from elsewhere is not lost.
 */
public final class TaskGroup {
    private final Task<?> parent;
    private final EventLoop loop;
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    /** The children not done yet, in creation order. */
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private Throwable fatal;
    /** Completed when the last child is done, while the scope waits for them. */
    private Future<Boolean> allDone;
    private final Consumer<Future<?>> onTaskDone = this::taskDone;

    private TaskGroup(Task<?> parent) {
        this.parent = parent;
        this.loop = parent.loop;
    }

    /**
     * Creates a child task of the group, named {@code Task-N}.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param <T> the result type
     * @return the child task
     * @throws IllegalStateException if the group has finished, or is shutting down after a failure or cancellation
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null, null);
    }

    /**
     * Creates a child task of the group.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param name the task's name, or {@code null}
     * @param <T> the result type
     * @return the child task
     * @throws IllegalStateException if the group has finished, or is shutting down after a failure or cancellation
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return createTask(coroutine, name, null);
    }

    /**
     * Creates a child task of the group that runs in {@code context}.
     *
     * @param coroutine a coroutine that was not awaited yet
     * @param name the task's name, or {@code null}
     * @param context the context to run in, or {@code null} for a copy of the current one
     * @param <T> the result type
     * @return the child task
     * @throws IllegalStateException if the group has finished, or is shutting down after a failure or cancellation
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        loop.checkThread("TaskGroup.createTask");
        Objects.requireNonNull(coroutine, "coroutine");
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException(this + " is finished: no task can be added to it");
        }
        if (aborting) {
            throw new IllegalStateException(this + " is shutting down (a child failed, or the group was cancelled): "
                    + "no task can be added to it");
        }
        Task<T> task = loop.createTask(coroutine, name, context);
        tasks.add(task);
        task.addCallbackEntry(onTaskDone);
        return task;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<TaskGroup");
        if (!tasks.isEmpty()) {
            sb.append(" tasks=").append(tasks.size());
        }
        if (!errors.isEmpty()) {
            sb.append(" errors=").append(errors.size());
        }
        if (aborting) {
            sb.append(" cancelling");
        } else if (exiting) {
            sb.append(" exiting");
        }
        return sb.append(" in ").append(parent.getName()).append('>').toString();
    }

    // ---- internals ------------------------------------------------------------------------------------------

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.done()) {
                t.cancel();
            }
        }
    }

    private void taskDone(Future<?> f) {
        Task<?> task = (Task<?>) f;
        tasks.remove(task);
        if (allDone != null && tasks.isEmpty() && !allDone.done()) {
            allDone.setResult(true);
        }
        if (task.state == Future.CANCELLED) {
            return;
        }
        Throwable e = task.exception;
        if (e == null) {
            return;
        }
        task.markRetrieved();
        errors.add(e);
        if (e instanceof VirtualMachineError && fatal == null) {
            fatal = e;
        }
        if (parent.done()) {
            loop.callExceptionHandler(new ExceptionContext("Task " + task + " has errored out but its parent task "
                    + parent + " is already completed", e, task, null, null));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // cancel the body too (it may be awaiting something unrelated); the scope's exit undoes this
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    /** The coroutine of {@link Asyncio#taskGroup(AsyncFunction)}: asyncio's {@code __aenter__}/{@code __aexit__}. */
    static final class TaskGroupScope<T> extends Scope<T> {
        private final AsyncFunction<TaskGroup, T> body;
        private TaskGroup group;
        private Object bodyValue;
        private Throwable bodyException;
        private CancelledError propagateCancellation;

        TaskGroupScope(AsyncFunction<TaskGroup, T> body) {
            this.body = Objects.requireNonNull(body, "body");
        }

        @Override
        void enter() {
            group = new TaskGroup(currentTask());
        }

        @Override
        Object body() throws Exception {
            return body.apply(group);
        }

        @Override
        Object exit(Object value, Throwable exc) {
            TaskGroup g = group;
            g.exiting = true;
            bodyValue = value;
            bodyException = exc;
            if (exc instanceof VirtualMachineError && g.fatal == null) {
                g.fatal = exc;
            }
            if (exc instanceof CancelledError) {
                propagateCancellation = (CancelledError) exc;
            }
            if (exc != null && !g.aborting) {
                // the enclosing task is being cancelled, or the body failed
                g.abort();
            }
            return awaitChildren();
        }

        /** Waits until no child is left (the wait may be cancelled several times), then ends the scope. */
        private Object awaitChildren() {
            TaskGroup g = group;
            while (!g.tasks.isEmpty()) {
                if (g.allDone == null) {
                    g.allDone = new Future<>(g.loop);
                }
                Object r;
                try {
                    r = awaitInExit(g.allDone);
                } catch (CancelledError e) {
                    childrenWaitCancelled(e);
                    continue;
                }
                if (r == io.jasyncio.internal.Woven.SUSPENDED) {
                    return r;
                }
                g.allDone = null;
            }
            return finish();
        }

        @Override
        Object exitResumed(Object value, Throwable exception) {
            if (exception instanceof CancelledError) {
                childrenWaitCancelled((CancelledError) exception);
            } else if (exception != null) {
                throw CoreImpl.sneakyThrow(exception); // not expected: the wait ends only by completion or cancel
            } else {
                group.allDone = null;
            }
            return awaitChildren();
        }

        private void childrenWaitCancelled(CancelledError e) {
            TaskGroup g = group;
            g.allDone = null;
            if (!g.aborting) {
                // the enclosing task is cancelled while the children still run
                propagateCancellation = e;
                g.abort();
            }
        }

        private Object finish() {
            TaskGroup g = group;
            if (g.fatal != null) {
                throw CoreImpl.sneakyThrow(g.fatal);
            }
            CancelledError cancel = propagateCancellation;
            if (g.parentCancelRequested && g.parent.uncancel() == 0) {
                cancel = null; // our own cancellation of the body: nothing else asked for one
            }
            if (cancel != null && g.errors.isEmpty()) {
                throw cancel;
            }
            Throwable exc = bodyException;
            if (exc != null && !(exc instanceof CancelledError)) {
                g.errors.add(exc);
            }
            if (!g.errors.isEmpty()) {
                if (g.parent.cancelling() > 0) {
                    // cancelled from outside too: keep that request pending, at the same count
                    g.parent.uncancel();
                    g.parent.cancel();
                }
                ExceptionGroup eg = new ExceptionGroup("unhandled errors in a TaskGroup", g.errors);
                g.errors.clear();
                throw eg;
            }
            return bodyValue;
        }

        @Override
        String describeScope() {
            return "taskGroup()";
        }
    }
}
