package io.jasyncio.transformer.internal;

import io.jasyncio.transformer.internal.SuspensionPlan.Point;
import io.jasyncio.transformer.internal.SuspensionPlan.Slot;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableAnnotationNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Emission of a coroutine's body from its {@link SuspensionPlan}: the original code, its locals moved as
 * {@link BodyLayout} says, turned into a state machine. A head dispatches on the frame's {@code label} to the
 * start or to a restore block (or, with no frame, starts at once: a direct call); each {@code await} becomes a
 * {@linkplain #suspension suspension} that goes straight on when the awaited thing is ready and otherwise saves
 * what is live into the frame and returns {@code SUSPENDED}; each {@code done(v)} becomes {@code v}.
 */
final class BodyEmitter {
    private final BodyLayout layout;
    private final MethodNode method;
    private final SuspensionPlan plan;
    /** A local of the body: 1 when it was called directly (no frame given), 0 when resumed through its frame. */
    private int directSlot;

    BodyEmitter(BodyLayout layout, MethodNode method, SuspensionPlan plan) {
        this.layout = layout;
        this.method = method;
        this.plan = plan;
    }

    /**
     * Moves {@code method}'s code into the returned body. {@code direct} maps each await that calls its callee's
     * body directly (at build time or linked at run time) to the creator call it replaces.
     */
    MethodNode emit(Map<MethodInsnNode, MethodWeaver.DirectCall> direct) {
        InsnList insns = method.instructions;
        directSlot = method.maxLocals + Names.BODY_PARAMS;
        shiftLocals();
        for (MethodInsnNode done : MethodWeaver.calls(method, false)) {
            if (Type.getArgumentTypes(done.desc).length == 0) {
                insns.set(done, new InsnNode(Opcodes.ACONST_NULL));
            } else {
                insns.remove(done); // the argument itself is the result
            }
        }
        LabelNode start = new LabelNode();
        List<Point> points = plan.points();
        LabelNode[] restores = new LabelNode[points.size()];
        for (int i = 0; i < restores.length; i++) {
            restores[i] = new LabelNode();
        }
        InsnList tail = new InsnList();
        tail.add(restoreBlock(points.get(0), restores[0], start));
        for (Map.Entry<MethodInsnNode, Point> e : plan.pointOf().entrySet()) {
            Point p = e.getValue();
            LabelNode resume = new LabelNode();
            MethodWeaver.DirectCall call = direct.get(e.getKey());
            if (call != null) {
                MethodInsnNode creator = call.creator();
                insns.insertBefore(creator, call.target() != null ? directCall(call.target())
                        : DirectAwaits.linkedCall(creator, layout.taskSlot()));
                insns.remove(creator);
            }
            insns.insertBefore(e.getKey(), suspension(p, resume, call != null));
            insns.remove(e.getKey());
            tail.add(restoreBlock(p, restores[p.label()], resume));
        }
        InsnList head = new InsnList();
        LabelNode framed = new LabelNode();
        head.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot())); // no frame: called directly, the arguments in place
        head.add(new JumpInsnNode(Opcodes.IFNONNULL, framed));
        if ((method.access & Opcodes.ACC_STATIC) == 0) { // x.foo() on a null x throws, as the creator call would
            head.add(new VarInsnNode(Opcodes.ALOAD, 0));
            head.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/util/Objects", "requireNonNull",
                    "(Ljava/lang/Object;)Ljava/lang/Object;", false));
            head.add(new InsnNode(Opcodes.POP));
        }
        head.add(new InsnNode(Opcodes.ICONST_1));
        head.add(new VarInsnNode(Opcodes.ISTORE, directSlot));
        head.add(new JumpInsnNode(Opcodes.GOTO, start));
        head.add(framed);
        head.add(new InsnNode(Opcodes.ICONST_0));
        head.add(new VarInsnNode(Opcodes.ISTORE, directSlot));
        head.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
        head.add(new FieldInsnNode(Opcodes.GETFIELD, layout.frameClass(), Names.LABEL_FIELD, "I"));
        LabelNode invalid = new LabelNode();
        head.add(new TableSwitchInsnNode(0, restores.length - 1, invalid, restores));
        head.add(invalid);
        head.add(new TypeInsnNode(Opcodes.NEW, "java/lang/IllegalStateException"));
        head.add(new InsnNode(Opcodes.DUP));
        head.add(new LdcInsnNode("coroutine frame resumed in an invalid state"));
        head.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>",
                "(Ljava/lang/String;)V", false));
        head.add(new InsnNode(Opcodes.ATHROW));
        head.add(start);
        insns.insert(head);
        insns.add(tail);

        int access = Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC | (layout.ownerIsInterface() ? Opcodes.ACC_PUBLIC : 0);
        MethodNode body = new MethodNode(Opcodes.ASM9, access, layout.bodyName(), layout.bodyDesc(), null, null);
        body.instructions.add(insns);
        body.tryCatchBlocks = method.tryCatchBlocks;
        body.localVariables = method.localVariables;
        body.visibleLocalVariableAnnotations = method.visibleLocalVariableAnnotations;
        body.invisibleLocalVariableAnnotations = method.invisibleLocalVariableAnnotations;
        body.maxLocals = directSlot + 1;
        body.maxStack = method.maxStack + 4;
        return body;
    }

    /**
     * The code that replaces {@code INVOKESTATIC Asyncio.await}: stack [..., awaitable] → [..., value]; after a
     * {@link #directCall} it is [..., value or SUSPENDED] → [..., value].
     */
    private InsnList suspension(Point p, LabelNode resume, boolean afterDirectCall) {
        InsnList c = new InsnList();
        LabelNode cont = new LabelNode();
        LabelNode value = new LabelNode();
        if (!afterDirectCall) {
            ensureFrame(c);
            c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
            c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "await", Names.WOVEN_AWAIT_DESC, false));
        }
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, Names.WOVEN, Names.SUSPENDED, Names.OBJECT_DESC));
        c.add(new JumpInsnNode(Opcodes.IF_ACMPNE, cont));
        c.add(new InsnNode(Opcodes.POP));
        if (afterDirectCall) { // the callee made its frame as it suspended: it resumes into ours
            ensureFrame(c);
            c.add(new VarInsnNode(Opcodes.ALOAD, layout.taskSlot()));
            c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
            c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "adopt", Names.WOVEN_LINK_DESC, false));
        }
        for (int j = p.stack().size() - 1; j >= 0; j--) { // save the operand stack, top first
            Slot s = p.stack().get(j);
            if (s.isNull()) {
                c.add(new InsnNode(Opcodes.POP));
            } else if (s.type().getSize() == 2) {
                c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
                c.add(new InsnNode(Opcodes.DUP_X2));
                c.add(new InsnNode(Opcodes.POP));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, layout.frameClass(), s.fieldName(), s.fieldDesc()));
            } else {
                c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
                c.add(new InsnNode(Opcodes.SWAP));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, layout.frameClass(), s.fieldName(), s.fieldDesc()));
            }
        }
        for (Map.Entry<Integer, Slot> e : p.locals().entrySet()) { // save the live locals
            Slot s = e.getValue();
            if (!s.isNull()) {
                c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
                c.add(new VarInsnNode(s.type().getOpcode(Opcodes.ILOAD), layout.bodySlot(e.getKey())));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, layout.frameClass(), s.fieldName(), s.fieldDesc()));
            }
        }
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
        c.add(intConst(p.label()));
        c.add(new FieldInsnNode(Opcodes.PUTFIELD, layout.frameClass(), Names.LABEL_FIELD, "I"));
        LabelNode published = new LabelNode();
        c.add(new VarInsnNode(Opcodes.ILOAD, directSlot)); // called directly: our caller adopts our frame
        c.add(new JumpInsnNode(Opcodes.IFEQ, published));
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.taskSlot()));
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "publish", Names.WOVEN_LINK_DESC, false));
        c.add(published);
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, Names.WOVEN, Names.SUSPENDED, Names.OBJECT_DESC));
        c.add(new InsnNode(Opcodes.ARETURN));
        c.add(resume); // restored state: throw the exception, or go on with the value
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.exceptionSlot()));
        c.add(new JumpInsnNode(Opcodes.IFNULL, value));
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.exceptionSlot()));
        c.add(new InsnNode(Opcodes.ATHROW));
        c.add(value);
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.valueSlot()));
        c.add(cont);
        return c;
    }

    /** Allocates the frame if the body runs without one (it was called directly) and binds it to the task. */
    private void ensureFrame(InsnList c) {
        LabelNode present = new LabelNode();
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
        c.add(new JumpInsnNode(Opcodes.IFNONNULL, present));
        c.add(new TypeInsnNode(Opcodes.NEW, layout.frameClass()));
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, layout.frameClass(), "<init>", "()V", false));
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.taskSlot()));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "bind", Names.WOVEN_BIND_DESC, false));
        c.add(new VarInsnNode(Opcodes.ASTORE, layout.frameSlot()));
        c.add(present);
    }

    /**
     * Replaces the creator call of a direct await: stack [..., args] → [..., value or SUSPENDED]. The body is
     * called with no frame, no value or exception, and this body's task.
     */
    private InsnList directCall(MethodWeaver.DirectTarget target) {
        InsnList c = new InsnList();
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.taskSlot()));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, layout.owner(), target.bodyName(), target.bodyDesc(),
                layout.ownerIsInterface()));
        return c;
    }

    /** Restores a point's locals and stack from the frame (clearing reference fields), then jumps to it. */
    private InsnList restoreBlock(Point p, LabelNode entry, LabelNode target) {
        InsnList c = new InsnList();
        c.add(entry);
        if (p.line() > 0) {
            c.add(new LineNumberNode(p.line(), entry));
        }
        for (Map.Entry<Integer, Slot> e : p.locals().entrySet()) {
            Slot s = e.getValue();
            int var = layout.bodySlot(e.getKey());
            if (s.isNull()) {
                c.add(new InsnNode(Opcodes.ACONST_NULL));
                c.add(new VarInsnNode(Opcodes.ASTORE, var));
            } else {
                load(c, s);
                c.add(new VarInsnNode(s.type().getOpcode(Opcodes.ISTORE), var));
            }
        }
        for (Slot s : p.stack()) {
            if (s.isNull()) {
                c.add(new InsnNode(Opcodes.ACONST_NULL));
            } else {
                load(c, s);
            }
        }
        c.add(new JumpInsnNode(Opcodes.GOTO, target));
        return c;
    }

    private void load(InsnList c, Slot s) {
        c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot()));
        c.add(new FieldInsnNode(Opcodes.GETFIELD, layout.frameClass(), s.fieldName(), s.fieldDesc()));
        if (s.kind() == 'L') {
            if (!s.type().getInternalName().equals(Names.OBJECT)) {
                c.add(new TypeInsnNode(Opcodes.CHECKCAST, s.type().getInternalName()));
            }
            c.add(new VarInsnNode(Opcodes.ALOAD, layout.frameSlot())); // the frame keeps nothing alive that the body holds
            c.add(new InsnNode(Opcodes.ACONST_NULL));
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, layout.frameClass(), s.fieldName(), s.fieldDesc()));
        }
    }

    private void shiftLocals() {
        for (AbstractInsnNode n : method.instructions) {
            if (n instanceof VarInsnNode) {
                ((VarInsnNode) n).var = layout.bodySlot(((VarInsnNode) n).var);
            } else if (n instanceof IincInsnNode) {
                ((IincInsnNode) n).var = layout.bodySlot(((IincInsnNode) n).var);
            }
        }
        if (method.localVariables != null) {
            for (LocalVariableNode v : method.localVariables) {
                v.index = layout.bodySlot(v.index);
            }
        }
        shiftAnnotations(method.visibleLocalVariableAnnotations);
        shiftAnnotations(method.invisibleLocalVariableAnnotations);
    }

    private void shiftAnnotations(List<LocalVariableAnnotationNode> annotations) {
        if (annotations != null) {
            for (LocalVariableAnnotationNode a : annotations) {
                a.index.replaceAll(layout::bodySlot);
            }
        }
    }

    private static AbstractInsnNode intConst(int v) {
        if (v <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + v);
        }
        if (v <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, v);
        }
        if (v <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, v);
        }
        return new LdcInsnNode(v);
    }
}
