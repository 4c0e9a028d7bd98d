package io.jasyncio.transformer.internal;

import io.jasyncio.transformer.Transformer;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Awaits of methods that the transformer cannot call directly at build time, linked at run time instead
 * (docs/design.md, "Direct calls"): {@code await(Other.foo(args))}, {@code await(other.foo(args))} of a final or
 * overridable method, {@code await(this.foo(args))} of an overridable method. The creator call becomes an
 * {@code invokedynamic} of the same arguments and the awaiting body's task, bootstrapped by the runtime's
 * {@code Woven.awaitCall}: it calls foo's body directly where the method the JVM would run was woven for the same
 * protocol, and otherwise the creator followed by a generic await; both return the value or {@code SUSPENDED}, so
 * the code after the call is that of a direct call. Awaits of a static, private or final method of the same class
 * stay plain direct calls ({@link MethodWeaver}).
 */
final class DirectAwaits {
    /** The bootstrap: {@code Woven.awaitCall(Lookup, String, MethodType, String owner, int opcode)}. */
    static final Handle BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, Names.WOVEN, "awaitCall",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
                    + "Ljava/lang/String;I)Ljava/lang/invoke/CallSite;", false);

    private DirectAwaits() {
    }

    /**
     * Whether the creator {@code call} right before an {@code await(Coroutine)} is linked at run time: a static,
     * virtual or interface call of a method returning {@code Coroutine} exactly, not of the runtime's own classes
     * nor the JDK's (those are never woven; their awaits stay as they are). {@code super.foo()} calls
     * ({@code invokespecial}) stay generic.
     */
    static boolean canLink(MethodInsnNode call) {
        int op = call.getOpcode();
        if (op != Opcodes.INVOKESTATIC && op != Opcodes.INVOKEVIRTUAL && op != Opcodes.INVOKEINTERFACE) {
            return false;
        }
        return call.desc.endsWith(")" + Names.COROUTINE_DESC) && !call.name.startsWith("<")
                && !call.owner.startsWith("[") && !neverWoven(call.owner);
    }

    /** The runtime's own packages and the JDK's. */
    private static boolean neverWoven(String owner) {
        int slash = owner.lastIndexOf('/');
        String pkg = slash < 0 ? "" : owner.substring(0, slash);
        return pkg.equals("io/jasyncio") || pkg.equals("io/jasyncio/internal") || owner.startsWith("java/")
                || owner.startsWith("javax/") || owner.startsWith("jdk/") || owner.startsWith("sun/");
    }

    /**
     * Replaces the creator call: stack [..., (receiver,) args] → [..., value or SUSPENDED].
     *
     * @param call the creator call
     * @param taskSlot the body's task parameter
     * @return the instructions
     */
    static InsnList linkedCall(MethodInsnNode call, int taskSlot) {
        StringBuilder desc = new StringBuilder("(");
        if (call.getOpcode() != Opcodes.INVOKESTATIC) {
            desc.append(Type.getObjectType(call.owner).getDescriptor());
        }
        for (Type t : Type.getArgumentTypes(call.desc)) {
            desc.append(t.getDescriptor());
        }
        desc.append(Names.TASK_DESC).append(')').append(Names.OBJECT_DESC);
        InsnList c = new InsnList();
        c.add(new VarInsnNode(Opcodes.ALOAD, taskSlot));
        c.add(new InvokeDynamicInsnNode(call.name, desc.toString(), BOOTSTRAP, call.owner, call.getOpcode()));
        return c;
    }

    /**
     * The field by which the run-time linker knows a class woven for this protocol: synthetic, {@code static final
     * int}, private (public in an interface, where fields must be), its value the protocol.
     *
     * @param isInterface whether the woven class is an interface
     * @return the field
     */
    static FieldNode protocolField(boolean isInterface) {
        int access = Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC
                | (isInterface ? Opcodes.ACC_PUBLIC : Opcodes.ACC_PRIVATE);
        return new FieldNode(Opcodes.ASM9, access, Transformer.PROTOCOL_FIELD, "I", null, Transformer.PROTOCOL);
    }
}
