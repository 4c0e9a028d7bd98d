package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The public names fixed by issue 2: later work may add to them, never rename or remove one. A failure here means
 * a change broke users' code.
 */
class PublicApiTest {
    private final List<String> missing = new ArrayList<>();

    private void require(Class<?> type, boolean isStatic, String name, Class<?>... parameters) {
        try {
            Method m = type.getMethod(name, parameters);
            if (Modifier.isStatic(m.getModifiers()) != isStatic) {
                missing.add(type.getSimpleName() + "." + name + " should " + (isStatic ? "" : "not ") + "be static");
            }
        } catch (NoSuchMethodException e) {
            missing.add(type.getSimpleName() + "." + name + List.of(parameters));
        }
    }

    @Test
    void theNamesOfTheFirstReleaseStay() {
        for (Class<?> type : List.of(Coroutine.class, Future.class, Task.class, EventLoop.class, Asyncio.class)) {
            assertTrue(Modifier.isPublic(type.getModifiers()), type + " is public");
        }
        assertTrue(Future.class.isAssignableFrom(Task.class), "a Task is a Future");
        assertTrue(Awaitable.class.isAssignableFrom(Coroutine.class) && Awaitable.class.isAssignableFrom(Future.class));

        require(Future.class, false, "result");
        require(Future.class, false, "exception");
        require(Future.class, false, "done");
        require(Future.class, false, "cancelled");
        require(Future.class, false, "cancel");
        require(Future.class, false, "cancel", String.class);
        require(Future.class, false, "setResult", Object.class);
        require(Future.class, false, "setException", Throwable.class);
        require(Future.class, false, "addDoneCallback", Consumer.class);

        require(EventLoop.class, false, "callSoon", Runnable.class);
        require(EventLoop.class, false, "callLater", double.class, Runnable.class);
        require(EventLoop.class, false, "callAt", double.class, Runnable.class);
        require(EventLoop.class, false, "time");
        require(EventLoop.class, false, "createFuture");
        require(EventLoop.class, false, "createTask", Coroutine.class);
        require(EventLoop.class, false, "runUntilComplete", Awaitable.class);
        require(EventLoop.class, false, "runForever");
        require(EventLoop.class, false, "stop");
        require(EventLoop.class, false, "close");
        require(EventLoop.class, false, "isRunning");
        require(EventLoop.class, false, "isClosed");

        require(Asyncio.class, true, "await", Coroutine.class);
        require(Asyncio.class, true, "await", Future.class);
        require(Asyncio.class, true, "await", CompletionStage.class);
        require(Asyncio.class, true, "done", Object.class);
        require(Asyncio.class, true, "done");
        require(Asyncio.class, true, "run", Coroutine.class);
        require(Asyncio.class, true, "sleep", double.class);
        require(Asyncio.class, true, "sleep", double.class, Object.class);
        require(Asyncio.class, true, "sleep", Duration.class);
        require(Asyncio.class, true, "createTask", Coroutine.class);
        require(Asyncio.class, true, "gather", Awaitable[].class);
        require(Asyncio.class, true, "gather", Collection.class);
        require(Asyncio.class, true, "getRunningLoop");
        require(Asyncio.class, true, "getEventLoop");
        require(Asyncio.class, true, "newEventLoop");

        assertEquals(List.of(), missing);
    }

    private void requireConstructor(Class<?> type, Class<?>... parameters) {
        try {
            type.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            missing.add("new " + type.getSimpleName() + List.of(parameters));
        }
    }

    /** The names fixed by issue 6 (the rest of asyncio's core). */
    @Test
    void theNamesOfTheAsyncioCoreStay() {
        assertTrue(AsyncCallable.class.isInterface() && AsyncFunction.class.isInterface());
        require(AsyncCallable.class, false, "call");
        require(AsyncFunction.class, false, "apply", Object.class);
        assertTrue(RuntimeException.class.isAssignableFrom(TimeoutException.class), "TimeoutException is unchecked");
        assertTrue(RuntimeException.class.isAssignableFrom(ExceptionGroup.class), "ExceptionGroup is unchecked");
        assertTrue(AutoCloseable.class.isAssignableFrom(Runner.class), "Runner is AutoCloseable");

        require(Asyncio.class, true, "waitFor", Awaitable.class, double.class);
        require(Asyncio.class, true, "waitFor", Awaitable.class, Duration.class);
        require(Asyncio.class, true, "timeout", double.class, AsyncFunction.class);
        require(Asyncio.class, true, "timeout", Duration.class, AsyncFunction.class);
        require(Asyncio.class, true, "timeoutAt", double.class, AsyncFunction.class);
        require(Timeout.class, false, "when");
        require(Timeout.class, false, "reschedule", OptionalDouble.class);
        require(Timeout.class, false, "expired");
        require(Asyncio.class, true, "wait", Collection.class, ReturnWhen.class);
        require(Asyncio.class, true, "wait", Collection.class, ReturnWhen.class, double.class);
        require(Asyncio.class, true, "wait", Collection.class, ReturnWhen.class, Duration.class);
        assertEquals(List.of("FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"),
                java.util.Arrays.stream(ReturnWhen.values()).map(Enum::name).toList());
        require(WaitResult.class, false, "done");
        require(WaitResult.class, false, "pending");
        require(Asyncio.class, true, "asCompleted", Collection.class);
        require(Asyncio.class, true, "asCompleted", Collection.class, double.class);
        require(Asyncio.class, true, "shield", Awaitable.class);
        require(Asyncio.class, true, "taskGroup", AsyncFunction.class);
        require(TaskGroup.class, false, "createTask", Coroutine.class);
        require(TaskGroup.class, false, "createTask", Coroutine.class, String.class);
        require(TaskGroup.class, false, "createTask", Coroutine.class, String.class, Context.class);
        require(ExceptionGroup.class, false, "exceptions");
        require(ExceptionGroup.class, false, "split", Class.class);
        require(ExceptionGroup.class, false, "subgroup", Predicate.class);
        require(ExceptionGroup.Split.class, false, "matched");
        require(ExceptionGroup.Split.class, false, "rest");

        requireConstructor(Runner.class);
        requireConstructor(Runner.class, boolean.class);
        require(Runner.class, false, "run", Coroutine.class);
        require(Runner.class, false, "getLoop");
        require(Runner.class, false, "close");
        require(Asyncio.class, true, "run", Coroutine.class, boolean.class);

        require(EventLoop.class, false, "runInExecutor", Executor.class, Callable.class);
        require(EventLoop.class, false, "setDefaultExecutor", ExecutorService.class);
        require(Asyncio.class, true, "toThread", Callable.class);
        require(Asyncio.class, true, "runCoroutineThreadsafe", Coroutine.class, EventLoop.class);
        require(EventLoop.class, false, "callSoonThreadsafe", Runnable.class);

        require(EventLoop.class, false, "setExceptionHandler", ExceptionHandler.class);
        require(EventLoop.class, false, "getExceptionHandler");
        require(EventLoop.class, false, "callExceptionHandler", ExceptionContext.class);
        require(EventLoop.class, false, "defaultExceptionHandler", ExceptionContext.class);
        require(ExceptionHandler.class, false, "handle", EventLoop.class, ExceptionContext.class);
        assertTrue(ExceptionContext.class.isRecord());
        assertEquals(List.of("message", "exception", "future", "handle", "sourceTraceback"),
                java.util.Arrays.stream(ExceptionContext.class.getRecordComponents())
                        .map(java.lang.reflect.RecordComponent::getName).toList());
        requireConstructor(ExceptionContext.class, String.class, Throwable.class);

        require(EventLoop.class, false, "setDebug", boolean.class);
        require(EventLoop.class, false, "getDebug");
        require(EventLoop.class, false, "setSlowCallbackDuration", double.class);

        requireConstructor(ContextVar.class, String.class);
        requireConstructor(ContextVar.class, String.class, Object.class);
        require(ContextVar.class, false, "get");
        require(ContextVar.class, false, "get", Object.class);
        require(ContextVar.class, false, "set", Object.class);
        require(ContextVar.class, false, "reset", ContextVar.Token.class);
        require(Context.class, true, "copyContext");
        require(Context.class, false, "run", Runnable.class);
        require(Context.class, false, "get", ContextVar.class);
        require(EventLoop.class, false, "createTask", Coroutine.class, String.class, Context.class);
        require(Asyncio.class, true, "createTask", Coroutine.class, String.class, Context.class);

        require(Task.class, false, "getCoro");
        require(Task.class, false, "getContext");
        require(Task.class, false, "getStack");
        require(Task.class, false, "cancelling");
        require(Task.class, false, "uncancel");
        require(Asyncio.class, true, "currentTask", EventLoop.class);
        require(Asyncio.class, true, "allTasks", EventLoop.class);

        assertEquals(List.of(), missing);
    }

    /** The names fixed by issue 7 (synchronization primitives and queues). */
    @Test
    void theNamesOfThePrimitivesAndQueuesStay() {
        requireConstructor(Lock.class);
        require(Lock.class, false, "acquire");
        require(Lock.class, false, "release");
        require(Lock.class, false, "locked");
        require(Lock.class, false, "tryAcquire");
        require(Lock.class, false, "withLock", AsyncCallable.class);
        requireConstructor(Event.class);
        require(Event.class, false, "waitFor");
        require(Event.class, false, "set");
        require(Event.class, false, "clear");
        require(Event.class, false, "isSet");
        requireConstructor(Condition.class);
        requireConstructor(Condition.class, Lock.class);
        for (String m : List.of("acquire", "release", "locked", "waitFor", "notifyAllWaiters")) {
            require(Condition.class, false, m);
        }
        require(Condition.class, false, "waitUntil", java.util.function.BooleanSupplier.class);
        require(Condition.class, false, "notifyWaiters", int.class);
        for (Class<?> sem : List.of(Semaphore.class, BoundedSemaphore.class)) {
            requireConstructor(sem);
            requireConstructor(sem, int.class);
            for (String m : List.of("acquire", "release", "locked", "tryAcquire")) {
                require(sem, false, m);
            }
            require(sem, false, "withPermit", AsyncCallable.class);
        }
        assertTrue(Semaphore.class.isAssignableFrom(BoundedSemaphore.class), "BoundedSemaphore is a Semaphore");
        requireConstructor(Barrier.class, int.class);
        for (String m : List.of("waitFor", "reset", "abort", "parties", "nWaiting", "broken")) {
            require(Barrier.class, false, m);
        }
        for (Class<?> q : List.of(Queue.class, PriorityQueue.class, LifoQueue.class)) {
            requireConstructor(q);
            requireConstructor(q, int.class);
            for (String m : List.of("get", "getNowait", "qsize", "empty", "full", "maxsize", "taskDone", "join",
                    "shutdown")) {
                require(q, false, m);
            }
            require(q, false, "put", Object.class);
            require(q, false, "putNowait", Object.class);
            require(q, false, "shutdown", boolean.class);
        }
        assertTrue(Queue.class.isAssignableFrom(PriorityQueue.class) && Queue.class.isAssignableFrom(LifoQueue.class));
        requireConstructor(PriorityQueue.class, java.util.Comparator.class);
        requireConstructor(PriorityQueue.class, int.class, java.util.Comparator.class);
        for (Class<?> e : List.of(QueueEmptyException.class, QueueFullException.class, QueueShutDownException.class,
                BrokenBarrierException.class)) {
            assertTrue(RuntimeException.class.isAssignableFrom(e), e + " is unchecked");
        }
        assertEquals(List.of(), missing);
    }

    /** Issue 9's names: subprocesses, signal handlers, Ctrl-C. */
    @Test
    void theSubprocessAndSignalNamesStay() {
        require(Asyncio.class, true, "createSubprocessExec", String.class, String[].class);
        require(Asyncio.class, true, "createSubprocessExec", SubprocessOptions.class, String.class, String[].class);
        require(Asyncio.class, true, "createSubprocessShell", String.class);
        require(Asyncio.class, true, "createSubprocessShell", SubprocessOptions.class, String.class);
        require(AsyncProcess.class, false, "stdin");
        require(AsyncProcess.class, false, "stdout");
        require(AsyncProcess.class, false, "stderr");
        require(AsyncProcess.class, false, "pid");
        require(AsyncProcess.class, false, "returncode");
        require(AsyncProcess.class, false, "waitFor");
        require(AsyncProcess.class, false, "communicate", byte[].class);
        require(AsyncProcess.class, false, "sendSignal", String.class);
        require(AsyncProcess.class, false, "terminate");
        require(AsyncProcess.class, false, "kill");
        require(EventLoop.class, false, "addSignalHandler", String.class, Runnable.class);
        require(EventLoop.class, false, "removeSignalHandler", String.class);
        assertTrue(RuntimeException.class.isAssignableFrom(KeyboardInterrupt.class), "KeyboardInterrupt is unchecked");
        for (Stdio s : List.of(Stdio.PIPE, Stdio.DEVNULL, Stdio.INHERIT, Stdio.STDOUT)) {
            assertTrue(s.toString().startsWith("Stdio."), s.toString());
        }
        assertEquals(List.of(), missing);
    }
}
