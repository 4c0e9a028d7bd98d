package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: values of the project's own classes that meet at a branch need their common super class, found from
 * class files on the transformer's path (the plugin: the compile class path; the agent: the defining loader).
 * When one is missing the build error names it, the method and the line, never ASM's "Error at instruction N".
 */
class MissingClassesTest {
    @TempDir
    Path dir;

    private static final String HEADER = "package miss;\n"
            + "import static io.jasyncio.Asyncio.*;\n"
            + "import io.jasyncio.Coroutine;\n"
            + "import io.jasyncio.annotations.Async;\n";

    private Path compile() throws Exception {
        return Javac.compile(dir.resolve("classes"), Map.of(
                "miss.Base", "package miss;\npublic class Base { public String toString() { return \"base\"; } }\n",
                "miss.A", "package miss;\npublic class A extends Base { }\n",
                "miss.B", "package miss;\npublic class B extends Base { }\n",
                "miss.User", HEADER + "public class User {\n"
                        + "  public String plain(boolean c) { Base x = c ? new A() : new B(); return x.toString(); }\n"
                        + "  @Async public static Coroutine<String> merge(boolean c) {\n"
                        + "    Base x = c ? new A() : new B();\n" // line 8: A and B merge to Base
                        + "    await(sleep(0));\n"
                        + "    return done(x.toString());\n"
                        + "  }\n"
                        + "  @Async public static Coroutine<String> noMerge() {\n"
                        + "    await(sleep(0));\n"
                        + "    return done(\"ok\");\n"
                        + "  }\n"
                        + "}\n"));
    }

    /** The transformer's path: the compiled classes except {@code missing}, then the runtime and the JDK. */
    private static Transformer without(Path classes, String missing) {
        ClassFileLocator project = name -> name.equals(missing) ? null
                : Files.isRegularFile(classes.resolve(name + ".class"))
                ? Files.readAllBytes(classes.resolve(name + ".class")) : null;
        return new Transformer(ClassFileLocator.firstOf(List.of(project,
                ClassFileLocator.of(MissingClassesTest.class.getClassLoader()))));
    }

    @Test
    void missingClassInATypeMerge_buildErrorNamesItTheMethodAndTheLine() throws Exception {
        Path classes = compile();
        byte[] user = Files.readAllBytes(classes.resolve("miss/User.class"));
        // A is needed where A and B meet (line 8); Base where x.toString() is checked against it (line 10)
        for (String missing : List.of("miss/A", "miss/Base")) {
            int line = missing.equals("miss/A") ? 8 : 10;
            TransformException e = assertThrows(TransformException.class,
                    () -> without(classes, missing).transform(user));

            assertEquals(1, e.problems().size(), e.getMessage());
            Problem p = e.problems().get(0);
            assertEquals("miss.User", p.className());
            assertTrue(p.method().startsWith("merge("), p.format());
            assertEquals("User.java", p.sourceFile());
            assertEquals(line, p.line(), p.format());
            assertTrue(p.message().contains("class " + missing.replace('/', '.') + " is needed"), p.format());
            assertFalse(p.message().contains("Error at instruction"), p.format());
            assertTrue(p.format().startsWith("User.java:" + line + ": miss.User.merge(): "), p.format());
        }
    }

    @Test
    void allClassesPresent_woven() throws Exception {
        Path classes = compile();
        assertTrue(without(classes, "none").transform(Files.readAllBytes(classes.resolve("miss/User.class")))
                .changed());
    }
}
