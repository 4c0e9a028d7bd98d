package io.jasyncio.transformer.internal;

import io.jasyncio.transformer.Transformer;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Writes the frame class of one {@code @Async} method: a synthetic final subclass of {@code io.jasyncio.Coroutine}
 * with an {@code int label} and the typed fields that hold the body's live values while it is suspended.
 * <pre>
 * &#64;FrameByJasyncio final synthetic class Owner$$Async$name extends Coroutine {
 *     int label;  int I0..; long J0..; float F0..; double D0..; Object L0..;
 *     protected Object resume(Object value, Throwable exception) {
 *         return Owner.async$name(0, null, ..., this, value, exception, Woven.taskOf(this));
 *     }
 *     protected StackTraceElement awaitSite() {   // for stack traces across resumptions
 *         return new StackTraceElement("Owner", "name", "Owner.java", LINES.charAt(label));
 *     }
 * }
 * </pre>
 */
final class FrameClassGenerator {
    private FrameClassGenerator() {
    }

    static byte[] generate(int version, String frameClass, String owner, boolean ownerIsInterface, String sourceFile,
                           String methodName, String bodyName, String bodyDesc, Map<Character, Integer> fields,
                           int[] lines) {
        ClassWriter cw = new ClassWriter(0); // the maxima of its three straight-line methods are given below
        cw.visit(version, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, frameClass, null,
                Names.COROUTINE, null);
        if (sourceFile != null) {
            cw.visitSource(sourceFile, null);
        }
        cw.visitAnnotation(Transformer.FRAME_MARKER, false).visitEnd(); // only marked classes are ever deleted as stale
        cw.visitField(Opcodes.ACC_SYNTHETIC, Names.LABEL_FIELD, "I", null, null).visitEnd();
        for (Map.Entry<Character, Integer> e : fields.entrySet()) {
            char kind = e.getKey();
            String desc = kind == 'L' ? Names.OBJECT_DESC : String.valueOf(kind);
            for (int i = 0; i < e.getValue(); i++) {
                cw.visitField(Opcodes.ACC_SYNTHETIC, String.valueOf(kind) + i, desc, null, null).visitEnd();
            }
        }

        MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, Names.COROUTINE, "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();

        MethodVisitor resume = cw.visitMethod(Opcodes.ACC_PROTECTED | Opcodes.ACC_FINAL, Names.RESUME,
                Names.RESUME_DESC, null, null);
        resume.visitCode();
        Type[] params = Type.getArgumentTypes(bodyDesc);
        int argumentSlots = 0;
        for (int i = 0; i < params.length - Names.BODY_PARAMS; i++) { // the arguments: read from the frame at label 0
            argumentSlots += params[i].getSize();
            switch (params[i].getSort()) {
                case Type.LONG:
                    resume.visitInsn(Opcodes.LCONST_0);
                    break;
                case Type.FLOAT:
                    resume.visitInsn(Opcodes.FCONST_0);
                    break;
                case Type.DOUBLE:
                    resume.visitInsn(Opcodes.DCONST_0);
                    break;
                case Type.OBJECT:
                case Type.ARRAY:
                    resume.visitInsn(Opcodes.ACONST_NULL);
                    break;
                default:
                    resume.visitInsn(Opcodes.ICONST_0);
            }
        }
        resume.visitVarInsn(Opcodes.ALOAD, 0);
        resume.visitVarInsn(Opcodes.ALOAD, 1);
        resume.visitVarInsn(Opcodes.ALOAD, 2);
        resume.visitVarInsn(Opcodes.ALOAD, 0);
        resume.visitMethodInsn(Opcodes.INVOKESTATIC, Names.WOVEN, "taskOf", Names.WOVEN_TASK_OF_DESC, false);
        resume.visitMethodInsn(Opcodes.INVOKESTATIC, owner, bodyName, bodyDesc, ownerIsInterface);
        resume.visitInsn(Opcodes.ARETURN);
        resume.visitMaxs(argumentSlots + 4, 3); // the zeros, then this, value, exception, this (-> its task)
        resume.visitEnd();

        StringBuilder table = new StringBuilder(lines.length);
        for (int line : lines) {
            table.append((char) Math.max(0, Math.min(line, Character.MAX_VALUE)));
        }
        MethodVisitor site = cw.visitMethod(Opcodes.ACC_PROTECTED | Opcodes.ACC_FINAL, Names.AWAIT_SITE,
                Names.AWAIT_SITE_DESC, null, null);
        site.visitCode();
        site.visitTypeInsn(Opcodes.NEW, "java/lang/StackTraceElement");
        site.visitInsn(Opcodes.DUP);
        site.visitLdcInsn(owner.replace('/', '.'));
        site.visitLdcInsn(methodName);
        if (sourceFile != null) {
            site.visitLdcInsn(sourceFile);
        } else {
            site.visitInsn(Opcodes.ACONST_NULL);
        }
        site.visitLdcInsn(table.toString());
        site.visitVarInsn(Opcodes.ALOAD, 0);
        site.visitFieldInsn(Opcodes.GETFIELD, frameClass, Names.LABEL_FIELD, "I");
        site.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "charAt", "(I)C", false);
        site.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StackTraceElement", "<init>",
                "(Ljava/lang/String;Ljava/lang/String;Ljava/lang/String;I)V", false);
        site.visitInsn(Opcodes.ARETURN);
        site.visitMaxs(7, 1); // new, dup, class, method, file, table, this (-> label, then charAt)
        site.visitEnd();

        cw.visitEnd();
        return cw.toByteArray();
    }
}
