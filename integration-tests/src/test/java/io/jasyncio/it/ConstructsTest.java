package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per bytecode hazard (see {@code fixtures/Hazards}), each run with awaits that suspend and awaits that
 * complete inline; every woven class passes ASM's CheckClassAdapter and the JVM verifier on loading
 * ({@link WeavingClassLoader}). Expected values are what the same code computes as plain Java.
 */
class HazardsTest {
    private final WeavingClassLoader loader = new WeavingClassLoader("io.jasyncio.transformer.fixtures.");
    private Object target;
    private List<?> log;

    private Object run(String method, Object... args) throws Exception {
        Class<?> c = loader.loadClass("io.jasyncio.transformer.fixtures.Hazards");
        if (target == null) {
            target = c.getConstructor().newInstance();
            log = (List<?>) c.getField("log").get(target);
        }
        Method m = null;
        for (Method candidate : c.getMethods()) {
            if (candidate.getName().equals(method)) {
                m = candidate;
            }
        }
        Coroutine<?> coro;
        try {
            coro = (Coroutine<?>) m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
        try (EventLoop loop = new EventLoop(TimeSource.virtual())) {
            return loop.runUntilComplete(coro);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void primitives_allKindsOfLocals(boolean suspend) throws Exception {
        assertEquals("true2c300700001099511627778" + "1.54.5", run("primitives", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wideOperandStack_longAndDoubleBelowTheAwait(boolean suspend) throws Exception {
        assertEquals(5L * 3 + 2 + 7 + 2, run("wideOperandStack", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nestedAwaits(boolean suspend) throws Exception {
        assertEquals("in-ner", run("nestedAwaits", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void conditions_andLoops(boolean suspend) throws Exception {
        assertEquals(20, run("conditions", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void loops_breakAndContinueWithLabels(boolean suspend) throws Exception {
        assertEquals("000110112021...", run("loopsWithBreakContinue", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void switches_onStringsAndInts(boolean suspend) throws Exception {
        assertEquals("A|B1|1#C1|", run("switches", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tryCatchFinally_awaitsInEveryBlock(boolean suspend) throws Exception {
        assertEquals("body+ok", run("tryCatchFinally", suspend, false));
        assertEquals(List.of("inner finally body f", "outer finally body+ok"), log);
        assertEquals("body+caught boom!", run("tryCatchFinally", suspend, true));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tryWithResources_closedInReverseOrder(boolean suspend) throws Exception {
        assertEquals("open a,open b,use ab!,close b,close a", run("tryWithResources", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void newOnStack_constructorArgumentsAwait(boolean suspend) throws Exception {
        assertEquals("sb:[inner, [x, y]]", run("newOnStack", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void arrays_indexAndElementAwait(boolean suspend) throws Exception {
        assertEquals("[1, 42, 3][[a], [B, c]]", run("arrays", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fieldsAndThis(boolean suspend) throws Exception {
        assertEquals(30, run("fieldsAndThis", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void privateAndGenericMethods(boolean suspend) throws Exception {
        assertEquals("p!2", run("callsPrivate", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void staticMethod(boolean suspend) throws Exception {
        assertEquals(6, run("staticSum", new int[] {1, 2, 3}, suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lambdasReturningCoroutine(boolean suspend) throws Exception {
        assertEquals("L1!L2![g ran]", run("lambdas", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void voidResult(boolean suspend) throws Exception {
        assertEquals(null, run("voidResult", suspend));
        assertEquals(List.of("void 1"), log);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void mergedTypes_commonSuperTypeIsSaved(boolean suspend) throws Exception {
        assertEquals((suspend ? "sb" : "str") + (suspend ? "2" : "1") + "s", run("mergedTypes", suspend));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void exceptions_propagateUnchanged(boolean suspend) throws Exception {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> run("earlyThrow", suspend));
        assertEquals(suspend ? "after an await" : "before any await", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void interfaceDefaultMethod(boolean suspend) throws Exception {
        Class<?> c = loader.loadClass("io.jasyncio.transformer.fixtures.Hazards");
        Object greeter = c.getMethod("greeter", String.class).invoke(null, "bob");
        Coroutine<?> coro = (Coroutine<?>) greeter.getClass().getInterfaces()[0].getMethod("greet", boolean.class)
                .invoke(greeter, suspend);
        try (EventLoop loop = new EventLoop(TimeSource.virtual())) {
            assertEquals("hello bob", loop.runUntilComplete(coro));
        }
    }
}
