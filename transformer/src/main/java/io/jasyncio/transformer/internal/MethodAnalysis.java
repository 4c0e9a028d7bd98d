package io.jasyncio.transformer.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * The facts the weaver needs about one method: the type of every local and stack value before each instruction
 * ({@link TypeInterpreter} over {@link AsyncFrame}s), and which locals are live there (a backward data-flow over
 * the control-flow graph, exception edges included).
 */
final class MethodAnalysis {
    final MethodNode method;
    final AsyncFrame[] frames;
    /** Locals live on entry to each instruction; an exception handler's live locals count as live throughout
     * the instructions it covers. */
    final BitSet[] liveIn;

    private MethodAnalysis(MethodNode method, AsyncFrame[] frames, BitSet[] liveIn) {
        this.method = method;
        this.frames = frames;
        this.liveIn = liveIn;
    }

    static MethodAnalysis analyze(String owner, MethodNode method, TypeInterpreter interpreter)
            throws AnalyzerException {
        int n = method.instructions.size();
        List<List<Integer>> successors = new ArrayList<>(n);
        List<List<Integer>> handlers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            successors.add(new ArrayList<>(2));
            handlers.add(new ArrayList<>(1));
        }
        Analyzer<BasicValue> analyzer = new Analyzer<>(interpreter) {
            @Override
            protected Frame<BasicValue> newFrame(int numLocals, int numStack) {
                return new AsyncFrame(numLocals, numStack);
            }

            @Override
            protected Frame<BasicValue> newFrame(Frame<? extends BasicValue> frame) {
                return new AsyncFrame(frame);
            }

            @Override
            protected void newControlFlowEdge(int insnIndex, int successorIndex) {
                List<Integer> s = successors.get(insnIndex);
                if (!s.contains(successorIndex)) {
                    s.add(successorIndex);
                }
            }

            @Override
            protected boolean newControlFlowExceptionEdge(int insnIndex, int successorIndex) {
                List<Integer> h = handlers.get(insnIndex);
                if (!h.contains(successorIndex)) {
                    h.add(successorIndex);
                }
                return true;
            }
        };
        Frame<BasicValue>[] raw = analyzer.analyze(owner, method);
        AsyncFrame[] frames = new AsyncFrame[n];
        for (int i = 0; i < n; i++) {
            frames[i] = (AsyncFrame) raw[i];
        }
        return new MethodAnalysis(method, frames, liveness(method.instructions, frames, successors, handlers));
    }

    private static BitSet[] liveness(InsnList insns, AsyncFrame[] frames, List<List<Integer>> successors,
                                     List<List<Integer>> handlers) {
        int n = insns.size();
        BitSet[] in = new BitSet[n];
        for (int i = 0; i < n; i++) {
            in[i] = new BitSet();
        }
        AbstractInsnNode[] array = insns.toArray();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                if (frames[i] == null) {
                    continue; // unreachable
                }
                BitSet live = new BitSet();
                for (int s : successors.get(i)) {
                    live.or(in[s]);
                }
                AbstractInsnNode insn = array[i];
                if (insn instanceof VarInsnNode) {
                    VarInsnNode v = (VarInsnNode) insn;
                    if (v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) {
                        live.clear(v.var);
                    } else {
                        live.set(v.var);
                    }
                } else if (insn instanceof IincInsnNode) {
                    live.set(((IincInsnNode) insn).var);
                }
                for (int h : handlers.get(i)) {
                    live.or(in[h]);
                }
                if (!live.equals(in[i])) {
                    in[i] = live;
                    changed = true;
                }
            }
        }
        return in;
    }
}
