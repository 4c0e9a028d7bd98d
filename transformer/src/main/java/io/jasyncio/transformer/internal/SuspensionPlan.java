package io.jasyncio.transformer.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * The plan of one coroutine, made from its {@link MethodAnalysis}: the start (label 0: the live arguments the
 * creator stores) and one suspension point per reachable {@code await} (labels 1, 2, ...), each with the frame
 * fields that keep what is live there. Fields are shared between points by kind ({@code I J F D L}): the frame has
 * as many fields of a kind as the point that needs most of them.
 */
final class SuspensionPlan {
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

    private final List<Point> points = new ArrayList<>();
    private final Map<MethodInsnNode, Point> pointOf = new LinkedHashMap<>();
    private final int[] fieldCounts = new int[128];

    private SuspensionPlan() {
    }

    /**
     * Plans {@code method}: {@code awaits} are its await calls in code order; an unreachable one (no frame in the
     * analysis) gets no point and is left alone, as frame computation removes dead code.
     */
    static SuspensionPlan of(String owner, MethodNode method, MethodAnalysis analysis, List<MethodInsnNode> awaits,
                             int firstLine) {
        SuspensionPlan plan = new SuspensionPlan();
        plan.points.add(plan.startPoint(owner, method, analysis, firstLine));
        for (MethodInsnNode await : awaits) {
            int index = method.instructions.indexOf(await);
            AsyncFrame f = analysis.frames[index];
            if (f != null) {
                Point p = plan.suspensionPoint(plan.points.size(), MethodWeaver.lineOf(await, firstLine), f,
                        analysis.liveIn(index));
                plan.points.add(p);
                plan.pointOf.put(await, p);
            }
        }
        return plan;
    }

    /** Every point, by label: the start first. */
    List<Point> points() {
        return Collections.unmodifiableList(points);
    }

    /** The start: the live arguments, which the creator stores in the frame. */
    Point start() {
        return points.get(0);
    }

    /** The suspension point of each reachable await, in code order. */
    Map<MethodInsnNode, Point> pointOf() {
        return Collections.unmodifiableMap(pointOf);
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

    private Point startPoint(String owner, MethodNode method, MethodAnalysis analysis, int line) {
        Map<Integer, Slot> locals = new LinkedHashMap<>();
        int[] counts = new int[128];
        BitSet live = method.instructions.size() > 0 ? analysis.liveIn(0) : new BitSet();
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

    private static Slot slot(BasicValue v, int[] counts) {
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
}
