package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.NotWovenException;
import io.jasyncio.transformer.fixtures.Basics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules that fail the build: each problem names the class, the method, the source file and the line. The
 * expected lines are the ones marked {@code // ERROR <message>} in the fixtures' sources.
 */
class BuildErrorsTest {
    private static final Transformer TRANSFORMER =
            new Transformer(ClassFileLocator.of(BuildErrorsTest.class.getClassLoader()));

    static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = c.getClassLoader().getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = BuildErrorsTest.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** The {@code // ERROR message} markers of a fixture's source: line and message, in order. */
    private static List<String[]> markers(String simpleName) throws IOException {
        Path src = Path.of("src/test/java/io/jasyncio/transformer/badfixtures/" + simpleName + ".java");
        List<String> lines = Files.readAllLines(src);
        List<String[]> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int at = lines.get(i).indexOf("// ERROR ");
            if (at >= 0) {
                found.add(new String[] {String.valueOf(i + 1), lines.get(i).substring(at + "// ERROR ".length())});
            }
        }
        return found;
    }

    private static void assertProblems(String simpleName) throws Exception {
        String name = "io.jasyncio.transformer.badfixtures." + simpleName;
        TransformException e = assertThrows(TransformException.class, () -> TRANSFORMER.transform(bytes(name)));
        List<String[]> expected = markers(simpleName);
        assertEquals(expected.size(), e.problems().size(), e.getMessage());
        for (String[] marker : expected) {
            int line = marker[1].startsWith("(no line) ") ? -1 : Integer.parseInt(marker[0]);
            String message = marker[1].replace("(no line) ", "");
            boolean matched = e.problems().stream().anyMatch(p -> p.line() == line
                    && p.sourceFile().equals(simpleName + ".java") && p.className().equals(name)
                    && p.message().startsWith(message));
            assertTrue(matched, "no problem at line " + marker[0] + " starting '" + marker[1] + "' in:\n" + e.getMessage());
        }
        for (Problem p : e.problems()) {
            String where = simpleName + ".java" + (p.line() > 0 ? ":" + p.line() : "");
            assertTrue(p.format().startsWith(where + ": " + name + "."), p.format());
        }
    }

    @Test
    void awaitOutsideAsyncMethod_failsWithFileAndLine() throws Exception {
        assertProblems("AwaitOutsideAsync");
    }

    @Test
    void asyncMethodNotReturningCoroutine_fails() throws Exception {
        assertProblems("NotCoroutine");
    }

    @Test
    void awaitInsideSynchronized_failsForBlockAndMethod() throws Exception {
        assertProblems("AwaitInSynchronized");
    }

    @Test
    void asyncOnAbstractMethod_fails() throws Exception {
        assertProblems("AsyncAbstract");
    }

    @Test
    void returnsThatAreNotDone_failEveryOneReported() throws Exception {
        assertProblems("BadReturns");
    }

    @Test
    void unwovenCode_throwsNotWovenNamingTheMethod() {
        // Basics as the test class path has it, not woven: its body runs when called and reaches await()
        NotWovenException e = assertThrows(NotWovenException.class, () -> Basics.loops(1));
        assertTrue(e.getMessage().contains("io.jasyncio.transformer.fixtures.Basics.loops (Basics.java:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("jasyncio-maven-plugin") && e.getMessage().contains("-javaagent"),
                e.getMessage());
    }

    @Test
    void transform_isDeterministic() throws Exception {
        byte[] input = bytes(Basics.class);
        TransformResult a = TRANSFORMER.transform(input);
        TransformResult b = new Transformer(ClassFileLocator.of(getClass().getClassLoader())).transform(input);
        assertTrue(a.changed());
        assertTrue(Arrays.equals(a.bytes(), b.bytes()));
        assertEquals(a.generated().size(), b.generated().size());
        for (int i = 0; i < a.generated().size(); i++) {
            assertEquals(a.generated().get(i).className(), b.generated().get(i).className());
            assertTrue(Arrays.equals(a.generated().get(i).bytes(), b.generated().get(i).bytes()));
        }
    }

    @Test
    void transform_isIdempotent() throws Exception {
        TransformResult woven = TRANSFORMER.transform(bytes(Basics.class));
        TransformResult again = TRANSFORMER.transform(woven.bytes());
        assertFalse(again.changed());
        assertSame(woven.bytes(), again.bytes());
        assertTrue(again.generated().isEmpty());
    }

    @Test
    void classNotUsingJasyncio_isReturnedUnparsed() throws Exception {
        byte[] input = bytes(BuildErrorsTest.class);
        assertFalse(Transformer.mayUseJasyncio(input));
        TransformResult r = TRANSFORMER.transform(input);
        assertFalse(r.changed());
        assertSame(input, r.bytes());
    }

    @Test
    void unsupportedClassFileVersion_failsClearly() throws Exception {
        byte[] input = bytes(Basics.class).clone();
        input[6] = 0;
        input[7] = 70; // Java 26
        TransformException e = assertThrows(TransformException.class, () -> TRANSFORMER.transform(input));
        assertTrue(e.getMessage().contains("Java 26") && e.getMessage().contains("up to Java 25"), e.getMessage());
    }
}
