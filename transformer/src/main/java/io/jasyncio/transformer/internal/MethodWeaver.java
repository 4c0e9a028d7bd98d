package io.jasyncio.transformer.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Rewrites one {@code @Async} method (already checked by {@link ClassWeaver}) into
 * <ul>
 *   <li>a <em>creator</em>, in place of the original code: it stores the live arguments in a new frame object
 *       and returns it (calling an {@code @Async} method runs none of its body);</li>
 *   <li>a static <em>body</em> method {@code async$name(params..., Frame f, Object value, Throwable exception,
 *       Task task)}, the original code turned into a state machine. Entered through its frame ({@code f} given),
 *       a {@code tableswitch} on the frame's {@code label} jumps to the start (the arguments read from the frame)
 *       or to the restore block of a suspension point. Called directly ({@code f == null}: an
 *       {@code await(foo(args))} of a static, private or final {@code @Async} method of the same class, or one
 *       linked at run time by {@link DirectAwaits}), it
 *       starts with the arguments in place and allocates its frame only when it needs one. Each {@code await}
 *       saves what is live (locals and operand stack, typed, nothing dead) into the frame and returns
 *       {@code SUSPENDED} when the awaited thing is not ready, and goes straight on when it is.</li>
 * </ul>
 * It runs the passes in order: analysis ({@link NewRelocator}, {@link MethodAnalysis}, the body's rules), the plan
 * ({@link SuspensionPlan}, and which awaits are direct calls), then emission ({@link BodyEmitter},
 * {@link CreatorEmitter}), all sharing one {@link BodyLayout}. The parameters keep their slots; the other locals
 * move past the body's four own parameters, with their names and line numbers. See docs/design.md for the
 * protocol and a worked example.
 */
final class MethodWeaver {
    private final String owner;
    private final MethodNode method;
    private final TypeInterpreter interpreter;
    private final BodyLayout layout;
    /** The {@code @Async} methods of the class (name + descriptor) that an await can call directly. */
    private final Map<String, DirectTarget> directTargets;
    private SuspensionPlan plan;

    /**
     * The body of an {@code @Async} method of the same class that an await can call directly: a static method, or
     * an instance method that no subclass can override (private, final, or of a final class).
     */
    record DirectTarget(String bodyName, String bodyDesc, boolean isStatic) {
    }

    /**
     * An await whose creator call is replaced by a call of the callee's body: {@code target} when the body is known
     * at build time (the same class), {@code null} when the call is linked at run time ({@link DirectAwaits}).
     */
    record DirectCall(MethodInsnNode creator, DirectTarget target) {
    }

    MethodWeaver(String owner, boolean ownerIsInterface, MethodNode method, TypeInterpreter interpreter,
                 String frameClass, Map<String, DirectTarget> directTargets) {
        this.owner = owner;
        this.method = method;
        this.interpreter = interpreter;
        this.directTargets = directTargets;
        int paramSlots = (Type.getArgumentsAndReturnSizes(method.desc) >> 2)
                - ((method.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
        this.layout = new BodyLayout(owner, ownerIsInterface, frameClass, Names.BODY_PREFIX + method.name,
                bodyDesc(owner, method, frameClass), paramSlots);
    }

    String bodyName() {
        return layout.bodyName();
    }

    String bodyDesc() {
        return layout.bodyDesc();
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

    /** Every frame field: kind letter and count, in a fixed order (after {@link #weave}). */
    Map<Character, Integer> fields() {
        return plan.fields();
    }

    /** The source line of each label (0 = the method's first line), for stack traces (after {@link #weave}). */
    int[] lines() {
        return plan.lines();
    }

    /**
     * Analyses and rewrites the method. On success {@link #method} holds the creator and the returned node is the
     * body; problems are reported by instruction.
     */
    MethodNode weave(Map<AbstractInsnNode, String> problems) throws AnalyzerException {
        removeFrames(method);
        List<MethodInsnNode> awaits = calls(method, true);
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

        int firstLine = firstLine(method);
        plan = SuspensionPlan.of(owner, method, analysis, awaits, firstLine);
        MethodNode body = new BodyEmitter(layout, method, plan).emit(directCalls(plan.pointOf().keySet()));
        CreatorEmitter.emit(layout, method, plan.start(), firstLine);
        return body;
    }

    /**
     * The awaits written {@code await(foo(args))} (or {@code await(x.foo(args))}) where {@code foo} is an
     * {@code @Async} method of this class that is static or cannot be overridden: the creator call right before the
     * await (nothing, not even a jump target, in between) is replaced by
     * a direct call of foo's body, so that no frame is allocated unless foo suspends. The other awaits written so
     * (another class's method, an overridable one) get a call linked at run time ({@link DirectAwaits}).
     */
    private Map<MethodInsnNode, DirectCall> directCalls(Iterable<MethodInsnNode> awaits) {
        Map<MethodInsnNode, DirectCall> direct = new LinkedHashMap<>();
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
                    direct.put(await, new DirectCall(call, target));
                } else if (target == null && DirectAwaits.canLink(call)) { // linked at run time
                    direct.put(await, new DirectCall(call, null));
                }
            }
        }
        return direct;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    static List<MethodInsnNode> calls(MethodNode method, boolean await) {
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

    private static void removeFrames(MethodNode method) {
        for (AbstractInsnNode n : method.instructions.toArray()) {
            if (n instanceof FrameNode) {
                method.instructions.remove(n);
            }
        }
    }

    private static int firstLine(MethodNode method) {
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
}
