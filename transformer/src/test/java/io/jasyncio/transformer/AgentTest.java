package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentTest {
    private final List<String> defined = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Agent.WeavingTransformer transformer = new Agent.WeavingTransformer(
            (loader, name, bytes, domain) -> defined.add(name), new PrintStream(err, true, StandardCharsets.UTF_8));
    private final ClassLoader app = getClass().getClassLoader();

    @Test
    void shouldWeave_skipsJdkJasyncioAndFrames() {
        assertTrue(Agent.WeavingTransformer.shouldWeave(app, "com/example/App"));
        assertTrue(Agent.WeavingTransformer.shouldWeave(app, "io/jasyncio/it/SomeTest"));
        assertFalse(Agent.WeavingTransformer.shouldWeave(null, "com/example/App"));
        assertFalse(Agent.WeavingTransformer.shouldWeave(ClassLoader.getPlatformClassLoader(), "java/sql/Date"));
        assertFalse(Agent.WeavingTransformer.shouldWeave(app, null));
        assertFalse(Agent.WeavingTransformer.shouldWeave(app, "io/jasyncio/Asyncio"));
        assertFalse(Agent.WeavingTransformer.shouldWeave(app, "io/jasyncio/internal/Woven"));
        assertFalse(Agent.WeavingTransformer.shouldWeave(app, "io/jasyncio/transformer/shaded/asm/ClassReader"));
        // a name is not enough to be a frame class: frames are recognised by their marker (transform, below)
        assertTrue(Agent.WeavingTransformer.shouldWeave(app, "com/example/App$$Async$main"));
    }

    @Test
    void transform_userClassNamedLikeAFrame_givenToTheTransformer() {
        assertNull(transformer.transform(app, "demo/Bad$$Async$x", null, null,
                TestClasses.awaitOutsideAsync("demo/Bad$$Async$x")));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("demo.Bad$$Async$x.notAsync(): await() can only be used"), printed);
    }

    @Test
    void transform_generatedFrame_untouchedAndSilent() {
        byte[] frame = TestClasses.frame(TestClasses.awaitOutsideAsync("demo/App$$Async$main"));
        assertNull(transformer.transform(app, "demo/App$$Async$main", null, null, frame));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void transform_classWithoutJasyncio_untouched() {
        assertNull(transformer.transform(app, "demo/Plain", null, null, TestClasses.plain("demo/Plain")));
        assertEquals(List.of(), defined);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void transform_failingClass_problemsPrintedAndClassUnwoven() {
        assertNull(transformer.transform(app, "demo/Bad", null, null, TestClasses.awaitOutsideAsync("demo/Bad")));

        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(), defined);
        assertTrue(printed.startsWith(Agent.PREFIX), printed);
        assertTrue(printed.contains(Agent.PREFIX + "Bad.java:" + TestClasses.AWAIT_LINE + ": demo.Bad.notAsync(): "),
                printed);
        assertTrue(printed.contains(Agent.PREFIX + "demo.Bad is loaded as it is, not woven by the agent"), printed);
    }

    @Test
    void transform_classWovenAtBuildTime_untouchedAndSilent() {
        assertNull(transformer.transform(app, "demo/Woven", null, null, TestClasses.markedWoven("demo/Woven")));
        assertEquals(List.of(), defined);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void transform_classWovenByAnotherVersion_saysSo() {
        assertNull(transformer.transform(app, "demo/Old", null, null, TestClasses.markedWoven("demo/Old", null)));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("demo.Old: the class was woven by another version of jasyncio (woven-code"
                + " protocol 1; this transformer writes " + Transformer.PROTOCOL + ")"), printed);
        assertTrue(printed.contains(Agent.PREFIX + "demo.Old is loaded as it is, not woven by the agent"), printed);
    }

    @Test
    void options_includesExcludesVerbose() {
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Agent.Options o = Agent.Options.parse("includes=demo.**, excludes=demo.skip.*,verbose,bogus",
                new PrintStream(warnings, true, StandardCharsets.UTF_8));
        assertTrue(o.verbose());
        assertTrue(o.selected().test("demo.a.B"));
        assertFalse(o.selected().test("demo.skip.B"));
        assertFalse(o.selected().test("other.B"));
        assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("unknown option 'bogus' ignored"));
        assertFalse(Agent.Options.parse(null, new PrintStream(warnings)).verbose());
        assertTrue(Agent.Options.parse(null, new PrintStream(warnings)).selected().test("any.Thing"));
    }

    @Test
    void transform_classNotIncluded_untouchedAndSilent() {
        Agent.WeavingTransformer only = new Agent.WeavingTransformer((loader, name, bytes, domain) -> defined.add(name),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Agent.Options.parse("excludes=demo.Bad", System.err));
        assertNull(only.transform(app, "demo/Bad", null, null, TestClasses.awaitOutsideAsync("demo/Bad")));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void transform_verbose_printsEveryClassWoven() {
        Agent.WeavingTransformer verbose = new Agent.WeavingTransformer(
                (loader, name, bytes, domain) -> defined.add(name), new PrintStream(err, true, StandardCharsets.UTF_8),
                Agent.Options.parse("verbose", System.err));
        byte[] woven = verbose.transform(app, "demo/Async", null, null, TestClasses.async("demo/Async"));
        assertTrue(woven != null);
        assertEquals(List.of("demo.Async$$Async$run"), defined);
        assertEquals(Agent.PREFIX + "woven demo.Async (1 method)", err.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void transform_redefinition_untouched() {
        assertNull(transformer.transform(app, "demo/Bad", Object.class, null,
                TestClasses.awaitOutsideAsync("demo/Bad")));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
