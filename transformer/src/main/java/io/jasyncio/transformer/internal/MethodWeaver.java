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
 *   <li>a static <em>body</em> method {@code async$name(params..., Frame f, Object value, Throwable exception,
 *       Task task)}, the original code turned into a state machine. Entered through its frame ({@code f} given),
 *       a {@code tableswitch} on the frame's {@code label} jumps to the start (the arguments read from the frame)
 *       or to the restore block of a suspension point. Called directly ({@code f == null}: an
 *       {@code await(foo(args))} of a static, private or final {@code @Async} method of the same class), it
 *       starts with the arguments in place and allocates its frame only when it needs one. Each {@code await} saves what is live
 *       (locals and operand stack, typed, nothing dead) into the frame and returns {@code SUSPENDED} when the
 *       awaited thing is not ready, and goes straight on when it is.</li>
 * </ul>
 * The parameters keep their slots; the other locals move past the body's four own parameters, with their names
 * and line numbers. See docs/design.md for the protocol and a worked example.
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
    /** The {@code @Async} methods of the class (name + descriptor) that an await can call directly. */
    private final Map<String, DirectTarget> directTargets;
    /** Slots of the original parameters ({@code this} included): they keep their slots in the body. */
    private final int paramSlots;
    /** The body's own parameters, after the original ones: frame, value, exception, task. */
    private final int frameSlot;
    private final int valueSlot;
    private final int exceptionSlot;
    private final int taskSlot;
    /** A local of the body: 1 when it was called directly (no frame given), 0 when resumed through its frame. */
    private int directSlot;

    /**
     * The body of an {@code @Async} method of the same class that an await can call directly: a static method, or
     * an instance method that no subclass can override (private, final, or of a final class).
     */
    record DirectTarget(String bodyName, String bodyDesc, boolean isStatic) {
    }

    MethodWeaver(String owner, boolean ownerIsInterface, MethodNode method, TypeInterpreter interpreter,
                 String frameClass, Map<String, DirectTarget> directTargets) {
        this.owner = owner;
        this.ownerIsInterface = ownerIsInterface;
        this.method = method;
        this.interpreter = interpreter;
        this.frameClass = frameClass;
        this.bodyName = Names.BODY_PREFIX + method.name;
        this.directTargets = directTargets;
        this.paramSlots = (Type.getArgumentsAndReturnSizes(method.desc) >> 2)
                - ((method.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
        this.frameSlot = paramSlots;
        this.valueSlot = paramSlots + 1;
        this.exceptionSlot = paramSlots + 2;
        this.taskSlot = paramSlots + 3;
    }

    String bodyName() {
        return bodyName;
    }

    String bodyDesc() {
        return bodyDesc(owner, method, frameClass);
    }

    /**
     * The body's descriptor: the original parameters ({@code this} first for an instance method), then the
     * frame ({@code null} when called directly), the value and exception of a resumption, and the task.
     */
    static String bodyDesc(String owner, MethodNode method, String frameClass) {
        StringBuilder d = new StringBuilder("(");
        if ((method.access & Opcodes.ACC_STATIC) == 0) {
            d.append('L').append(owner).append(';');
        }
        for (Type t : Type.getArgumentTypes(method.desc)) {
            d.append(t.getDescriptor());
        }
        return d.append('L').append(frameClass).append(";Ljava/lang/Object;Ljava/lang/Throwable;")
                .append(Names.TASK_DESC).append(')').append(Names.OBJECT_DESC).toString();
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
                problems.put(await, Rules.awaitInSynchronized(false));
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
        MethodNode body = buildBody(pointOf, directCalls(pointOf.keySet()));
        buildCreator(firstLine);
        return body;
    }

    /**
     * The awaits written {@code await(foo(args))} (or {@code await(x.foo(args))}) where {@code foo} is an
     * {@code @Async} method of this class that is static or cannot be overridden: the creator call right before the
     * await (nothing, not even a jump target, in between) is replaced by
     * a direct call of foo's body, so that no frame is allocated unless foo suspends.
     */
    private Map<MethodInsnNode, MethodInsnNode> directCalls(Iterable<MethodInsnNode> awaits) {
        Map<MethodInsnNode, MethodInsnNode> direct = new LinkedHashMap<>();
        for (MethodInsnNode await : awaits) {
            if (!Names.AWAIT_COROUTINE_DESC.equals(await.desc)) {
                continue;
            }
            AbstractInsnNode previous = await.getPrevious();
            while (previous instanceof LineNumberNode) {
                previous = previous.getPrevious();
            }
            if (previous instanceof MethodInsnNode) {
                MethodInsnNode call = (MethodInsnNode) previous;
                DirectTarget target = call.owner.equals(owner) ? directTargets.get(call.name + call.desc) : null;
                int op = call.getOpcode();
                if (target != null && (target.isStatic() ? op == Opcodes.INVOKESTATIC
                        : op == Opcodes.INVOKEVIRTUAL || op == Opcodes.INVOKESPECIAL)) {
                    direct.put(await, call);
                }
            }
        }
        return direct;
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

    private MethodNode buildBody(Map<MethodInsnNode, Point> pointOf, Map<MethodInsnNode, MethodInsnNode> direct) {
        InsnList insns = method.instructions;
        directSlot = method.maxLocals + Names.BODY_PARAMS;
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
            MethodInsnNode call = direct.get(e.getKey());
            if (call != null) {
                DirectTarget target = directTargets.get(call.name + call.desc);
                insns.insertBefore(call, directCall(target));
                insns.remove(call);
            }
            insns.insertBefore(e.getKey(), suspension(p, resume, call != null));
            insns.remove(e.getKey());
            tail.add(restoreBlock(p, restores[p.label()], resume));
        }
        InsnList head = new InsnList();
        LabelNode framed = new LabelNode();
        head.add(new VarInsnNode(Opcodes.ALOAD, frameSlot)); // no frame: called directly, the arguments in place
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
        head.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
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
            c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
            c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "await", Names.WOVEN_AWAIT_DESC, false));
        }
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, Names.WOVEN, Names.SUSPENDED, Names.OBJECT_DESC));
        c.add(new JumpInsnNode(Opcodes.IF_ACMPNE, cont));
        c.add(new InsnNode(Opcodes.POP));
        if (afterDirectCall) { // the callee made its frame as it suspended: it resumes into ours
            ensureFrame(c);
            c.add(new VarInsnNode(Opcodes.ALOAD, taskSlot));
            c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
            c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "adopt", Names.WOVEN_LINK_DESC, false));
        }
        for (int j = p.stack().size() - 1; j >= 0; j--) { // save the operand stack, top first
            Slot s = p.stack().get(j);
            if (s.isNull()) {
                c.add(new InsnNode(Opcodes.POP));
            } else if (s.type().getSize() == 2) {
                c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
                c.add(new InsnNode(Opcodes.DUP_X2));
                c.add(new InsnNode(Opcodes.POP));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
            } else {
                c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
                c.add(new InsnNode(Opcodes.SWAP));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
            }
        }
        for (Map.Entry<Integer, Slot> e : p.locals().entrySet()) { // save the live locals
            Slot s = e.getValue();
            if (!s.isNull()) {
                c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
                c.add(new VarInsnNode(s.type().getOpcode(Opcodes.ILOAD), bodySlot(e.getKey())));
                c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
            }
        }
        c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
        c.add(intConst(p.label()));
        c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, Names.LABEL_FIELD, "I"));
        LabelNode published = new LabelNode();
        c.add(new VarInsnNode(Opcodes.ILOAD, directSlot)); // called directly: our caller adopts our frame
        c.add(new JumpInsnNode(Opcodes.IFEQ, published));
        c.add(new VarInsnNode(Opcodes.ALOAD, taskSlot));
        c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "publish", Names.WOVEN_LINK_DESC, false));
        c.add(published);
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, Names.WOVEN, Names.SUSPENDED, Names.OBJECT_DESC));
        c.add(new InsnNode(Opcodes.ARETURN));
        c.add(resume); // restored state: throw the exception, or go on with the value
        c.add(new VarInsnNode(Opcodes.ALOAD, exceptionSlot));
        c.add(new JumpInsnNode(Opcodes.IFNULL, value));
        c.add(new VarInsnNode(Opcodes.ALOAD, exceptionSlot));
        c.add(new InsnNode(Opcodes.ATHROW));
        c.add(value);
        c.add(new VarInsnNode(Opcodes.ALOAD, valueSlot));
        c.add(cont);
        return c;
    }

    /** Allocates the frame if the body runs without one (it was called directly) and binds it to the task. */
    private void ensureFrame(InsnList c) {
        LabelNode present = new LabelNode();
        c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
        c.add(new JumpInsnNode(Opcodes.IFNONNULL, present));
        c.add(new TypeInsnNode(Opcodes.NEW, frameClass));
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, frameClass, "<init>", "()V", false));
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new VarInsnNode(Opcodes.ALOAD, taskSlot));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, Names.WOVEN, "bind", Names.WOVEN_BIND_DESC, false));
        c.add(new VarInsnNode(Opcodes.ASTORE, frameSlot));
        c.add(present);
    }

    /**
     * Replaces the creator call of a direct await: stack [..., args] → [..., value or SUSPENDED]. The body is
     * called with no frame, no value or exception, and this body's task.
     */
    private InsnList directCall(DirectTarget target) {
        InsnList c = new InsnList();
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        c.add(new InsnNode(Opcodes.ACONST_NULL));
        c.add(new VarInsnNode(Opcodes.ALOAD, taskSlot));
        c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, owner, target.bodyName(), target.bodyDesc(), ownerIsInterface));
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
            int var = bodySlot(e.getKey());
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
        c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
        c.add(new FieldInsnNode(Opcodes.GETFIELD, frameClass, s.fieldName(), s.fieldDesc()));
        if (s.kind() == 'L') {
            if (!s.type().getInternalName().equals(Names.OBJECT)) {
                c.add(new TypeInsnNode(Opcodes.CHECKCAST, s.type().getInternalName()));
            }
            c.add(new VarInsnNode(Opcodes.ALOAD, frameSlot)); // the frame keeps nothing alive that the body holds
            c.add(new InsnNode(Opcodes.ACONST_NULL));
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, frameClass, s.fieldName(), s.fieldDesc()));
        }
    }

    // ---- the creator ----------------------------------------------------------------------------------------

    private void buildCreator(int firstLine) {
        List<LocalVariableNode> params = new ArrayList<>();
        LabelNode start = new LabelNode();
        LabelNode end = new LabelNode();
        if (method.localVariables != null) {
            for (LocalVariableNode v : method.localVariables) { // parameters keep their slots in the body
                if (v.index < paramSlots) {
                    params.add(new LocalVariableNode(v.name, v.desc, v.signature, start, end, v.index));
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
                ((VarInsnNode) n).var = bodySlot(((VarInsnNode) n).var);
            } else if (n instanceof IincInsnNode) {
                ((IincInsnNode) n).var = bodySlot(((IincInsnNode) n).var);
            }
        }
        if (method.localVariables != null) {
            for (LocalVariableNode v : method.localVariables) {
                v.index = bodySlot(v.index);
            }
        }
        shiftAnnotations(method.visibleLocalVariableAnnotations);
        shiftAnnotations(method.invisibleLocalVariableAnnotations);
    }

    private void shiftAnnotations(List<LocalVariableAnnotationNode> annotations) {
        if (annotations != null) {
            for (LocalVariableAnnotationNode a : annotations) {
                a.index.replaceAll(this::bodySlot);
            }
        }
    }

    /** The body's slot of an original local: parameters stay, the others move past the body's own parameters. */
    private int bodySlot(int original) {
        return original < paramSlots ? original : original + Names.BODY_PARAMS;
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
