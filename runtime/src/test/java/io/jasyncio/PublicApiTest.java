package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
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
}
