package io.jasyncio.transformer.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
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
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * Rewrites one {@code @Async} method (already checked by {@link ClassWeaver}) into
 * <ul>
 *   <li>a <em>creator</em>, in place of the original code: it stores the live arguments in a new frame object
 *       and returns it (calling an {@code @Async} method runs none of its body);</li>
 *   <li>a static <em>body</em> method {@code async$name(Frame, Object value, Throwable exception)}, the original
 *       code turned into a state machine: a {@code tableswitch} on the frame's {@code label} jumps to the start or
 *       to the restore block of a suspension point; each {@code await} saves what is live (locals and operand
 *       stack, typed, nothing dead) into the frame and returns {@code SUSPENDED} when the awaited thing is not
 *       ready, and goes straight on when it is.</li>
 * </ul>
 * The original locals keep their slots, shifted by the body's three parameters, with their names and line
 * numbers. See docs/design.md for a worked example.
 */
final class MethodWeaver {
    /** Where one value lives in the frame while the body is suspended. */
    record Slot(char kind, Type type, int field) {
        /** A value statically known to be {@code null}: not stored, restored as {@code ACONST_NULL}. */
        boolean isNull() {
            return kind == 'N';
        }

        String fieldName() {
            return String.valueOf(kind) + field;
        }

        String fieldDesc() {
            return kind == 'L' ? Names.OBJECT_DESC : String.valueOf(kind);
        }
    }

    /** A suspension point (label &gt; 0) or the start (label 0): which locals and stack values it keeps. */
    record Point(int label, int line, Map<Integer, Slot> locals, List<Slot> stack) {
    }

    private final String owner;
    private final boolean ownerIsInterface;
    private final MethodNode method;
    private final TypeInterpreter interpreter;
    private final String frameClass;
    private final String bodyName;
    private final List<Point> points = new ArrayList<>();
    private final int[] fieldCounts = new int[128];

    MethodWeaver(String owner, boolean ownerIsInterface, MethodNode method, TypeInterpreter interpreter,
                 String frameClass) {
        this.owner = owner;
        this.ownerIsInterface = ownerIsInterface;
        this.method = method;
        this.interpreter = interpreter;
        this.frameClass = frameClass;
        this.bodyName = Names.BODY_PREFIX + method.name;
    }

    String bodyName() {
        return bodyName;
    }

    String bodyDesc() {
        return "(L" + frameClass + ";Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;";
    }

    /** Every frame field: kind letter and count, in a fixed order. */
    Map<Character, Integer> fields() {
        Map<Character, Integer> m = new LinkedHashMap<>();
        for (char k : "IJFDL".toCharArray()) {
            if (fieldCounts[k] > 0) {
                m.put(k, fieldCounts[k]);
            }
        }
        return m;
    }

    /** The source line of each label (0 = the method's first line), for stack traces. */
    int[] lines() {
        int[] lines = new int[points.size()];
        for (Point p : points) {
            lines[p.label()] = p.line();
        }
        return lines;
    }

    /**
     * Analyses and rewrites the method. On success {@link #method} holds the creator and the returned node is the
     * body; problems are reported by instruction.
     */
    MethodNode weave(Map<AbstractInsnNode, String> problems) throws AnalyzerException {
        removeFrames();
        List<MethodInsnNode> awaits = calls(true);
        MethodAnalysis analysis = MethodAnalysis.analyze(owner, method, interpreter);
        Map<AbstractInsnNode, String> moved = NewRelocator.relocate(method, analysis, awaits);
        if (!moved.isEmpty()) {
            problems.putAll(moved);
            return null;
        }
        if (method.instructions.size() != analysis.frames.length) { // NEWs were moved: analyse the new code
            analysis = MethodAnalysis.analyze(owner, method, interpreter);
        }
        problems.putAll(interpreter.problems());
        for (MethodInsnNode await : awaits) {
            AsyncFrame f = analysis.frames[method.instructions.indexOf(await)];
            if (f != null && f.monitors > 0) {
                problems.put(await, "await() inside a synchronized block would hold the monitor across the"
                        + " suspension; use io.jasyncio.Lock instead");
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }

        int firstLine = firstLine();
        points.add(startPoint(analysis, firstLine));
        Map<MethodInsnNode, Point> pointOf = new LinkedHashMap<>();
        for (MethodInsnNode await : awaits) {
            int index = method.instructions.indexOf(await);
            AsyncFrame f = analysis.frames[index];
            if (f != null) { // an unreachable await is left alone: frame computation removes dead code
                Point p = suspensionPoint(points.size(), lineOf(await, firstLine), f, analysis.liveIn[index]);
                points.add(p);
                pointOf.put(await, p);
            }
        }
        MethodNode body = buildBody(pointOf);
        buildCreator(firstLine);
        return body;
    }

    // ---- planning -------------------------------------------------------------------------------------------

    private Point startPoint(MethodAnalysis analysis, int line) {
        Map<Integer, Slot> locals = new LinkedHashMap<>();
        int[] counts = new int[128];
        BitSet live = analysis.liveIn.length > 0 ? analysis.liveIn[0] : new BitSet();
        int slot = 0;
        if ((method.access & Opcodes.ACC_STATIC) == 0) {
            if (live.get(0)) {
                locals.put(0, slot(Type.getObjectType(owner), counts));
            }
            slot = 1;
        }
        for (Type t : Type.getArgumentTypes(method.desc)) {
            if (live.get(slot)) {
                locals.put(slot, slot(t, counts));
            }
            slot += t.getSize();
        }
        commit(counts);
        return new Point(0, line, locals, List.of());
    }

    private Point suspensionPoint(int label, int line, AsyncFrame f, BitSet live) {
        int[] counts = new int[128];
        Map<Integer, Slot> locals = new LinkedHashMap<>();
        for (int i = live.nextSetBit(0); i >= 0 && i < f.getLocals(); i = live.nextSetBit(i + 1)) {
            BasicValue v = f.getLocal(i);
            if (v != BasicValue.UNINITIALIZED_VALUE && v.getType() != null) {
                locals.put(i, slot(v, counts));
            }
        }
        List<Slot> stack = new ArrayList<>();
        for (int j = 0; j < f.getStackSize() - 1; j++) { // the top is the awaited value: consumed by await
            stack.add(slot(f.getStack(j), counts));
        }
        commit(counts);
        return new Point(label, line, locals, stack);
    }

    private Slot slot(BasicValue v, int[] counts) {
        if (v == TypeInterpreter.DONE) {
            return new Slot('L', Type.getObjectType(Names.OBJECT), counts['L']++);
        }
        if (TypeInterpreter.NULL_TYPE.equals(v.getType())) {
            return new Slot('N', null, -1);
        }
        return slot(v.getType(), counts);
    }

    private static Slot slot(Type t, int[] counts) {
        char kind;
        switch (t.getSort()) {
            case Type.BOOLEAN:
            case Type.CHAR:
            case Type.BYTE:
            case Type.SHORT:
            case Type.INT:
                kind = 'I';
                break;
            case Type.FLOAT:
                kind = 'F';
                break;
            case Type.LONG:
                kind = 'J';
                break;
            case Type.DOUBLE:
                kind = 'D';
                break;
            default:
                kind = 'L';
        }
        return new Slot(kind, t, counts[kind]++);
    }

    private void commit(int[] counts) {
        for (int i = 0; i < counts.length; i++) {
            fieldCounts[i] = Math.max(fieldCounts[i], counts[i]);
        }
    }

    // ---- the body -------------------------------------------------------------------------------------------

    private MethodNode buildBody(Map<MethodInsnNode, Point> pointOf) {
        InsnList insns = method.instructions;
        shiftLocals();
        for (MethodInsnNode done : calls(false)) {
            if (Type.getArgumentTypes(done.desc).length == 0) {
                insns.set(done, new InsnNode(Opcodes.ACONST_NULL));
            } else {
                insns.remove(done); // the argument itself is the result
            }
        }
        LabelNode start = new LabelNode();
        LabelNode[] restores = new LabelNode[points.size()];
        for (int i = 0; i < restores.length; i++) {
            restores[i] = new LabelNode();
        }
        InsnList tail = new InsnList();
        tail.add(restoreBlock(points.get(0), restores[0], start));
        for (Map.Entry<MethodInsnNode, Point> e : pointOf.entrySet()) {
            Point p = e.getValue();
            LabelNode resume = new LabelNode();
            insns.insertBefore(e.getKey(), suspension(p, resume));
            insns.remove(e.getKey());
            tail.add(restoreBlock(p, restores[p.label()], resume));
        }
        InsnList head = new InsnList();
        head.add(new VarInsnNode(Opcodes.ALOAD, 0));
        head.add(new FieldInsnNode(Opcodes.GETFIELD, frameClass, Names.LABEL_FIELD, "I"));
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

        int access = Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC | (ownerIsInterface ? Opcodes.ACC_PUBLIC : 0);
        MethodNode body = new MethodNode(Opcodes.ASM9, access, bodyName, bodyDesc(), null, null);
        body.instructions.add(insns);
        body.tryCatchBlocks = method.tryCatchBlocks;
        body.localVariables = method.localVariables;
        body.visibleLocalVariableAnnotations = method.visibleLocalVariableAnnotations;
        body.invisibleLocalVariableAnnotations = method.invisibleLocalVariableAnnotations;
        body.maxLocals = method.maxLocals + Names.BODY_PARAMS;
        body.maxStack = method.maxStack + 4;
        return body;
    }

    /** The code that replaces {@code INVOKESTATIC Asyncio.await}: stack [..., awaitable] → [..., value]. */
    private InsnList suspension(Point p, LabelNode resume) {
        InsnList c = new InsnList();
        LabelNode cont = new LabelNode();
        LabelNode value = new LabelNode();
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "await", Names.WOVEN_AWAIT_DESC, false));
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, Names.WOVEN, Names.SUSPENDED, Names.OBJECT_DESC));
        c.add(new JumpInsnNode(Opcodes.IF_ACMPNE, cont));
        c.add(new InsnNode(Opcodes.POP));
        for (int j = p.stack().size() - 1; j >= 0; j--) { // save the operand stack, top first
            Slot s = p.stack().get(j);
            if (s.isNull()) {
                c.add(new InsnNode(Opcodes.POP));
            } else if (s.type().getSize() == 2) {
                c.add(new VarInsnNode(Opcodes.ALOAD, 0));
                c.add(new InsnNode(Opcodes.DUP_X2));
                c.add(new InsnNode(Opcodes.POP));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
            } else {
                c.add(new VarInsnNode(Opcodes.ALOAD, 0));
                c.add(new InsnNode(Opcodes.SWAP));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
            }
        }
        for (Map.Entry<Integer, Slot> e : p.locals().entrySet()) { // save the live locals
            Slot s = e.getValue();
            if (!s.isNull()) {
                c.add(new VarInsnNode(Opcodes.ALOAD, 0));
                c.add(new VarInsnNode(s.type().getOpcode(Opcodes.ILOAD), e.getKey() + Names.BODY_PARAMS));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
            }
        }
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(intConst(p.label()));
        c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, Names.LABEL_FIELD, "I"));
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, Names.WOVEN, Names.SUSPENDED, Names.OBJECT_DESC));
        c.add(new InsnNode(Opcodes.ARETURN));
        c.add(resume); // restored state: throw the exception, or go on with the value
        c.add(new VarInsnNode(Opcodes.ALOAD, 2));
        c.add(new JumpInsnNode(Opcodes.IFNULL, value));
        c.add(new VarInsnNode(Opcodes.ALOAD, 2));
        c.add(new InsnNode(Opcodes.ATHROW));
        c.add(value);
        c.add(new VarInsnNode(Opcodes.ALOAD, 1));
        c.add(cont);
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
            int var = e.getKey() + Names.BODY_PARAMS;
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
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new FieldInsnNode(Opcodes.GETFIELD, frameClass, s.fieldName(), s.fieldDesc()));
        if (s.kind() == 'L') {
            if (!s.type().getInternalName().equals(Names.OBJECT)) {
                c.add(new TypeInsnNode(Opcodes.CHECKCAST, s.type().getInternalName()));
            }
            c.add(new VarInsnNode(Opcodes.ALOAD, 0)); // the frame keeps nothing alive that the body holds
            c.add(new InsnNode(Opcodes.ACONST_NULL));
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
        }
    }

    // ---- the creator ----------------------------------------------------------------------------------------

    private void buildCreator(int firstLine) {
        List<LocalVariableNode> params = new ArrayList<>();
        int paramSlots = Type.getArgumentsAndReturnSizes(method.desc) >> 2;
        if ((method.access & Opcodes.ACC_STATIC) != 0) {
            paramSlots--;
        }
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        if (method.localVariables != null) {
            for (LocalVariableNode v : method.localVariables) { // already shifted for the body
                int index = v.index - Names.BODY_PARAMS;
                if (index < paramSlots) {
                    params.add(new LocalVariableNode(v.name, v.desc, v.signature, start, end, index));
                }
            }
        }
        InsnList c = new InsnList();
        c.add(start);
        if (firstLine > 0) {
            c.add(new LineNumberNode(firstLine, start));
        }
        c.add(new TypeInsnNode(Opcodes.NEW, frameClass));
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, frameClass, "<init>", "()V", false));
        for (Map.Entry<Integer, Slot> e : points.get(0).locals().entrySet()) {
            Slot s = e.getValue();
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
        method.maxLocals = Math.max(paramSlots, 1);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private List<MethodInsnNode> calls(boolean await) {
        List<MethodInsnNode> found = new ArrayList<>();
        for (AbstractInsnNode n : method.instructions) {
            if (n.getOpcode() == Opcodes.INVOKESTATIC) {
                MethodInsnNode m = (MethodInsnNode) n;
                if (await ? Names.isAwait(m.owner, m.name) : Names.isDone(m.owner, m.name)) {
                    found.add(m);
                }
            }
        }
        return found;
    }

    private void removeFrames() {
        for (AbstractInsnNode n : method.instructions.toArray()) {
            if (n instanceof FrameNode) {
                method.instructions.remove(n);
            }
        }
    }

    private void shiftLocals() {
        for (AbstractInsnNode n : method.instructions) {
            if (n instanceof VarInsnNode) {
                ((VarInsnNode) n).var += Names.BODY_PARAMS;
            } else if (n instanceof IincInsnNode) {
                ((IincInsnNode) n).var += Names.BODY_PARAMS;
            }
        }
        if (method.localVariables != null) {
            for (LocalVariableNode v : method.localVariables) {
                v.index += Names.BODY_PARAMS;
            }
        }
        shiftAnnotations(method.visibleLocalVariableAnnotations);
        shiftAnnotations(method.invisibleLocalVariableAnnotations);
    }

    private static void shiftAnnotations(List<LocalVariableAnnotationNode> annotations) {
        if (annotations != null) {
            for (LocalVariableAnnotationNode a : annotations) {
                a.index.replaceAll(i -> i + Names.BODY_PARAMS);
            }
        }
    }

    private int firstLine() {
        for (AbstractInsnNode n : method.instructions) {
            if (n instanceof LineNumberNode) {
                return ((LineNumberNode) n).line;
            }
        }
        return 0;
    }

    static int lineOf(AbstractInsnNode insn, int fallback) {
        for (AbstractInsnNode n = insn; n != null; n = n.getPrevious()) {
            if (n instanceof LineNumberNode) {
                return ((LineNumberNode) n).line;
            }
        }
        return fallback;
    }

    private static AbstractInsnNode intConst(int v) {
        if (v <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + v);
        }
        if (v <= Byte.MAX_VALUE) {
            return new org.objectweb.asm.tree.IntInsnNode(Opcodes.BIPUSH, v);
        }
        if (v <= Short.MAX_VALUE) {
            return new org.objectweb.asm.tree.IntInsnNode(Opcodes.SIPUSH, v);
        }
        return new LdcInsnNode(v);
    }
}
