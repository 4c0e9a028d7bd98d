package io.jasyncio.transformer.internal;

import java.util.Arrays;
import java.util.BitSet;
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
    /** Locals live on entry to each instruction, {@link #words} longs an instruction (see {@link #liveIn}). */
    private final long[] live;
    private final int words;

    private MethodAnalysis(MethodNode method, AsyncFrame[] frames, long[] live, int words) {
        this.method = method;
        this.frames = frames;
        this.live = live;
        this.words = words;
    }

    /**
     * {@return the locals live on entry to instruction {@code index}} An exception handler's live locals count as
     * live throughout the instructions it covers.
     */
    BitSet liveIn(int index) {
        return BitSet.valueOf(Arrays.copyOfRange(live, index * words, (index + 1) * words));
    }

    static MethodAnalysis analyze(String owner, MethodNode method, TypeInterpreter interpreter)
            throws AnalyzerException {
        int n = method.instructions.size();
        int[][] successors = new int[n][];
        int[][] handlers = new int[n][];
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
                successors[insnIndex] = addOnce(successors[insnIndex], successorIndex);
            }

            @Override
            protected boolean newControlFlowExceptionEdge(int insnIndex, int successorIndex) {
                handlers[insnIndex] = addOnce(handlers[insnIndex], successorIndex);
                return true;
            }
        };
        Frame<BasicValue>[] raw = analyzer.analyze(owner, method);
        AsyncFrame[] frames = new AsyncFrame[n];
        for (int i = 0; i < n; i++) {
            frames[i] = (AsyncFrame) raw[i];
        }
        int words = Math.max(1, (method.maxLocals + 63) >>> 6);
        return new MethodAnalysis(method, frames, liveness(method.instructions, frames, successors, handlers, words),
                words);
    }

    /** {@code list} (its count first, then its elements; null when empty) with {@code value} added if absent. */
    private static int[] addOnce(int[] list, int value) {
        if (list == null) {
            return new int[] {1, value, 0};
        }
        int count = list[0];
        for (int k = 1; k <= count; k++) {
            if (list[k] == value) {
                return list;
            }
        }
        if (count + 1 == list.length) {
            list = Arrays.copyOf(list, list.length * 2);
        }
        list[count + 1] = value;
        list[0] = count + 1;
        return list;
    }

    /**
     * The backward data-flow, to a fixed point: what is live after an instruction (the union over its successors)
     * minus what it stores plus what it loads, plus what its exception handlers need. Sets are bits in one flat
     * array, {@code words} longs an instruction (allocating a set per instruction per pass was a quarter of the
     * weaving's time).
     */
    private static long[] liveness(InsnList insns, AsyncFrame[] frames, int[][] successors, int[][] handlers,
                                   int words) {
        int n = insns.size();
        long[] in = new long[n * words];
        long[] live = new long[words];
        AbstractInsnNode[] array = insns.toArray();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                if (frames[i] == null) {
                    continue; // unreachable
                }
                Arrays.fill(live, 0);
                or(live, in, successors[i], words);
                AbstractInsnNode insn = array[i];
                if (insn instanceof VarInsnNode) {
                    VarInsnNode v = (VarInsnNode) insn;
                    if (v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) {
                        live[v.var >>> 6] &= ~(1L << v.var);
                    } else {
                        live[v.var >>> 6] |= 1L << v.var;
                    }
                } else if (insn instanceof IincInsnNode) {
                    int var = ((IincInsnNode) insn).var;
                    live[var >>> 6] |= 1L << var;
                }
                or(live, in, handlers[i], words);
                int base = i * words;
                for (int k = 0; k < words; k++) {
                    if (in[base + k] != live[k]) {
                        System.arraycopy(live, 0, in, base, words);
                        changed = true;
                        break;
                    }
                }
            }
        }
        return in;
    }

    /** ORs into {@code live} the sets of the instructions in {@code list} (as {@link #addOnce} keeps it). */
    private static void or(long[] live, long[] in, int[] list, int words) {
        if (list == null) {
            return;
        }
        for (int k = 1; k <= list[0]; k++) {
            int base = list[k] * words;
            for (int j = 0; j < words; j++) {
                live[j] |= in[base + j];
            }
        }
    }
}
