package io.jasyncio.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shapes of {@link Shapes} (issue 10, "correctness on what users write"), woven by jasyncio-maven-plugin (and
 * by the agent in the agent run), each with awaits that suspend and awaits that complete inline. The expected
 * values are what the same code computes as plain Java.
 */
class ShapesTest {
    private static <T> T run(Coroutine<T> coroutine) {
        try (EventLoop loop = new EventLoop(TimeSource.virtual())) {
            return loop.runUntilComplete(coroutine);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bridge_genericInterface_callThroughTheInterfaceRunsTheWovenBody(boolean suspend) throws Exception {
        Shapes.Mapper<String, Integer> m = new Shapes.Lengths();
        assertEquals(5, run(m.map("hello", suspend)));
        // the bridge javac wrote is there, carries @Async, and was left a plain delegation
        Method bridge = Shapes.Lengths.class.getMethod("map", Object.class, boolean.class);
        assertTrue(bridge.isBridge());
        assertEquals(Integer.valueOf(3), run(invoke(bridge, new Shapes.Lengths(), "abc", suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bridge_genericSuperclassOverride_callThroughTheSuperTypeRunsTheOverride(boolean suspend) {
        Shapes.Base<Integer> b = new Shapes.IntBase();
        assertEquals("int 42 base 41", run(b.describe(41, suspend)));
        assertEquals("base x", run(new Shapes.Base<String>().describe("x", suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bridge_covariantOverrideBesideACoroutine(boolean suspend) {
        Shapes.Source s = new Shapes.Covariant();
        assertEquals("covariant/9", run(s.produce(suspend)));
        assertEquals("source", run(new Shapes.Source().produce(suspend)));
    }

    @Test
    void lambda_inAStaticInitializer() throws Exception {
        assertEquals(14, run(Shapes.twice(7)));  // suspends
        assertEquals(-4, run(Shapes.twice(-2))); // does not
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lambda_nestedInLambdas(boolean suspend) throws Exception {
        assertEquals("nxm|x!", run(Shapes.nestedLambdas(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lambda_inAConstructor(boolean suspend) throws Exception {
        assertEquals(16, run(new Shapes.Built(10).total(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void switchesOnStringsAndEnums_insideAnAsyncLambda(boolean suspend) throws Exception {
        assertEquals("R1r1,Gg2,?4b3,", run(Shapes.switchesInLambda(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void enumConstantBodies(boolean suspend) {
        assertEquals(7, run(Shapes.Op.PLUS.apply(3, 4, suspend)));
        assertEquals(12, run(Shapes.Op.TIMES.apply(3, 4, suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void record_compactConstructorLambdaAndAsyncMethod(boolean suspend) {
        assertEquals("a2:  a 2", run(new Shapes.Pair("  a ", 2, null).both(suspend)));
        assertEquals("b3:b3", run(new Shapes.Pair("b", 3, null).both(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void localAndAnonymousClasses_capturingVariables(boolean suspend) throws Exception {
        assertEquals("ccc/acccc", run(Shapes.localAndAnonymous(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void interface_defaultPrivateAndStaticCoroutines(boolean suspend) {
        Shapes.Steps steps = () -> "s";
        assertEquals("s1ss", run(steps.run(suspend)));
        assertEquals("tt", run(Shapes.Steps.twiceStatic("t", suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void generics_boundedTypesAndIntersectionBounds(boolean suspend) {
        assertEquals("pear", run(new Shapes.Box<>("apple").maxWith("pear", suspend)));
        assertEquals("zoo", run(new Shapes.Box<>("zoo").maxWith("pear", suspend)));
        assertEquals(9, run(Shapes.Box.larger(9, 4, suspend)));
        assertEquals(2.5, run(Shapes.Box.larger(1.5, 2.5, suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void varargs(boolean suspend) {
        assertEquals(0, run(Shapes.sum(suspend)));
        assertEquals(10, run(Shapes.sum(suspend, 1, 2, 3, 4)));
        assertEquals(List.of("a", "b"), run(Shapes.listOf(suspend, "a", "b")));
    }

    @Test
    void lambda_givenToAPlainFunction() {
        assertEquals("HI!", run(Shapes.SHOUT.apply("hi")));
    }

    @SuppressWarnings("unchecked") // the bridge returns the erased Coroutine
    private static <T> Coroutine<T> invoke(Method m, Object target, Object... args) throws Exception {
        return (Coroutine<T>) m.invoke(target, args);
    }
}
