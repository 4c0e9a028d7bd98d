package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The JVM's limits (issue 10): a method descriptor has at most 255 parameter slots ({@code this} counts one,
 * {@code long} and {@code double} two; JVMS 4.3.3), and a method at most 65535 bytes of code (JVMS 4.7.3). The
 * woven body takes four parameters more than the method and is longer than it: a coroutine up to the limit is
 * woven and runs, one past it gets a build error naming the method, never an invalid class.
 */
class LimitsTest {
    private static final String HEADER = "package lim;\n"
            + "import static io.jasyncio.Asyncio.*;\n"
            + "import io.jasyncio.Coroutine;\n"
            + "import io.jasyncio.annotations.Async;\n";

    /** The fixtures, compiled once: javac's start dominates the test's time. */
    @TempDir
    static Path dir;
    private static Path classes;

    @BeforeAll
    static void compile() throws Exception {
        classes = Javac.compile(dir.resolve("classes"), Map.of(
                "lim.Slots", slots("Slots", 250, 249, 125),
                "lim.SlotsOver", slots("SlotsOver", 251, 250, 125)));
        TestClasses.write(classes, "lim/Big", big("lim/Big", FITS_AWAITS, FITS_PLAIN, 1));
        TestClasses.write(classes, "lim/BigOver", big("lim/BigOver", OVER_AWAITS, 0, 2));
    }

    private static final int FITS_AWAITS = 100;
    private static final int FITS_PLAIN = 3400;
    private static final int OVER_AWAITS = 1000; // about 15 KiB before weaving; each await adds save and restore

    private static String ints(int n, String prefix, String sep) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).collect(Collectors.joining(sep));
    }

    /**
     * {@code many(boolean s, int p1..pN)} static, {@code manyI(boolean s, int p1..pM)} instance, {@code longs(boolean
     * s, long q1..qL)} static: each sums its arguments across an await; {@code call*(s)} call them with 1..N.
     */
    private static String slots(String name, int n, int m, int l) {
        return HEADER + "public class " + name + " {\n"
                + "  @Async public static Coroutine<Long> many(boolean s, " + ints(n, "int p", ", ") + ") {\n"
                + "    if (s) await(sleep(0));\n"
                + "    return done(0L + " + ints(n, "p", " + ") + ");\n  }\n"
                + "  @Async public Coroutine<Long> manyI(boolean s, " + ints(m, "int p", ", ") + ") {\n"
                + "    if (s) await(sleep(0));\n"
                + "    return done(0L + " + ints(m, "p", " + ") + ");\n  }\n"
                + "  @Async public static Coroutine<Long> longs(boolean s, " + ints(l, "long q", ", ") + ") {\n"
                + "    await(sleep(0));\n"
                + "    long t = 0; if (s) await(sleep(0));\n"
                + "    return done(t + " + ints(l, "q", " + ") + ");\n  }\n"
                + "  public static Coroutine<Long> callMany(boolean s) { return many(s, " + ints(n, "", ", ") + "); }\n"
                + "  public static Coroutine<Long> callManyI(boolean s) { return new " + name + "().manyI(s, "
                + ints(m, "", ", ") + "); }\n"
                + "  public static Coroutine<Long> callLongs(boolean s) { return longs(s, " + ints(l, "", ", ") + "); }\n"
                + "}\n";
    }

    @Test
    void parameterSlots_upToTheLimit_wovenAndRun() throws Exception {
        // 251 slots each (boolean + 250 ints; this + boolean + 249 ints; boolean + 125 longs): the body has 255
        try (var source = Javac.source(classes)) {
            Class<?> c = new WeavingClassLoader("lim.", source).loadClass("lim.Slots");
            for (boolean s : new boolean[] {true, false}) {
                assertEquals(250L * 251 / 2, Javac.run(c.getMethod("callMany", boolean.class).invoke(null, s)));
                assertEquals(249L * 250 / 2, Javac.run(c.getMethod("callManyI", boolean.class).invoke(null, s)));
                assertEquals(125L * 126 / 2, Javac.run(c.getMethod("callLongs", boolean.class).invoke(null, s)));
            }
        }
    }

    @Test
    void parameterSlots_pastWhatTheBodyCanTake_failNamingEachMethod() throws Exception {
        // 252 slots each: the body would have 256, which the JVM refuses (ClassFormatError at load)
        byte[] bytes = Files.readAllBytes(classes.resolve("lim/SlotsOver.class"));
        // longs stays at 251: only the other two fail
        TransformException e = assertThrows(TransformException.class, () -> transformer(classes).transform(bytes));
        assertEquals(2, e.problems().size(), e.getMessage());
        for (String name : new String[] {"many(", "manyI("}) {
            Problem p = e.problems().stream().filter(x -> x.method().startsWith(name)).findFirst().orElseThrow();
            assertEquals("SlotsOver.java", p.sourceFile());
            assertEquals(name.equals("many(") ? 7 : 11, p.line(), p.format()); // the first line of its body
            assertTrue(p.message().contains("252 parameter slots") && p.message().contains("at most 251")
                    && p.message().contains("255"), p.format());
        }
    }

    /**
     * What javac writes for this source (assembled with ASM: javac takes seconds over methods this long), one
     * statement a line, the body from line 8:
     * <pre>
     * &#64;Async static Coroutine&lt;Long&gt; v(long i, boolean s) { if (s) await(sleep(0)); return done(i); }
     * &#64;Async public static Coroutine&lt;Long&gt; big(boolean s) {
     *     long x = 0; long y = 1;
     *     x += await(v(i % 100, s));       // statements times, i = 0, 1, ...
     *     y = y * 31 + x + i % 100;        // plain times
     *     return done(x + y);
     * }
     * </pre>
     * and {@code copies - 1} more of {@code big}, named {@code big2}, {@code big3}..., each after the one before.
     */
    private static byte[] big(String name, int statements, int plain, int copies) {
        String coroutine = "Lio/jasyncio/Coroutine;";
        org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(
                org.objectweb.asm.ClassWriter.COMPUTE_FRAMES);
        cw.visit(org.objectweb.asm.Opcodes.V17, org.objectweb.asm.Opcodes.ACC_PUBLIC
                | org.objectweb.asm.Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
        cw.visitSource(name.substring(name.lastIndexOf('/') + 1) + ".java", null);
        org.objectweb.asm.MethodVisitor v = cw.visitMethod(org.objectweb.asm.Opcodes.ACC_STATIC, "v",
                "(JZ)" + coroutine, null, null);
        v.visitAnnotation("Lio/jasyncio/annotations/Async;", false).visitEnd();
        v.visitCode();
        org.objectweb.asm.Label ready = new org.objectweb.asm.Label();
        v.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, 2);
        v.visitJumpInsn(org.objectweb.asm.Opcodes.IFEQ, ready);
        v.visitInsn(org.objectweb.asm.Opcodes.DCONST_0);
        v.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "sleep", "(D)" + coroutine,
                false);
        await(v);
        v.visitInsn(org.objectweb.asm.Opcodes.POP);
        v.visitLabel(ready);
        v.visitVarInsn(org.objectweb.asm.Opcodes.LLOAD, 0);
        returnDone(v);
        for (int c = 0; c < copies; c++) {
            org.objectweb.asm.MethodVisitor m = cw.visitMethod(org.objectweb.asm.Opcodes.ACC_PUBLIC
                    | org.objectweb.asm.Opcodes.ACC_STATIC, c == 0 ? "big" : "big" + (c + 1), "(Z)" + coroutine, null,
                    null);
            m.visitAnnotation("Lio/jasyncio/annotations/Async;", false).visitEnd();
            m.visitCode();
            int line = 8 + c * (statements + plain + 2);
            line(m, line++);
            m.visitInsn(org.objectweb.asm.Opcodes.LCONST_0);
            m.visitVarInsn(org.objectweb.asm.Opcodes.LSTORE, 1);
            m.visitInsn(org.objectweb.asm.Opcodes.LCONST_1);
            m.visitVarInsn(org.objectweb.asm.Opcodes.LSTORE, 3);
            for (int i = 0; i < statements; i++) {
                line(m, line++);
                m.visitVarInsn(org.objectweb.asm.Opcodes.LLOAD, 1);
                m.visitLdcInsn((long) (i % 100));
                m.visitVarInsn(org.objectweb.asm.Opcodes.ILOAD, 0);
                m.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESTATIC, name, "v", "(JZ)" + coroutine, false);
                await(m);
                m.visitTypeInsn(org.objectweb.asm.Opcodes.CHECKCAST, "java/lang/Long");
                m.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKEVIRTUAL, "java/lang/Long", "longValue", "()J", false);
                m.visitInsn(org.objectweb.asm.Opcodes.LADD);
                m.visitVarInsn(org.objectweb.asm.Opcodes.LSTORE, 1);
            }
            for (int i = 0; i < plain; i++) {
                line(m, line++);
                m.visitVarInsn(org.objectweb.asm.Opcodes.LLOAD, 3);
                m.visitLdcInsn(31L);
                m.visitInsn(org.objectweb.asm.Opcodes.LMUL);
                m.visitVarInsn(org.objectweb.asm.Opcodes.LLOAD, 1);
                m.visitInsn(org.objectweb.asm.Opcodes.LADD);
                m.visitLdcInsn((long) (i % 100));
                m.visitInsn(org.objectweb.asm.Opcodes.LADD);
                m.visitVarInsn(org.objectweb.asm.Opcodes.LSTORE, 3);
            }
            line(m, line);
            m.visitVarInsn(org.objectweb.asm.Opcodes.LLOAD, 1);
            m.visitVarInsn(org.objectweb.asm.Opcodes.LLOAD, 3);
            m.visitInsn(org.objectweb.asm.Opcodes.LADD);
            returnDone(m);
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void line(org.objectweb.asm.MethodVisitor m, int line) {
        org.objectweb.asm.Label l = new org.objectweb.asm.Label();
        m.visitLabel(l);
        m.visitLineNumber(line, l);
    }

    private static void await(org.objectweb.asm.MethodVisitor m) {
        m.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "await",
                "(Lio/jasyncio/Coroutine;)Ljava/lang/Object;", false);
    }

    /** [long] → {@code return done(Long.valueOf(value))}. */
    private static void returnDone(org.objectweb.asm.MethodVisitor m) {
        m.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESTATIC, "java/lang/Long", "valueOf", "(J)Ljava/lang/Long;",
                false);
        m.visitMethodInsn(org.objectweb.asm.Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "done",
                "(Ljava/lang/Object;)Lio/jasyncio/Coroutine;", false);
        m.visitInsn(org.objectweb.asm.Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    private static long expectedBig(int statements, int plain) {
        long x = 0;
        long y = 1;
        for (int i = 0; i < statements; i++) {
            x += i % 100;
        }
        for (int i = 0; i < plain; i++) {
            y = y * 31 + x + i % 100;
        }
        return x + y;
    }

    /** The length of a method's code, as its class file has it. */
    private static int codeSize(byte[] classFile, String method) {
        ClassNode cn = new ClassNode();
        new ClassReader(classFile).accept(cn, ClassReader.SKIP_DEBUG);
        MethodNode m = cn.methods.stream().filter(x -> x.name.equals(method)).findFirst().orElseThrow();
        org.objectweb.asm.ClassWriter cw = new org.objectweb.asm.ClassWriter(0);
        cw.visit(cn.version, cn.access, cn.name, null, cn.superName, null);
        m.accept(cw);
        cw.visitEnd();
        return codeLength(cw.toByteArray());
    }

    private static int codeLength(byte[] b) {
        // a class with one method and no interface nor field: walk to the method's attributes
        ClassReader r = new ClassReader(b);
        int p = r.header + 6;
        p += 2; // interfaces count (0)
        p += 2; // fields count (0)
        p += 2; // methods count
        p += 6; // access, name, desc
        int attributes = r.readUnsignedShort(p);
        p += 2;
        for (int i = 0; i < attributes; i++) {
            String name = r.readUTF8(p, new char[b.length]);
            int length = r.readInt(p + 2);
            if ("Code".equals(name)) {
                return r.readInt(p + 6 + 4);
            }
            p += 6 + length;
        }
        return -1;
    }

    @Test
    void largeMethod_thatStillFitsWoven_wovenAndRun() throws Exception {
        int statements = FITS_AWAITS;
        int plain = FITS_PLAIN;
        byte[] bytes = Files.readAllBytes(classes.resolve("lim/Big.class"));
        int before = codeSize(bytes, "big");
        assertTrue(before > 40_000, "the fixture is large: " + before + " bytes of code");
        TransformResult r = transformer(classes).transform(bytes);
        int after = codeSize(r.bytes(), "async$big");
        assertTrue(after > before && after <= 65535, before + " -> " + after);
        try (var source = Javac.source(classes)) {
            Class<?> c = new WeavingClassLoader("lim.", source).loadClass("lim.Big");
            for (boolean s : new boolean[] {true, false}) {
                assertEquals(expectedBig(statements, plain),
                        Javac.run(c.getMethod("big", boolean.class).invoke(null, s)));
            }
        }
    }

    @Test
    void largeMethod_thatNoLongerFitsWoven_failsNamingTheMethod() throws Exception {
        byte[] bytes = Files.readAllBytes(classes.resolve("lim/BigOver.class"));
        int before = codeSize(bytes, "big");
        assertTrue(before < 65535, before + " bytes");

        TransformException e = assertThrows(TransformException.class, () -> transformer(classes).transform(bytes));

        assertEquals(2, e.problems().size(), "each method that no longer fits, in one run: " + e.getMessage());
        for (int c = 0; c < 2; c++) {
            Problem p = e.problems().get(c);
            assertEquals("lim.BigOver", p.className());
            assertTrue(p.method().startsWith(c == 0 ? "big(" : "big2("), p.format());
            assertEquals("BigOver.java", p.sourceFile());
            assertEquals(8 + c * (OVER_AWAITS + 2), p.line(), p.format()); // the first line of its body
            assertTrue(p.message().contains("65535") && p.message().contains(before + " bytes before weaving"),
                    p.format());
        }
    }

    private static Transformer transformer(Path classes) throws Exception {
        return new Transformer(ClassFileLocator.firstOf(java.util.List.of(
                ClasspathLocator.of(java.util.List.of(classes)),
                ClassFileLocator.of(LimitsTest.class.getClassLoader()))));
    }
}
