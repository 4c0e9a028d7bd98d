package io.jasyncio.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every construct the transformer handles (see {@link Constructs}), on classes woven by jasyncio-maven-plugin, each
 * run with awaits that suspend and awaits that complete inline. Expected values are what the same code computes as
 * plain Java. {@code WovenBytecodeTest} checks the woven classes with ASM's CheckClassAdapter.
 */
class ConstructsTest {
    private final Constructs c = new Constructs();

    private static <T> T run(Coroutine<T> coroutine) {
        try (EventLoop loop = new EventLoop(TimeSource.virtual())) {
            return loop.runUntilComplete(coroutine);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void primitives_allKindsOfLocals(boolean suspend) throws Exception {
        assertEquals("true2c300700001099511627778" + "1.54.5", run(c.primitives(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void wideOperandStack_longAndDoubleBelowTheAwait(boolean suspend) throws Exception {
        assertEquals(5L * 3 + 2 + 7 + 2, run(c.wideOperandStack(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nestedAwaits(boolean suspend) throws Exception {
        assertEquals("in-ner", run(c.nestedAwaits(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void conditions_andLoops(boolean suspend) throws Exception {
        assertEquals(20, run(c.conditions(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void loops_breakAndContinueWithLabels(boolean suspend) throws Exception {
        assertEquals("000110112021...", run(c.loopsWithBreakContinue(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void switches_onStringsAndInts(boolean suspend) throws Exception {
        assertEquals("A|B1|1#C1|", run(c.switches(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tryCatchFinally_awaitsInEveryBlock(boolean suspend) throws Exception {
        assertEquals("body+ok", run(c.tryCatchFinally(suspend, false)));
        assertEquals(List.of("inner finally body f", "outer finally body+ok"), c.log);
        assertEquals("body+caught boom!", run(c.tryCatchFinally(suspend, true)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void tryWithResources_closedInReverseOrder(boolean suspend) throws Exception {
        assertEquals("open a,open b,use ab!,close b,close a", run(c.tryWithResources(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void newOnStack_constructorArgumentsAwait(boolean suspend) throws Exception {
        assertEquals("sb:[inner, [x, y]]", run(c.newOnStack(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void arrays_indexAndElementAwait(boolean suspend) throws Exception {
        assertEquals("[1, 42, 3][[a], [B, c]]", run(c.arrays(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fieldsAndThis(boolean suspend) throws Exception {
        assertEquals(30, run(c.fieldsAndThis(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void privateAndGenericMethods(boolean suspend) throws Exception {
        assertEquals("p!2", run(c.callsPrivate(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void privateMethodOnANullReceiver_throwsNullPointerException(boolean suspend) {
        assertThrows(NullPointerException.class, () -> run(Constructs.callsPrivateOnNull(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void finalMethodsOnThisAndOnAnotherInstance(boolean suspend) throws Exception {
        Constructs other = new Constructs();
        other.setField(5);
        assertEquals(15, run(c.finalOnOther(other, suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void staticMethod(boolean suspend) throws Exception {
        assertEquals(6, run(Constructs.staticSum(new int[] {1, 2, 3}, suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void lambdasReturningCoroutine(boolean suspend) throws Exception {
        assertEquals("L1!L2![g ran]", run(c.lambdas(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void voidResult(boolean suspend) throws Exception {
        assertEquals(null, run(c.voidResult(suspend)));
        assertEquals(List.of("void 1"), c.log);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void mergedTypes_commonSuperTypeIsSaved(boolean suspend) throws Exception {
        assertEquals((suspend ? "sb" : "str") + (suspend ? "2" : "1") + "s", run(c.mergedTypes(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void exceptions_propagateUnchanged(boolean suspend) throws Exception {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> run(c.earlyThrow(suspend)));
        assertEquals(suspend ? "after an await" : "before any await", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void interfaceDefaultMethod(boolean suspend) throws Exception {
        assertEquals("hello bob", run(Constructs.greeter("bob").greet(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nullLocals_keptAcrossTheAwait(boolean suspend) throws Exception {
        assertEquals(suspend ? "null/null/null" : "null/x/null", run(c.nullLocals(suspend)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recursion(boolean suspend) throws Exception {
        assertEquals(3628800L, run(c.factorial(10, suspend)));
    }
}
