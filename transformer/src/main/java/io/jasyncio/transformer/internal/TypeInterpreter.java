package io.jasyncio.transformer.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * The analysis interpreter of {@code @Async} bodies: {@link SimpleVerifier}'s precise reference types, resolved
 * through {@link Hierarchy} (no class is loaded), plus two kinds of values the weaver must know about:
 * <ul>
 *   <li>{@link Uninit}: an object made by {@code NEW} whose constructor has not run yet (it cannot be saved in a
 *       frame; see {@link NewRelocator});</li>
 *   <li>{@link #DONE}: the value of {@code Asyncio.done(...)}, which may only be returned.</li>
 * </ul>
 * Misuses found on the way are recorded in {@link #problems()} by instruction.
 */
final class TypeInterpreter extends SimpleVerifier {
    /** The type of {@code done(...)}'s value: distinct from Coroutine so that merges and checks can see it. */
    static final Type DONE_TYPE = Type.getObjectType("io/jasyncio/Coroutine$$done");
    static final BasicValue DONE = new BasicValue(DONE_TYPE);
    static final Type NULL_TYPE = Type.getObjectType("null");
    private static final Type COROUTINE_TYPE = Type.getObjectType(Names.COROUTINE);
    private static final Type OBJECT_TYPE = Type.getObjectType(Names.OBJECT);

    /** An object whose constructor has not run yet, identified by its {@code NEW} instruction. */
    static final class Uninit extends BasicValue {
        final TypeInsnNode newInsn;

        Uninit(Type type, TypeInsnNode newInsn) {
            super(type);
            this.newInsn = newInsn;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Uninit && ((Uninit) o).newInsn == newInsn;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(newInsn);
        }

        @Override
        public String toString() {
            return "uninitialized " + getType().getInternalName();
        }
    }

    private final Hierarchy hierarchy;
    private final Map<AbstractInsnNode, String> problems = new LinkedHashMap<>();

    TypeInterpreter(Hierarchy hierarchy, Type currentClass, Type superClass, List<Type> interfaces, boolean isInterface) {
        super(Opcodes.ASM9, currentClass, superClass, interfaces, isInterface);
        this.hierarchy = hierarchy;
    }

    Map<AbstractInsnNode, String> problems() {
        return problems;
    }

    private void problem(AbstractInsnNode insn, String message) {
        problems.putIfAbsent(insn, message);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    @Override
    public BasicValue newOperation(AbstractInsnNode insn) throws AnalyzerException {
        if (insn.getOpcode() == Opcodes.NEW) {
            return new Uninit(Type.getObjectType(((TypeInsnNode) insn).desc), (TypeInsnNode) insn);
        }
        return super.newOperation(insn);
    }

    @Override
    public BasicValue naryOperation(AbstractInsnNode insn, List<? extends BasicValue> values) throws AnalyzerException {
        checkNoDone(insn, values);
        BasicValue result = super.naryOperation(insn, values);
        if (insn instanceof MethodInsnNode) {
            MethodInsnNode m = (MethodInsnNode) insn;
            if (m.getOpcode() == Opcodes.INVOKESTATIC && Names.isDone(m.owner, m.name)) {
                return DONE;
            }
        }
        return result;
    }

    @Override
    public BasicValue unaryOperation(AbstractInsnNode insn, BasicValue value) throws AnalyzerException {
        if (insn.getOpcode() != Opcodes.ARETURN) { // a return is checked by returnOperation
            checkNoDone(insn, List.of(value));
        }
        return super.unaryOperation(insn, value);
    }

    @Override
    public BasicValue binaryOperation(AbstractInsnNode insn, BasicValue value1, BasicValue value2)
            throws AnalyzerException {
        checkNoDone(insn, List.of(value1, value2));
        return super.binaryOperation(insn, value1, value2);
    }

    @Override
    public BasicValue ternaryOperation(AbstractInsnNode insn, BasicValue value1, BasicValue value2, BasicValue value3)
            throws AnalyzerException {
        checkNoDone(insn, List.of(value1, value2, value3));
        return super.ternaryOperation(insn, value1, value2, value3);
    }

    @Override
    public void returnOperation(AbstractInsnNode insn, BasicValue value, BasicValue expected) throws AnalyzerException {
        if (insn.getOpcode() == Opcodes.ARETURN && value != DONE) {
            problem(insn, Rules.mustReturnDone(value.getType() == null || value.getType().equals(NULL_TYPE) ? "null"
                    : "a value of type " + value.getType().getClassName()));
            return;
        }
        super.returnOperation(insn, value, expected);
    }

    private void checkNoDone(AbstractInsnNode insn, List<? extends BasicValue> values) {
        for (BasicValue v : values) {
            if (v == DONE) {
                problem(insn, Rules.doneValueUsed());
                return;
            }
        }
    }

    @Override
    public BasicValue merge(BasicValue v, BasicValue w) {
        if (v instanceof Uninit || w instanceof Uninit) {
            return v.equals(w) ? v : BasicValue.UNINITIALIZED_VALUE;
        }
        if (v == DONE || w == DONE) {
            if (v == w) {
                return v;
            }
            BasicValue other = v == DONE ? w : v;
            return other == BasicValue.UNINITIALIZED_VALUE || other.getType() == null
                    || other.getType().getSort() < Type.ARRAY ? BasicValue.UNINITIALIZED_VALUE
                    : new BasicValue(COROUTINE_TYPE);
        }
        return super.merge(v, w);
    }

    // ---- the type hierarchy, without loading classes -------------------------------------------------------

    @Override
    protected boolean isInterface(Type type) {
        return type.getSort() == Type.OBJECT && !type.equals(DONE_TYPE) && hierarchy.isInterface(type.getInternalName());
    }

    @Override
    protected Type getSuperClass(Type type) {
        if (type.getSort() == Type.ARRAY) {
            return OBJECT_TYPE;
        }
        if (type.equals(DONE_TYPE)) {
            return COROUTINE_TYPE;
        }
        String s = hierarchy.superName(type.getInternalName());
        return s == null ? null : Type.getObjectType(s);
    }

    /** Precise assignability (used to merge types; a wrong merge would make a restored value fail its cast). */
    @Override
    protected boolean isAssignableFrom(Type to, Type from) {
        if (to.equals(from)) {
            return true;
        }
        if (from.equals(DONE_TYPE)) {
            return to.equals(COROUTINE_TYPE) || to.equals(OBJECT_TYPE);
        }
        if (to.equals(DONE_TYPE)) {
            return false;
        }
        if (to.equals(OBJECT_TYPE)) {
            return true;
        }
        if (from.getSort() == Type.ARRAY) {
            if (to.getSort() == Type.ARRAY) {
                Type te = to.getElementType();
                Type fe = from.getElementType();
                if (to.getDimensions() == from.getDimensions()) {
                    return te.getSort() == Type.OBJECT && fe.getSort() == Type.OBJECT && isAssignableFrom(te, fe);
                }
                if (to.getDimensions() < from.getDimensions()) { // Object[] := int[][] and the like
                    return te.getSort() == Type.OBJECT && (te.equals(OBJECT_TYPE)
                            || te.getInternalName().equals("java/lang/Cloneable")
                            || te.getInternalName().equals("java/io/Serializable"));
                }
                return false;
            }
            String n = to.getInternalName();
            return n.equals("java/lang/Cloneable") || n.equals("java/io/Serializable");
        }
        if (to.getSort() != Type.OBJECT || from.getSort() != Type.OBJECT) {
            return false;
        }
        String target = to.getInternalName();
        if (hierarchy.isInterface(target)) {
            return implementsInterface(from.getInternalName(), target);
        }
        return hierarchy.isSubclass(from.getInternalName(), target);
    }

    private boolean implementsInterface(String cls, String itf) {
        for (String c = cls; c != null; c = hierarchy.superName(c)) {
            if (c.equals(itf)) {
                return true;
            }
            for (String i : hierarchy.info(c).interfaces()) {
                if (implementsInterface(i, itf)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Lenient, as the JVM verifier: any reference may flow where an interface type is expected. */
    @Override
    protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
        Type expectedType = expected.getType();
        Type type = value.getType();
        switch (expectedType.getSort()) {
            case Type.INT:
            case Type.FLOAT:
            case Type.LONG:
            case Type.DOUBLE:
                return type.equals(expectedType);
            case Type.ARRAY:
            case Type.OBJECT:
                if (type.equals(NULL_TYPE)) {
                    return true;
                }
                if (type.getSort() != Type.OBJECT && type.getSort() != Type.ARRAY) {
                    return false;
                }
                if (isAssignableFrom(expectedType, type)) {
                    return true;
                }
                return expectedType.getSort() == Type.OBJECT && isInterface(expectedType);
            default:
                throw new AssertionError(expectedType);
        }
    }

    @Override
    protected Class<?> getClass(Type type) {
        throw new UnsupportedOperationException("the transformer never loads classes: " + type);
    }
}
