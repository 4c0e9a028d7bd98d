package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class SmokeTest {
    private Object run(String method, Class<?>[] types, Object... args) throws Exception {
        WeavingClassLoader loader = new WeavingClassLoader("io.jasyncio.transformer.fixtures.");
        Class<?> c = loader.loadClass("io.jasyncio.transformer.fixtures.Basics");
        Object target = c.getConstructor().newInstance();
        Method m = c.getMethod(method, types);
        Coroutine<?> coro = (Coroutine<?>) m.invoke(target, args);
        try (EventLoop loop = new EventLoop(TimeSource.virtual())) {
            return loop.runUntilComplete(coro);
        }
    }

    @Test
    void add() throws Exception {
        assertEquals(13, run("add", new Class<?>[] {int.class, long.class, double.class, String.class}, 1, 2L, 4.5, "s"));
    }

    @Test
    void loops() throws Exception {
        assertEquals("p0-p1+p2-", run("loops", new Class<?>[] {int.class}, 3));
    }

    @Test
    void tryCatch() throws Exception {
        assertEquals("ok", run("tryCatch", new Class<?>[] {boolean.class}, false));
        assertEquals("caught boom after", run("tryCatch", new Class<?>[] {boolean.class}, true));
    }

    @Test
    void newWithAwait() throws Exception {
        assertEquals("(5,2)", run("newWithAwait", new Class<?>[] {int.class}, 5).toString());
    }

    @Test
    void recursion() throws Exception {
        assertEquals(500, run("recursion", new Class<?>[] {int.class}, 500));
        assertEquals(20000, run("recursionSuspending", new Class<?>[] {int.class}, 20000));
    }

    @Test
    void exceptions() throws Exception {
        assertEquals("caught Invalid URL", run("catchesFromCallee", new Class<?>[0]));
    }

    @Test
    void nullsAndSwitch() throws Exception {
        assertEquals("one", run("nullsAndSwitch", new Class<?>[] {int.class}, 1));
        assertEquals("twotwo", run("nullsAndSwitch", new Class<?>[] {int.class}, 2));
        assertEquals("null", run("nullsAndSwitch", new Class<?>[] {int.class}, 3));
    }
}
