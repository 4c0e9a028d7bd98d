package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.NotWovenException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Awaits of another class's {@code @Async} method are linked at run time (docs/design.md, "Direct calls"): direct
 * when the target class was woven for this protocol, the generic path when it was woven for another one or not at
 * all; in class files of Java 8 too. The targets report how their body was entered: from the awaiting body
 * ({@code async$call}: direct) or from their frame's {@code resume} (generic).
 */
class LinkedAwaitsTest {
    @TempDir
    Path dir;

    private static final String TARGET = """
            package linked;

            import static io.jasyncio.Asyncio.*;

            import io.jasyncio.Coroutine;
            import io.jasyncio.annotations.Async;

            public class Target {
                @Async
                public static Coroutine<String> value(int n, boolean suspend) {
                    String entered = enteredFrom();
                    if (suspend) {
                        await(sleep(1));
                    }
                    return done(entered + n);
                }

                static String enteredFrom() {
                    StackTraceElement[] trace = new Throwable().getStackTrace();
                    return trace[2].getMethodName() + ":"; // [0] this, [1] the body, [2] who called the body
                }
            }
            """;

    private static final String CALLER = """
            package linked;

            import static io.jasyncio.Asyncio.*;

            import io.jasyncio.Coroutine;
            import io.jasyncio.annotations.Async;

            public class Caller {
                @Async
                public static Coroutine<String> call(int n, boolean suspend) {
                    return done(await(Target.value(n, suspend)) + "!");
                }
            }
            """;

    /** Compiles, weaves (or not) and loads Caller and Target; {@code target} edits Target's woven bytes. */
    private ClassLoader load(boolean weaveTarget, UnaryOperator<byte[]> target, String... javacOptions)
            throws Exception {
        Path classes = Javac.compile(dir.resolve("classes"), Map.of("linked.Target", TARGET, "linked.Caller", CALLER),
                javacOptions);
        Transformer transformer = new Transformer(ClassFileLocator.firstOf(List.of(
                ClasspathLocator.of(List.of(classes)), ClassFileLocator.of(getClass().getClassLoader()))));
        Map<String, byte[]> defined = new HashMap<>();
        for (String name : List.of("linked/Caller", "linked/Target")) {
            byte[] original = Files.readAllBytes(classes.resolve(name + ".class"));
            if (name.equals("linked/Target") && !weaveTarget) {
                defined.put(name, original);
                continue;
            }
            TransformResult r = transformer.transform(original);
            assertTrue(r.changed(), name);
            defined.put(name, name.equals("linked/Target") ? target.apply(r.bytes()) : r.bytes());
            r.generated().forEach(g -> defined.put(g.className(), g.bytes()));
        }
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = defined.get(name.replace('.', '/'));
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
        for (byte[] b : defined.values()) { // every class, data flow included, before the JVM's verifier
            StringWriter report = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(b), loader, false, new PrintWriter(report));
            assertEquals("", report.toString());
        }
        return loader;
    }

    private static Object call(ClassLoader loader, boolean suspend) throws Exception {
        try {
            return Javac.run(loader.loadClass("linked.Caller").getMethod("call", int.class, boolean.class)
                    .invoke(null, 7, suspend));
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void anotherClassWovenForThisProtocolIsCalledDirectly() throws Exception {
        ClassLoader loader = load(true, b -> b);
        assertEquals("async$call:7!", call(loader, false));
        assertEquals("async$call:7!", call(loader, true));
    }

    /** The call site: an invokedynamic of the runtime's bootstrap, with the creator call's owner and opcode. */
    @Test
    void theCallSiteIsAnInvokedynamicOfWovenAwaitCall() throws Exception {
        Path classes = Javac.compile(dir.resolve("classes"), Map.of("linked.Target", TARGET, "linked.Caller", CALLER));
        Transformer transformer = new Transformer(ClassFileLocator.firstOf(List.of(
                ClasspathLocator.of(List.of(classes)), ClassFileLocator.of(getClass().getClassLoader()))));
        ClassNode cn = new ClassNode();
        new ClassReader(transformer.transform(Files.readAllBytes(classes.resolve("linked/Caller.class"))).bytes())
                .accept(cn, 0);
        MethodNode body = cn.methods.stream().filter(m -> m.name.equals("async$call")).findFirst().orElseThrow();
        List<InvokeDynamicInsnNode> sites = java.util.stream.StreamSupport.stream(body.instructions.spliterator(),
                false).filter(n -> n instanceof InvokeDynamicInsnNode).map(n -> (InvokeDynamicInsnNode) n)
                .filter(n -> !n.bsm.getOwner().equals("java/lang/invoke/StringConcatFactory")).toList();
        assertEquals(1, sites.size());
        InvokeDynamicInsnNode site = sites.get(0);
        assertEquals("value", site.name);
        assertEquals("(IZLio/jasyncio/Task;)Ljava/lang/Object;", site.desc);
        assertEquals("io/jasyncio/internal/Woven", site.bsm.getOwner());
        assertEquals("awaitCall", site.bsm.getName());
        assertEquals(List.of("linked/Target", Opcodes.INVOKESTATIC), List.of(site.bsmArgs));
        assertTrue(body.instructions.toArray().length > 0 && java.util.Arrays.stream(body.instructions.toArray())
                .noneMatch(n -> n instanceof org.objectweb.asm.tree.MethodInsnNode m && m.name.equals("value")),
                "the creator is not called");
    }

    @Test
    void aClassWovenForAnotherProtocolTakesTheGenericPath() throws Exception {
        // as if Target had been woven by another jasyncio version: its protocol field says another number
        ClassLoader loader = load(true, b -> renameField(b, Transformer.PROTOCOL_FIELD, "jasyncio$protocol$2"));
        assertEquals("resume:7!", call(loader, false));
        assertEquals("resume:7!", call(loader, true));
    }

    @Test
    void anUnwovenClassIsCalledAsItIs() throws Exception {
        ClassLoader loader = load(false, b -> b);
        NotWovenException e = assertThrows(NotWovenException.class, () -> call(loader, false));
        assertTrue(e.getMessage().contains("linked.Target.value"), e.getMessage());
    }

    @Test
    void java8ClassFilesLinkToo() throws Exception {
        ClassLoader loader = load(true, b -> b, "--release", "8");
        assertEquals("async$call:7!", call(loader, false));
        assertEquals("async$call:7!", call(loader, true));
        ClassLoader other = load(true, b -> renameField(b, Transformer.PROTOCOL_FIELD, "jasyncio$protocol$2"),
                "--release", "8");
        assertEquals("resume:7!", call(other, true));
        assertEquals(52, new ClassReader(Files.readAllBytes(dir.resolve("classes/linked/Caller.class")))
                .readUnsignedShort(6), "the major version of the fixture");
    }

    private static byte[] renameField(byte[] b, String from, String to) {
        ClassWriter w = new ClassWriter(0);
        new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public FieldVisitor visitField(int access, String name, String desc, String signature, Object value) {
                return super.visitField(access, name.equals(from) ? to : name, desc, signature, value);
            }
        }, 0);
        return w.toByteArray();
    }
}
