package io.jasyncio.transformer.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * An analysis frame that also tracks how many monitors are held (to reject {@code await} inside
 * {@code synchronized}) and turns every copy of an uninitialized object into an initialized one when its
 * constructor runs.
 */
final class AsyncFrame extends Frame<BasicValue> {
    /** Monitors held on some path to this instruction (merged by maximum). */
    int monitors;

    AsyncFrame(int numLocals, int maxStack) {
        super(numLocals, maxStack);
    }

    AsyncFrame(Frame<? extends BasicValue> frame) {
        super(frame);
    }

    @Override
    public Frame<BasicValue> init(Frame<? extends BasicValue> frame) {
        super.init(frame);
        monitors = ((AsyncFrame) frame).monitors;
        return this;
    }

    @Override
    public void execute(AbstractInsnNode insn, Interpreter<BasicValue> interpreter) throws AnalyzerException {
        switch (insn.getOpcode()) {
            case Opcodes.MONITORENTER:
                super.execute(insn, interpreter);
                monitors++;
                return;
            case Opcodes.MONITOREXIT:
                super.execute(insn, interpreter);
                monitors = Math.max(0, monitors - 1);
                return;
            case Opcodes.INVOKESPECIAL:
                MethodInsnNode m = (MethodInsnNode) insn;
                if (m.name.equals("<init>")) {
                    BasicValue receiver = getStack(getStackSize() - 1 - Type.getArgumentTypes(m.desc).length);
                    super.execute(insn, interpreter);
                    if (receiver instanceof TypeInterpreter.Uninit) {
                        BasicValue initialized = interpreter.newValue(receiver.getType());
                        for (int i = 0; i < getLocals(); i++) {
                            if (receiver.equals(getLocal(i))) {
                                setLocal(i, initialized);
                            }
                        }
                        for (int i = 0; i < getStackSize(); i++) {
                            if (receiver.equals(getStack(i))) {
                                setStack(i, initialized);
                            }
                        }
                    }
                    return;
                }
                super.execute(insn, interpreter);
                return;
            default:
                super.execute(insn, interpreter);
        }
    }

    @Override
    public boolean merge(Frame<? extends BasicValue> frame, Interpreter<BasicValue> interpreter)
            throws AnalyzerException {
        boolean changed = super.merge(frame, interpreter);
        int other = ((AsyncFrame) frame).monitors;
        if (other > monitors) {
            monitors = other;
            changed = true;
        }
        return changed;
    }
}
