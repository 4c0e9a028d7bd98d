package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.internal.FrameByJasyncio;
import io.jasyncio.internal.Woven;
import io.jasyncio.internal.WovenByJasyncio;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * The contract between woven code and the runtime (issue 10): every method, field and class of the runtime
 * ({@code io/jasyncio/...}) that the transformer writes into woven classes and frame classes exists in the runtime
 * of the same version, with that descriptor, that static-ness and public access (woven code lives in the user's
 * packages); and runtime and transformer agree on the protocol version and the markers.
 */
class WovenContractTest {
    @TempDir
    Path dir;

    /** Shapes that between them make the transformer emit every kind of call into the runtime. */
    private static final String SHAPES = """
            package contract;

            import static io.jasyncio.Asyncio.*;

            import io.jasyncio.Coroutine;
            import io.jasyncio.Future;
            import io.jasyncio.annotations.Async;
            import java.util.concurrent.CompletableFuture;
            import java.util.function.Supplier;

            public class Shapes implements Api {
                @Async
                static Coroutine<Integer> leaf(int n) {
                    await(sleep(0));
                    return done(n + 1);
                }

                @Async
                private Coroutine<Long> direct(long x) { // direct awaits of a static and a private coroutine
                    int a = await(leaf((int) x));
                    return done(x + a + await(leaf(a)));
                }

                @Async
                public Coroutine<String> everything(String s, double d) {
                    long l = await(direct(3));
                    Supplier<Coroutine<String>> lambda = () -> {
                        await(sleep(0));
                        return done(s + "!");
                    };
                    String t = await(lambda.get());
                    Future<Integer> f = new Future<>(getRunningLoop());
                    f.setResult(1);
                    int k = await(f);
                    int c = await(CompletableFuture.completedFuture(2));
                    try {
                        await(sleep(0));
                        throw new IllegalStateException("x");
                    } catch (IllegalStateException e) {
                        t += e.getMessage();
                    }
                    return done(t + l + k + c + d + await(run(5)));
                }

                @Async
                public Coroutine<Void> nothing() {
                    await(sleep(0));
                    return done();
                }
            }

            interface Api {
                @Async
                default Coroutine<Integer> run(int n) {
                    await(sleep(0));
                    return done(n * 2);
                }

                @Async
                static Coroutine<Integer> twice(int n) {
                    return done(await(sleep(0, n)) * 2);
                }
            }
            """;

    @Test
    void everyRuntimeMemberThatWovenCodeUsesExistsInTheRuntime() throws Exception {
        List<byte[]> woven = new ArrayList<>();
        Path classes = Javac.compile(dir.resolve("classes"), Map.of("contract.Shapes", SHAPES));
        ClassFileLocator locator = ClassFileLocator.firstOf(List.of(ClasspathLocator.of(List.of(classes)),
                ClassFileLocator.of(getClass().getClassLoader())));
        Transformer transformer = new Transformer(locator);
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                woven.addAll(wovenClasses(transformer, Files.readAllBytes(p)));
            }
        }
        for (String fixture : List.of("io/jasyncio/transformer/fixtures/Basics",
                "io/jasyncio/transformer/fixtures/Basics$Point")) {
            woven.addAll(wovenClasses(transformer, ClassFileLocator.of(getClass().getClassLoader()).locate(fixture)));
        }

        Set<String> checked = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        for (byte[] b : woven) {
            ClassNode cn = new ClassNode();
            new ClassReader(b).accept(cn, 0);
            if (cn.superName != null && isRuntime(cn.superName)) { // a frame class extends the runtime's Coroutine
                checked.add("extends " + cn.superName);
                if (Modifier.isFinal(runtimeClass(cn.superName).getModifiers())) {
                    missing.add(cn.name + " extends final " + cn.superName);
                }
            }
            for (MethodNode m : cn.methods) {
                for (AbstractInsnNode n : m.instructions) {
                    String problem = check(n, checked);
                    if (problem != null) {
                        missing.add(cn.name + "." + m.name + m.desc + ": " + problem);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "woven code refers to what the runtime does not have");
        // what the fixtures made the transformer emit: the entry points of Woven, of Coroutine and of Task
        String all = String.join("\n", checked);
        for (String expected : List.of("io/jasyncio/internal/Woven.await", "io/jasyncio/internal/Woven.bind",
                "io/jasyncio/internal/Woven.SUSPENDED", "extends io/jasyncio/Coroutine",
                "io/jasyncio/internal/Woven.awaitCall(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;"
                        + "Ljava/lang/invoke/MethodType;Ljava/lang/String;I)Ljava/lang/invoke/CallSite;")) {
            assertTrue(all.contains(expected), "not emitted by the fixtures, so not checked: " + expected + "\n" + all);
        }
        assertTrue(checked.size() >= 10, all);
    }

    @Test
    void runtimeAndTransformerAgreeOnTheProtocolAndTheMarkers() throws Exception {
        assertEquals(Woven.PROTOCOL, Transformer.PROTOCOL, "the runtime's Woven.PROTOCOL");
        assertEquals(Type.getDescriptor(WovenByJasyncio.class), Transformer.WOVEN_MARKER);
        assertEquals(Type.getDescriptor(FrameByJasyncio.class), Transformer.FRAME_MARKER);
        for (Class<?> marker : List.of(WovenByJasyncio.class, FrameByJasyncio.class)) {
            // class retention: in the class file for the transformer, costing nothing at run time
            assertEquals(RetentionPolicy.CLASS, marker.getAnnotation(Retention.class).value(), marker.getName());
            assertEquals(List.of(ElementType.TYPE), List.of(marker.getAnnotation(Target.class).value()),
                    marker.getName());
        }
        Method protocol = WovenByJasyncio.class.getMethod("protocol");
        assertEquals(int.class, protocol.getReturnType());

        // and a woven class carries the protocol, as the header-only check reads it
        Path classes = Javac.compile(dir.resolve("classes"), Map.of("contract.Shapes", SHAPES));
        Transformer transformer = new Transformer(ClassFileLocator.firstOf(List.of(
                ClasspathLocator.of(List.of(classes)), ClassFileLocator.of(getClass().getClassLoader()))));
        byte[] woven = transformer.transform(Files.readAllBytes(classes.resolve("contract/Shapes.class"))).bytes();
        assertEquals(Woven.PROTOCOL, io.jasyncio.transformer.internal.ClassFileHeader.wovenProtocol(woven,
                Transformer.WOVEN_MARKER));
        ClassNode cn = new ClassNode();
        new ClassReader(woven).accept(cn, 0);
        assertEquals(List.of("protocol", Woven.PROTOCOL), cn.invisibleAnnotations.stream()
                .filter(a -> a.desc.equals(Transformer.WOVEN_MARKER)).findFirst().orElseThrow().values);
        assertTrue(!transformer.transform(woven).changed(), "a woven class is left alone");
        // and declares the protocol where the run-time linker of direct calls looks for it (DirectCallLinker)
        var field = cn.fields.stream().filter(f -> f.name.equals(Transformer.PROTOCOL_FIELD)).findFirst().orElseThrow();
        assertEquals("jasyncio$protocol$" + Woven.PROTOCOL, field.name);
        assertEquals(Woven.PROTOCOL, field.value);
        assertEquals(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, field.access);
        Field linkerField = Class.forName("io.jasyncio.internal.DirectCallLinker").getDeclaredField("PROTOCOL_FIELD");
        linkerField.setAccessible(true);
        assertEquals(Transformer.PROTOCOL_FIELD, linkerField.get(null), "the field the runtime's linker looks for");
    }

    @Test
    void theCheckFindsWhatTheRuntimeLacks() {
        Set<String> checked = new TreeSet<>();
        String woven = "io/jasyncio/internal/Woven";
        assertEquals(null, check(new MethodInsnNode(Opcodes.INVOKESTATIC, woven, "await",
                "(Ljava/lang/Object;Lio/jasyncio/Coroutine;)Ljava/lang/Object;", false), checked));
        assertTrue(check(new MethodInsnNode(Opcodes.INVOKESTATIC, woven, "await",
                "(Ljava/lang/Object;)Ljava/lang/Object;", false), checked).startsWith("no method"));
        assertTrue(check(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, woven, "await",
                "(Ljava/lang/Object;Lio/jasyncio/Coroutine;)Ljava/lang/Object;", false), checked)
                .contains("is not an instance method"));
        assertTrue(check(new FieldInsnNode(Opcodes.GETSTATIC, woven, "SUSPENDED", "Ljava/lang/String;"), checked)
                .contains("is not static public"));
        assertTrue(check(new MethodInsnNode(Opcodes.INVOKESTATIC, "io/jasyncio/internal/Gone", "x", "()V", false),
                checked).startsWith("no class"));
    }

    private static List<byte[]> wovenClasses(Transformer transformer, byte[] classFile) throws TransformException {
        TransformResult r = transformer.transform(classFile);
        List<byte[]> out = new ArrayList<>();
        if (r.changed()) {
            out.add(r.bytes());
            r.generated().forEach(g -> out.add(g.bytes()));
        }
        return out;
    }

    private static boolean isRuntime(String internalName) {
        return internalName.startsWith("io/jasyncio/") && !internalName.startsWith("io/jasyncio/transformer/");
    }

    private static Class<?> runtimeClass(String internalName) throws ClassNotFoundException {
        return Class.forName(internalName.replace('/', '.'), false, WovenContractTest.class.getClassLoader());
    }

    /** {@return what is wrong with the runtime member {@code n} refers to, or null; records what it checked} */
    private static String check(AbstractInsnNode n, Set<String> checked) {
        try {
            if (n instanceof MethodInsnNode call && isRuntime(call.owner)) {
                checked.add(call.owner + "." + call.name + call.desc);
                return checkMethod(call.owner, call.name, call.desc, call.getOpcode() == Opcodes.INVOKESTATIC,
                        call.getOpcode() == Opcodes.INVOKESPECIAL);
            }
            if (n instanceof FieldInsnNode f && isRuntime(f.owner)) {
                checked.add(f.owner + "." + f.name + ":" + f.desc);
                Field field = findField(runtimeClass(f.owner), f.name);
                if (field == null) {
                    return "no field " + f.owner + "." + f.name;
                }
                boolean isStatic = f.getOpcode() == Opcodes.GETSTATIC || f.getOpcode() == Opcodes.PUTSTATIC;
                if (!Type.getDescriptor(field.getType()).equals(f.desc) || Modifier.isStatic(field.getModifiers()) != isStatic
                        || !Modifier.isPublic(field.getModifiers())) {
                    return "field " + field + " is not " + (isStatic ? "static " : "") + "public " + f.desc;
                }
            }
            if (n instanceof TypeInsnNode t) {
                String type = Type.getObjectType(t.desc).getSort() == Type.ARRAY
                        ? Type.getObjectType(t.desc).getElementType().getInternalName() : t.desc;
                if (type.indexOf('/') >= 0 && isRuntime(type)) {
                    checked.add("type " + type);
                    if (!Modifier.isPublic(runtimeClass(type).getModifiers())) {
                        return type + " is not public";
                    }
                }
            }
            if (n instanceof InvokeDynamicInsnNode indy) {
                Handle bsm = indy.bsm;
                if (isRuntime(bsm.getOwner())) { // a linked direct call: Woven.awaitCall
                    checked.add(bsm.getOwner() + "." + bsm.getName() + bsm.getDesc());
                    String problem = checkMethod(bsm.getOwner(), bsm.getName(), bsm.getDesc(),
                            bsm.getTag() == Opcodes.H_INVOKESTATIC, false);
                    if (problem != null) {
                        return problem;
                    }
                }
                for (Object arg : indy.bsmArgs) {
                    if (arg instanceof Handle h && isRuntime(h.getOwner())) {
                        checked.add(h.getOwner() + "." + h.getName() + h.getDesc());
                        String problem = checkMethod(h.getOwner(), h.getName(), h.getDesc(),
                                h.getTag() == Opcodes.H_INVOKESTATIC, h.getTag() == Opcodes.H_INVOKESPECIAL);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
            }
            return null;
        } catch (ClassNotFoundException e) {
            return "no class " + e.getMessage();
        }
    }

    private static String checkMethod(String owner, String name, String desc, boolean isStatic, boolean special)
            throws ClassNotFoundException {
        Class<?> c = runtimeClass(owner);
        Executable found = null;
        for (Class<?> k = c; k != null && found == null; k = k.getSuperclass()) {
            found = declared(k, name, desc);
        }
        if (found == null) {
            for (Class<?> i : c.getInterfaces()) {
                found = found != null ? found : declared(i, name, desc);
            }
        }
        if (found == null) {
            return "no method " + owner + "." + name + desc;
        }
        int mods = found.getModifiers();
        boolean accessible = Modifier.isPublic(mods) || (special && Modifier.isProtected(mods)); // super(...) calls
        if (Modifier.isStatic(mods) != isStatic || !accessible) {
            return found + " is not " + (isStatic ? "static" : "an instance method") + " and accessible";
        }
        return null;
    }

    private static Executable declared(Class<?> k, String name, String desc) {
        if (name.equals("<init>")) {
            for (var ctor : k.getDeclaredConstructors()) {
                if (Type.getConstructorDescriptor(ctor).equals(desc)) {
                    return ctor;
                }
            }
            return null;
        }
        for (Method m : k.getDeclaredMethods()) {
            if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) {
                return m;
            }
        }
        return null;
    }

    private static Field findField(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return f;
                }
            }
        }
        return null;
    }
}
