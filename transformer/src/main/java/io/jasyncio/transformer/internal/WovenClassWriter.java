package io.jasyncio.transformer.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Writes a woven class in one pass: the stack map frames and maximums of the rewritten methods are computed as
 * they are written ({@link ClassWriter#setFlags} to {@link ClassWriter#COMPUTE_FRAMES} for each of them, common
 * super types from {@link Hierarchy}); every other method keeps the frames javac wrote, and needs no
 * class-hierarchy lookups.
 */
final class WovenClassWriter {
    /** A method that cannot be written: a class its frames need is missing, or its code is over 64 KiB. */
    record Failure(MethodNode method, RuntimeException cause) {
    }

    private WovenClassWriter() {
    }

    /**
     * Writes {@code cn}.
     *
     * @param rewritten the methods whose frames are computed
     * @param failures receives every method that cannot be written (the class is written again without each, so
     *                 that all of them are found in one run)
     * @return the class file, or null if any method failed
     * @throws ClassTooLargeException if the constant pool is over its limit (and no method failed)
     */
    static byte[] write(ClassNode cn, Set<MethodNode> rewritten, Hierarchy hierarchy, List<Failure> failures) {
        Set<MethodNode> leftOut = new HashSet<>();
        while (true) {
            ClassWriter cw = new ClassWriter(0) {
                @Override
                protected String getCommonSuperClass(String type1, String type2) {
                    return hierarchy.commonSuperClass(type1, type2);
                }
            };
            List<MethodNode> methods = cn.methods;
            cn.methods = List.of(); // the header, attributes and fields; the methods below, each with its flags
            try {
                cn.accept(new ClassVisitor(Opcodes.ASM9, cw) {
                    @Override
                    public void visitEnd() {
                    }
                });
            } finally {
                cn.methods = methods;
            }
            boolean missing = false;
            for (MethodNode m : methods) {
                if (leftOut.contains(m)) {
                    continue;
                }
                cw.setFlags(rewritten.contains(m) ? ClassWriter.COMPUTE_FRAMES : 0);
                try {
                    m.accept(cw);
                } catch (Hierarchy.MissingClassException e) {
                    failures.add(new Failure(m, e));
                    leftOut.add(m);
                    missing = true;
                }
            }
            cw.visitEnd();
            if (missing) {
                continue; // a half-written method is in this writer: write again without it
            }
            try {
                byte[] bytes = cw.toByteArray();
                return failures.isEmpty() ? bytes : null;
            } catch (MethodTooLargeException e) {
                MethodNode m = find(methods, e.getMethodName(), e.getDescriptor());
                failures.add(new Failure(m, e));
                leftOut.add(m);
            } catch (ClassTooLargeException e) {
                if (failures.isEmpty()) {
                    throw e;
                }
                return null; // what failed first is reported; the class's size is known once they are mended
            }
        }
    }

    private static MethodNode find(List<MethodNode> methods, String name, String desc) {
        for (MethodNode m : methods) {
            if (m.name.equals(name) && m.desc.equals(desc)) {
                return m;
            }
        }
        throw new IllegalStateException("ASM reported method " + name + desc + ", which the class does not have");
    }
}
