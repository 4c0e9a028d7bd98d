package io.jasyncio.transformer.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * Moves {@code NEW T; DUP} past the constructor's arguments when an argument awaits, as in
 * {@code new Point(await(x()), 2)}: an uninitialized object cannot be saved in a frame (the verifier forbids
 * storing it anywhere), so the arguments are evaluated first, kept in fresh locals, and the object is created
 * right before its constructor call:
 * <pre>
 *   NEW T; DUP; &lt;args, awaiting&gt;; INVOKESPECIAL T.&lt;init&gt;
 *     becomes
 *   &lt;args, awaiting&gt;; STORE tmpN..tmp1; NEW T; DUP; LOAD tmp1..tmpN; INVOKESPECIAL T.&lt;init&gt;
 * </pre>
 * Evaluation order is unchanged (javac's {@code NEW} has no side effect besides class initialization, which
 * the constructor call would trigger anyway).
 */
final class NewRelocator {
    private NewRelocator() {
    }

    /**
     * Rewrites every {@code NEW} whose uninitialized value is on the stack at one of {@code awaits}.
     *
     * @return the problems found (a {@code NEW} not in javac's shape), by instruction; empty if all was moved
     */
    static Map<AbstractInsnNode, String> relocate(MethodNode method, MethodAnalysis analysis,
                                                  List<MethodInsnNode> awaits) {
        InsnList insns = method.instructions;
        Map<TypeInsnNode, Boolean> news = new IdentityHashMap<>();
        List<TypeInsnNode> order = new ArrayList<>();
        Map<AbstractInsnNode, String> problems = new IdentityHashMap<>();
        for (MethodInsnNode await : awaits) {
            AsyncFrame f = analysis.frames[insns.indexOf(await)];
            if (f == null) {
                continue;
            }
            for (int j = 0; j < f.getStackSize() - 1; j++) {
                BasicValue v = f.getStack(j);
                if (v instanceof TypeInterpreter.Uninit && news.put(((TypeInterpreter.Uninit) v).newInsn, true) == null) {
                    order.add(((TypeInterpreter.Uninit) v).newInsn);
                }
            }
        }
        if (order.isEmpty()) {
            return problems;
        }
        // Find every pair (DUP, constructor call) before changing anything: indexOf is only valid until then.
        List<AbstractInsnNode[]> moves = new ArrayList<>();
        for (TypeInsnNode newInsn : order) {
            AbstractInsnNode dup = nextReal(newInsn);
            MethodInsnNode init = dup != null && dup.getOpcode() == Opcodes.DUP ? findInit(insns, analysis, newInsn, dup)
                    : null;
            if (init == null) {
                problems.put(newInsn, Rules.newNotInJavacShape(Type.getObjectType(newInsn.desc).getClassName()));
                continue;
            }
            moves.add(new AbstractInsnNode[] {newInsn, dup, init});
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        for (AbstractInsnNode[] m : moves) {
            TypeInsnNode newInsn = (TypeInsnNode) m[0];
            MethodInsnNode init = (MethodInsnNode) m[2];
            insns.remove(m[0]);
            insns.remove(m[1]);
            Type[] args = Type.getArgumentTypes(init.desc);
            int[] slots = new int[args.length];
            for (int i = 0; i < args.length; i++) {
                slots[i] = method.maxLocals;
                method.maxLocals += args[i].getSize();
            }
            InsnList pre = new InsnList();
            for (int i = args.length - 1; i >= 0; i--) {
                pre.add(new VarInsnNode(args[i].getOpcode(Opcodes.ISTORE), slots[i]));
            }
            pre.add(new TypeInsnNode(Opcodes.NEW, newInsn.desc));
            pre.add(new InsnNode(Opcodes.DUP));
            for (int i = 0; i < args.length; i++) {
                pre.add(new VarInsnNode(args[i].getOpcode(Opcodes.ILOAD), slots[i]));
            }
            insns.insertBefore(init, pre);
        }
        return problems;
    }

    private static MethodInsnNode findInit(InsnList insns, MethodAnalysis analysis, TypeInsnNode newInsn,
                                           AbstractInsnNode dup) {
        for (AbstractInsnNode n = dup.getNext(); n != null; n = n.getNext()) {
            if (n.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) n).name.equals("<init>")) {
                AsyncFrame f = analysis.frames[insns.indexOf(n)];
                if (f == null) {
                    continue;
                }
                int receiver = f.getStackSize() - 1 - Type.getArgumentTypes(((MethodInsnNode) n).desc).length;
                BasicValue v = receiver >= 0 ? f.getStack(receiver) : null;
                if (v instanceof TypeInterpreter.Uninit && ((TypeInterpreter.Uninit) v).newInsn == newInsn) {
                    return (MethodInsnNode) n;
                }
            }
        }
        return null;
    }

    private static AbstractInsnNode nextReal(AbstractInsnNode n) {
        AbstractInsnNode x = n.getNext();
        while (x != null && x.getOpcode() < 0) {
            x = x.getNext();
        }
        return x;
    }
}
