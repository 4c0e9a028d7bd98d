package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Class files made with ASM for the tests of the hosts. */
final class TestClasses {
    /** The line of the {@code await} call in {@link #awaitOutsideAsync(String)}. */
    static final int AWAIT_LINE = 7;

    private TestClasses() {
    }

    /** A class that does not use jasyncio: {@code public class name { public int answer() { return 42; } }}. */
    static byte[] plain(String internalName) {
        ClassWriter cw = header(internalName);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "answer", "()I", null, null);
        mv.visitCode();
        mv.visitIntInsn(Opcodes.BIPUSH, 42);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A class whose method {@code notAsync()}, not annotated {@code @Async}, calls {@code Asyncio.await} on line
     * {@link #AWAIT_LINE} of {@code <SimpleName>.java}: the transformer must reject it.
     */
    static byte[] awaitOutsideAsync(String internalName) {
        ClassWriter cw = header(internalName);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "notAsync", "()Ljava/lang/Object;", null, null);
        mv.visitCode();
        Label start = new Label();
        mv.visitLabel(start);
        mv.visitLineNumber(AWAIT_LINE, start);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitTypeInsn(Opcodes.CHECKCAST, "io/jasyncio/Coroutine");
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "await",
                "(Lio/jasyncio/Coroutine;)Ljava/lang/Object;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** A class with one coroutine: {@code @Async static Coroutine<Object> run(Coroutine<Object> c) { return done(await(c)); }}. */
    static byte[] async(String internalName) {
        ClassWriter cw = header(internalName);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "run",
                "(Lio/jasyncio/Coroutine;)Lio/jasyncio/Coroutine;", null, null);
        mv.visitAnnotation("Lio/jasyncio/annotations/Async;", false).visitEnd();
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "await",
                "(Lio/jasyncio/Coroutine;)Ljava/lang/Object;", false);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "io/jasyncio/Asyncio", "done",
                "(Ljava/lang/Object;)Lio/jasyncio/Coroutine;", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** A plain class that carries the woven marker, as a class woven by an earlier run does. */
    static byte[] markedWoven(String internalName) {
        return markedWoven(internalName, Transformer.PROTOCOL);
    }

    /** A class with the woven marker of {@code protocol}; {@code null}: a marker without one, as 0.1.0 wrote. */
    static byte[] markedWoven(String internalName, Integer protocol) {
        ClassWriter cw = header(internalName);
        AnnotationVisitor marker = cw.visitAnnotation(Transformer.WOVEN_MARKER, false);
        if (protocol != null) {
            marker.visit("protocol", protocol);
        }
        marker.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code classFile} with the {@link Transformer#FRAME_MARKER}, as the frame classes the transformer writes. */
    static byte[] frame(byte[] classFile) {
        ClassWriter cw = new ClassWriter(0);
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, cw) {
            @Override
            public void visitEnd() {
                super.visitAnnotation(Transformer.FRAME_MARKER, false).visitEnd();
                super.visitEnd();
            }
        }, 0);
        return cw.toByteArray();
    }

    /** A marked frame class that does nothing: {@code frame(plain(internalName))}. */
    static byte[] frame(String internalName) {
        return frame(plain(internalName));
    }

    private static ClassWriter header(String internalName) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
        cw.visitSource(internalName.substring(internalName.lastIndexOf('/') + 1) + ".java", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return cw;
    }

    /** Writes {@code bytes} to {@code root/internalName.class}. */
    static Path write(Path root, String internalName, byte[] bytes) throws IOException {
        Path p = root.resolve(internalName + ".class");
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }

    /** Asserts that {@code e} has a problem about {@code notAsync} at {@code <SimpleName>.java:AWAIT_LINE}. */
    static void assertAwaitOutsideAsync(TransformException e, String internalName) {
        String binaryName = internalName.replace('/', '.');
        String source = internalName.substring(internalName.lastIndexOf('/') + 1) + ".java";
        assertTrue(e.problems().stream().anyMatch(p -> p.className().equals(binaryName)
                        && p.method() != null && p.method().startsWith("notAsync(")
                        && source.equals(p.sourceFile()) && p.line() == AWAIT_LINE),
                () -> "no problem naming " + binaryName + ".notAsync() at " + source + ":" + AWAIT_LINE + " in "
                        + e.problems());
    }
}
