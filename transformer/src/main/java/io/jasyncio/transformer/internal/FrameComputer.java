package io.jasyncio.transformer.internal;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Computes the stack map frames and maximums of a rewritten method only, so that the class's other methods keep
 * the frames javac wrote (and need no class-hierarchy lookups): the method is written alone into a scratch class
 * with {@link ClassWriter#COMPUTE_FRAMES}, whose common super types come from {@link Hierarchy}, and read back.
 */
final class FrameComputer {
    private FrameComputer() {
    }

    static MethodNode compute(ClassNode owner, MethodNode method, Hierarchy hierarchy) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return hierarchy.commonSuperClass(type1, type2);
            }
        };
        cw.visit(owner.version, owner.access, owner.name, null, owner.superName,
                owner.interfaces.toArray(new String[0]));
        method.accept(cw);
        cw.visitEnd();
        ClassNode scratch = new ClassNode();
        new ClassReader(cw.toByteArray()).accept(scratch, 0);
        return scratch.methods.get(0);
    }
}
