package io.jasyncio.transformer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Emission of a coroutine's creator, the code that replaces the original method's: it allocates the frame, stores
 * the arguments live at the start into it, and returns it. Calling an {@code @Async} method runs none of its body.
 */
final class CreatorEmitter {
    private CreatorEmitter() {
    }

    /**
     * Replaces {@code method}'s code (taken by the body already) with the creator; the parameters keep their
     * names, and the creator's one line is the method's first.
     */
    static void emit(BodyLayout layout, MethodNode method, SuspensionPlan.Point start, int firstLine) {
        List<LocalVariableNode> params = new ArrayList<>();
        LabelNode begin = new LabelNode();
        LabelNode end = new LabelNode();
        if (method.localVariables != null) {
            for (LocalVariableNode v : method.localVariables) { // parameters keep their slots in the body
                if (v.index < layout.paramSlots()) {
                    params.add(new LocalVariableNode(v.name, v.desc, v.signature, begin, end, v.index));
                }
            }
        }
        String frameClass = layout.frameClass();
        InsnList c = new InsnList();
        c.add(begin);
        if (firstLine > 0) {
            c.add(new LineNumberNode(firstLine, begin));
        }
        c.add(new TypeInsnNode(Opcodes.NEW, frameClass));
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, frameClass, "<init>", "()V", false));
        for (Map.Entry<Integer, SuspensionPlan.Slot> e : start.locals().entrySet()) {
            SuspensionPlan.Slot s = e.getValue();
            c.add(new InsnNode(Opcodes.DUP));
            c.add(new VarInsnNode(s.type().getOpcode(Opcodes.ILOAD), e.getKey()));
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
        }
        c.add(new InsnNode(Opcodes.ARETURN));
        c.add(end);
        method.instructions = c;
        method.tryCatchBlocks = new ArrayList<>();
        method.localVariables = params.isEmpty() ? null : params;
        method.visibleLocalVariableAnnotations = null;
        method.invisibleLocalVariableAnnotations = null;
        method.maxStack = 4;
        method.maxLocals = Math.max(layout.paramSlots(), 1);
    }
}
