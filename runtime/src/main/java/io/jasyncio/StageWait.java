package io.jasyncio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A task's wait for a {@link CompletionStage}: the stage may complete on any thread; the outcome is carried to
 * the loop with {@link EventLoop#callSoonThreadsafe(Runnable)} and the task resumes on its own thread.
 */
final class StageWait implements BiConsumer<Object, Throwable>, Runnable {
    private final Task<?> task;
    private final CompletionStage<?> stage;
    Object value;
    Throwable exception;
    /** Set on the loop thread when the task stopped waiting (it was cancelled). */
    private boolean abandoned;

    StageWait(Task<?> task, CompletionStage<?> stage) {
        this.task = task;
        this.stage = stage;
    }

    /** Called by the stage, on whatever thread completes it. */
    @Override
    public void accept(Object v, Throwable e) {
        value = v;
        exception = unwrap(e);
        try {
            task.loop.callSoonThreadsafe(this);
        } catch (IllegalStateException closed) {
            // The loop was closed while the task was waiting: the task was cancelled and reported by run()'s
            // shutdown; nobody is left to receive this outcome.
        }
    }

    /** On the loop thread: resume the task, unless it stopped waiting. */
    @Override
    public void run() {
        if (abandoned) {
            return;
        }
        task.loop.externalEnded();
        if (task.waitingOn == this) {
            task.wake();
        }
    }

    /** The task was cancelled: forget the outcome and, for a {@link CompletableFuture}, cancel it too. */
    void abandon() {
        abandoned = true;
        task.loop.externalEnded(); // the outcome, if it ever comes, is dropped
        if (stage instanceof CompletableFuture) {
            ((CompletableFuture<?>) stage).cancel(false);
        }
    }

    /** Registers this wait on the stage. */
    void register() {
        task.loop.externalStarted();
        stage.whenComplete(this);
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
