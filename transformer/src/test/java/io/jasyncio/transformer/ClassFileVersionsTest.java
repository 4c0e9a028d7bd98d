package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.lang.model.SourceVersion;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Issue 10: class files of Java 8 (major 52) through 25 (69). One fixture, in Java 8 source, compiled with
 * {@code --release 8, 11, 17, 21, 25} (each release the running JDK can compile and run: 8, 11 and 17 on JDK 17,
 * all five on JDK 25; CI runs both), woven (CheckClassAdapter, then the JVM verifier as it loads) and run with
 * awaits that suspend and awaits that do not. Java 8's class files differ where it matters: private members of
 * nested classes are reached through {@code access$NNN} methods (nestmates from 11), string concatenation is a
 * StringBuilder (invokedynamic from 9). Newer majors and pre-Java-6 subroutines are refused clearly.
 */
class ClassFileVersionsTest {
    @TempDir
    Path dir;

    private static final String FIXTURE = "package ver;\n"
            + "import static io.jasyncio.Asyncio.*;\n"
            + "import io.jasyncio.AsyncFunction;\n"
            + "import io.jasyncio.Coroutine;\n"
            + "import io.jasyncio.annotations.Async;\n"
            + "import java.util.ArrayList;\n"
            + "import java.util.List;\n"
            + "public class Fixture {\n"
            + "  @Async static <T> Coroutine<T> val(T v, boolean s) { if (s) await(sleep(0)); return done(v); }\n"
            + "  private int hidden = 3;\n"
            + "  @Async private Coroutine<Integer> secret(boolean s) { return done(hidden + await(val(1, s))); }\n"
            + "  interface Named {\n"
            + "    String name();\n"
            + "    @Async default Coroutine<String> greet(boolean s) { return done(\"hi \" + await(val(name(), s))); }\n"
            + "    static Named of(String n) { return () -> n; }\n"
            + "  }\n"
            + "  class Inner {\n" // reaches the outer class's private coroutine and field: access$ methods in 8
            + "    @Async Coroutine<Integer> peek(boolean s) { hidden++; return done(await(secret(s)) * 10); }\n"
            + "  }\n"
            + "  @Async public static Coroutine<String> all(boolean s) throws Exception {\n"
            + "    Fixture f = new Fixture();\n"
            + "    List<String> out = new ArrayList<>();\n"
            + "    AsyncFunction<String, String> twice = x -> done(x + await(val(x, s)));\n"
            + "    for (String k : new String[] {\"a\", \"bb\", \"ccc\"}) {\n"
            + "      switch (k) {\n"
            + "        case \"a\": out.add(await(twice.apply(k))); break;\n"
            + "        case \"bb\": out.add(\"#\" + await(val(k.length(), s))); break;\n"
            + "        default: out.add(k);\n"
            + "      }\n"
            + "    }\n"
            + "    try {\n"
            + "      if (await(val(true, s))) throw new IllegalStateException(\"boom\");\n"
            + "    } catch (IllegalStateException e) {\n"
            + "      out.add(e.getMessage() + await(val(\"!\", s)));\n"
            + "    } finally {\n"
            + "      out.add(\"fin\");\n"
            + "    }\n"
            + "    out.add(\"\" + await(f.new Inner().peek(s)) + \",\" + await(Named.of(\"bob\").greet(s)));\n"
            + "    long big = 1L << 40; double d = 0.5;\n"
            + "    out.add(\"\" + (big + await(val(2L, s))) + (d * await(val(3.0, s))));\n"
            + "    return done(String.join(\" \", out));\n"
            + "  }\n"
            + "}\n";

    private static final String EXPECTED = "aa #2 ccc boom! fin 50,hi bob 10995116277781.5";

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {8, 11, 17, 21, 25})
    void fixtureCompiledForRelease_wovenVerifiedAndRun(int release) throws Exception {
        assumeTrue(Runtime.version().feature() >= release, "this JVM cannot run Java " + release + " classes");
        assumeTrue(ToolProvider.getSystemJavaCompiler().getSourceVersions().stream()
                .anyMatch(v -> v.compareTo(SourceVersion.RELEASE_8) >= 0 && v.ordinal() == release),
                "this javac cannot compile for Java " + release);
        Path classes = Javac.compile(dir.resolve("r" + release), Map.of("ver.Fixture", FIXTURE),
                "--release", String.valueOf(release));
        byte[] compiled = Files.readAllBytes(classes.resolve("ver/Fixture.class"));
        assertEquals(44 + release, ClassFileHeaderView.major(compiled));
        if (release == 8) { // the fixture does reach private members through javac's synthetic accessors
            assertTrue(new String(compiled, java.nio.charset.StandardCharsets.ISO_8859_1).contains("access$"));
        }

        TransformResult r = new Transformer(ClassFileLocator.firstOf(java.util.List.of(
                ClasspathLocator.of(java.util.List.of(classes)),
                ClassFileLocator.of(getClass().getClassLoader())))).transform(compiled);
        assertTrue(r.changed());
        assertEquals(44 + release, ClassFileHeaderView.major(r.bytes()), "the version is kept");
        for (TransformResult.GeneratedClass g : r.generated()) {
            assertEquals(44 + release, ClassFileHeaderView.major(g.bytes()), g.className());
        }

        try (var source = Javac.source(classes)) {
            WeavingClassLoader loader = new WeavingClassLoader("ver.", source);
            Method all = loader.loadClass("ver.Fixture").getMethod("all", boolean.class);
            for (boolean s : new boolean[] {true, false}) {
                assertEquals(EXPECTED, Javac.run(all.invoke(null, s)), "--release " + release + ", suspend " + s);
            }
        }
    }

    /** Java 21's shapes: pattern switches (an invokedynamic typeSwitch and a restart index), record patterns,
     * guards that await, sealed interfaces. */
    private static final String FIXTURE_21 = "package ver;\n"
            + "import static io.jasyncio.Asyncio.*;\n"
            + "import io.jasyncio.Coroutine;\n"
            + "import io.jasyncio.annotations.Async;\n"
            + "import java.util.List;\n"
            + "public class Fixture21 {\n"
            + "  sealed interface Shape permits Circle, Square {}\n"
            + "  record Circle(double r) implements Shape {}\n"
            + "  record Square(double side) implements Shape {}\n"
            + "  @Async static <T> Coroutine<T> val(T v, boolean s) { if (s) await(sleep(0)); return done(v); }\n"
            + "  @Async public static Coroutine<String> all(boolean s) {\n"
            + "    List<Object> items = List.of(new Circle(0.2), new Circle(1), new Square(2), \"text\", 42);\n"
            + "    StringBuilder sb = new StringBuilder();\n"
            + "    for (Object o : items) {\n"
            + "      String d = switch (o) {\n"
            + "        case Circle(double r) when r > await(val(0.5, s)) -> \"C\" + await(val((int) r, s));\n"
            + "        case Circle c -> \"c\";\n"
            + "        case Square(double side) -> \"S\" + (int) side;\n"
            + "        case String str -> await(val(str.toUpperCase(), s));\n"
            + "        case Integer i -> \"I\" + (i + await(val(1, s)));\n"
            + "        default -> \"?\";\n"
            + "      };\n"
            + "      sb.append(d).append(';');\n"
            + "    }\n"
            + "    Shape sh = await(val(new Square(3), s));\n"
            + "    sb.append(switch (sh) { case Circle c -> \"c\"; case Square q -> \"q\" + await(val(q.side(), s)); });\n"
            + "    return done(sb.toString());\n"
            + "  }\n"
            + "}\n";

    @ParameterizedTest(name = "--release {0}")
    @ValueSource(ints = {21, 25})
    void java21Shapes_patternSwitchesAndRecordPatterns_wovenVerifiedAndRun(int release) throws Exception {
        assumeTrue(Runtime.version().feature() >= release, "this JVM cannot run Java " + release + " classes");
        Path classes = Javac.compile(dir.resolve("p" + release), Map.of("ver.Fixture21", FIXTURE_21),
                "--release", String.valueOf(release));
        try (var source = Javac.source(classes)) {
            Method all = new WeavingClassLoader("ver.", source).loadClass("ver.Fixture21")
                    .getMethod("all", boolean.class);
            for (boolean s : new boolean[] {true, false}) {
                assertEquals("c;C1;S2;TEXT;I43;q3.0", Javac.run(all.invoke(null, s)), "suspend " + s);
            }
        }
    }

    /** Reads the major version without the transformer's code, to check it independently. */
    private static final class ClassFileHeaderView {
        static int major(byte[] b) {
            return ((b[6] & 0xFF) << 8) | (b[7] & 0xFF);
        }
    }

    @Test
    void newerMajors_refusedClearly() throws Exception {
        byte[] basics = BuildErrorsTest.bytes(io.jasyncio.transformer.fixtures.Basics.class);
        Transformer t = new Transformer(ClassFileLocator.of(getClass().getClassLoader()));
        for (int major : new int[] {70, 71, 100, 0xFFFF}) {
            byte[] b = basics.clone();
            b[6] = (byte) (major >> 8);
            b[7] = (byte) major;
            TransformException e = assertThrows(TransformException.class, () -> t.transform(b));
            assertTrue(e.getMessage().contains("class file version " + major + " (Java " + (major - 44)
                    + ") is newer than the jasyncio transformer supports (up to Java 25, version 69)"), e.getMessage());
        }
    }

    /**
     * A Java 5 class (major 49) whose {@code @Async} method has a JSR/RET subroutine, as javac before Java 6 wrote
     * {@code finally} blocks: {@code try { await(c); } finally { }} with the finally as a subroutine.
     */
    private static byte[] jsrClass(String name, boolean async) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        cw.visitSource("Old.java", null);
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run",
                "(Lio/jasyncio/Coroutine;)Lio/jasyncio/Coroutine;", null, null);
        if (async) {
            m.visitAnnotation("Lio/jasyncio/annotations/Async;", false).visitEnd();
        }
        m.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label sub = new Label();
        Label line = new Label();
        m.visitTryCatchBlock(start, end, handler, null);
        m.visitLabel(line);
        m.visitLineNumber(12, line);
        m.visitLabel(start);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        if (async) {
            m.visitMethodInsn(Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "await",
                    "(Lio/jasyncio/Coroutine;)Ljava/lang/Object;", false);
        } else {
            m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "requireNonNull",
                    "(Ljava/lang/Object;)Ljava/lang/Object;", false);
        }
        m.visitInsn(Opcodes.POP);
        m.visitLabel(end);
        m.visitJumpInsn(Opcodes.JSR, sub);
        m.visitInsn(Opcodes.ACONST_NULL);
        if (async) {
            m.visitMethodInsn(Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "done",
                    "(Ljava/lang/Object;)Lio/jasyncio/Coroutine;", false);
        }
        m.visitInsn(Opcodes.ARETURN);
        m.visitLabel(handler);
        m.visitVarInsn(Opcodes.ASTORE, 1);
        m.visitJumpInsn(Opcodes.JSR, sub);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitInsn(Opcodes.ATHROW);
        m.visitLabel(sub); // the finally subroutine: stores its return address, does nothing, returns
        m.visitVarInsn(Opcodes.ASTORE, 2);
        m.visitVarInsn(Opcodes.RET, 2);
        m.visitMaxs(2, 3);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void jsrRetSubroutine_inACoroutine_refusedClearly() {
        Transformer t = new Transformer(ClassFileLocator.of(getClass().getClassLoader()));
        TransformException e = assertThrows(TransformException.class, () -> t.transform(jsrClass("old/Old", true)));
        assertEquals(1, e.problems().size(), e.getMessage());
        Problem p = e.problems().get(0);
        assertEquals("Old.java:12: old.Old.run(): JSR/RET subroutines (class files before Java 6) are not supported;"
                + " recompile with --release 8 or newer", p.format());
    }

    @Test
    void jsrRetSubroutine_inAClassWithoutJasyncio_passesThrough() throws Exception {
        byte[] old = jsrClass("old/Plain", false);
        Transformer t = new Transformer(ClassFileLocator.of(getClass().getClassLoader()));
        TransformResult r = t.transform(old);
        assertFalse(r.changed());
        assertSame(old, r.bytes());
    }

    @Test
    void coroutineInAClassOlderThanJava8_refusedClearly() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V1_7, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "old/Seven", null, "java/lang/Object", null);
        cw.visitSource("Seven.java", null);
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run",
                "(Lio/jasyncio/Coroutine;)Lio/jasyncio/Coroutine;", null, null);
        m.visitAnnotation("Lio/jasyncio/annotations/Async;", false).visitEnd();
        m.visitCode();
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "await",
                "(Lio/jasyncio/Coroutine;)Ljava/lang/Object;", false);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "done",
                "(Ljava/lang/Object;)Lio/jasyncio/Coroutine;", false);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        Transformer t = new Transformer(ClassFileLocator.of(getClass().getClassLoader()));
        TransformException e = assertThrows(TransformException.class, () -> t.transform(cw.toByteArray()));
        assertTrue(e.getMessage().contains("class file version 51 is older than Java 8; compile with --release 8"),
                e.getMessage());
    }
}
