package io.jasyncio.transformer.internal;

import io.jasyncio.transformer.ClassFileLocator;
import io.jasyncio.transformer.Problem;
import io.jasyncio.transformer.TransformException;
import io.jasyncio.transformer.TransformResult;
import io.jasyncio.transformer.Transformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Weaves one class: finds its coroutine methods ({@code @Async} methods, and lambda bodies that return
 * {@code Coroutine} and await), checks every rule that fails the build, rewrites each method with
 * {@link MethodWeaver}, and writes the class with a {@link Transformer#WOVEN_MARKER} and one frame class per
 * method.
 */
public final class ClassWeaver {
    private final byte[] classFile;
    private final Hierarchy hierarchy;
    private final List<Problem> problems = new ArrayList<>();
    private ClassNode cn;

    /**
     * Prepares to weave {@code classFile}.
     *
     * @param classFile the class file
     * @param locator finds other classes for common super types
     */
    public ClassWeaver(byte[] classFile, ClassFileLocator locator) {
        this(classFile, locator, new ClassHeaders());
    }

    /**
     * Prepares to weave {@code classFile}, with the facts of other classes that earlier weavings through the same
     * {@code locator} read.
     *
     * @param classFile the class file
     * @param locator finds other classes for common super types
     * @param headers what was read through {@code locator} (one per locator)
     */
    public ClassWeaver(byte[] classFile, ClassFileLocator locator, ClassHeaders headers) {
        this.classFile = classFile;
        this.hierarchy = new Hierarchy(locator, headers);
    }

    /**
     * The internal name of the class in {@code classFile}.
     *
     * @param classFile a class file
     * @return its internal name, or {@code null} if the bytes are not a readable class file
     */
    public static String className(byte[] classFile) {
        return ClassFileHeader.className(classFile);
    }

    /**
     * Weaves the class.
     *
     * @return the result
     * @throws TransformException if the class breaks a rule or cannot be woven
     */
    public TransformResult weave() throws TransformException {
        // The header is checked before ASM reads anything: ASM throws its own raw errors on what it cannot read.
        int version = ClassFileHeader.majorVersion(classFile);
        String name = ClassFileHeader.className(classFile);
        String binaryName = name == null ? "(unknown class)" : name.replace('/', '.');
        if (version < 0 || name == null) {
            throw new TransformException(List.of(new Problem(binaryName, null, null, -1,
                    Rules.notAClassFile(classFile.length))));
        }
        if (version > Rules.MAX_VERSION) {
            throw new TransformException(List.of(new Problem(binaryName, null, null, -1,
                    Rules.newerThanSupported(version))));
        }
        if (ClassFileHeader.wovenProtocol(classFile, Transformer.WOVEN_MARKER) == Transformer.PROTOCOL) {
            // Woven already, for this protocol: decided from the class's attributes, without parsing its code.
            return new TransformResult(name, false, classFile, List.of());
        }
        cn = new ClassNode();
        try {
            new ClassReader(classFile).accept(cn, 0);
        } catch (RuntimeException e) { // a truncated or corrupt class file: ASM's own exceptions say little
            throw new TransformException(new Problem(binaryName, null, null, -1, Rules.malformed(e)), e);
        }
        int protocol = wovenProtocol();
        if (protocol == Transformer.PROTOCOL) {
            return new TransformResult(cn.name, false, classFile, List.of());
        }
        if (protocol > 0) {
            throw new TransformException(List.of(new Problem(cn.name.replace('/', '.'), null, cn.sourceFile, -1,
                    Rules.wovenForAnotherProtocol(protocol, Transformer.PROTOCOL))));
        }
        boolean isInterface = (cn.access & Opcodes.ACC_INTERFACE) != 0;
        hierarchy.add(cn.name, cn.superName, isInterface, cn.interfaces.toArray(new String[0]));

        List<MethodNode> coroutines = new ArrayList<>();
        for (MethodNode m : cn.methods) {
            if (classify(m)) {
                coroutines.add(m);
            }
        }
        if (coroutines.isEmpty() && problems.isEmpty()) {
            return new TransformResult(cn.name, false, classFile, List.of());
        }
        // Problems found so far do not stop here: weaving the other methods finds theirs, all reported at once.
        if (version < Rules.MIN_VERSION && !coroutines.isEmpty()) {
            throw new TransformException(List.of(problem(coroutines.get(0), -1, Rules.olderThanJava8(version))));
        }

        Map<String, Integer> sameName = new HashMap<>();
        for (MethodNode m : coroutines) {
            sameName.merge(m.name, 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<MethodNode, String> frameClasses = new HashMap<>();
        Map<String, MethodWeaver.DirectTarget> directTargets = new HashMap<>();
        for (MethodNode m : coroutines) {
            int k = seen.merge(m.name, 1, Integer::sum);
            String frameClass = cn.name + Transformer.FRAME_CLASS_INFIX + m.name
                    + (sameName.get(m.name) > 1 ? "$" + k : "");
            frameClasses.put(m, frameClass);
            boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
            boolean overridable = (m.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL)) == 0
                    && (cn.access & Opcodes.ACC_FINAL) == 0;
            if (isStatic || (!isInterface && !overridable)) { // an await of it can call its body with no frame
                directTargets.put(m.name + m.desc, new MethodWeaver.DirectTarget(Names.BODY_PREFIX + m.name,
                        MethodWeaver.bodyDesc(cn.name, m, frameClass), isStatic));
            }
        }
        List<TransformResult.GeneratedClass> generated = new ArrayList<>();
        Map<MethodNode, MethodNode> bodies = new LinkedHashMap<>(); // @Async method -> its body, in order
        Set<String> bodyNames = new HashSet<>();
        for (MethodNode m : coroutines) {
            String frameClass = frameClasses.get(m);
            String methodName = m.name;
            TypeInterpreter interpreter = new TypeInterpreter(hierarchy, Type.getObjectType(cn.name),
                    cn.superName == null ? null : Type.getObjectType(cn.superName), interfaceTypes(), isInterface);
            MethodWeaver weaver = new MethodWeaver(cn.name, isInterface, m, interpreter, frameClass, directTargets);
            Map<AbstractInsnNode, String> found = new LinkedHashMap<>();
            MethodNode body;
            try {
                body = weaver.weave(found);
            } catch (AnalyzerException e) {
                int line = e.node == null ? -1 : MethodWeaver.lineOf(e.node, -1);
                // ASM's Analyzer wraps what the interpreter throws as "Error at instruction N: ...": unwrap it
                problems.add(problem(m, line, e.getCause() instanceof Hierarchy.MissingClassException
                        ? e.getCause().getMessage() : Rules.cannotAnalyse(e.getMessage())));
                continue;
            } catch (Hierarchy.MissingClassException e) {
                problems.add(problem(m, -1, e.getMessage()));
                continue;
            }
            for (Map.Entry<AbstractInsnNode, String> p : found.entrySet()) {
                problems.add(problem(m, MethodWeaver.lineOf(p.getKey(), -1), p.getValue()));
            }
            if (body == null) {
                continue;
            }
            if (!bodyNames.add(body.name + body.desc) || hasMethod(body.name, body.desc)) {
                problems.add(problem(m, -1, Rules.bodyNameTaken(body.name)));
                continue;
            }
            bodies.put(m, body);
            generated.add(new TransformResult.GeneratedClass(frameClass, FrameClassGenerator.generate(version,
                    frameClass, cn.name, isInterface, cn.sourceFile, methodName, weaver.bodyName(), weaver.bodyDesc(),
                    weaver.fields(), weaver.lines())));
        }
        if (!problems.isEmpty()) {
            throw new TransformException(problems);
        }
        Set<MethodNode> rewritten = new HashSet<>(coroutines); // their creators, and the bodies after them
        rewritten.addAll(bodies.values());
        cn.methods.addAll(bodies.values());
        if (cn.invisibleAnnotations == null) {
            cn.invisibleAnnotations = new ArrayList<>();
        }
        if (hasField(Transformer.PROTOCOL_FIELD)) {
            throw new TransformException(List.of(new Problem(binaryName, null, cn.sourceFile, -1,
                    Rules.protocolFieldTaken(Transformer.PROTOCOL_FIELD))));
        }
        cn.fields.add(DirectAwaits.protocolField(isInterface)); // what the run-time linker of direct calls checks
        AnnotationNode marker = new AnnotationNode(Transformer.WOVEN_MARKER);
        marker.values = new ArrayList<>(List.of("protocol", Transformer.PROTOCOL));
        cn.invisibleAnnotations.add(marker);
        List<WovenClassWriter.Failure> failures = new ArrayList<>();
        byte[] woven;
        try {
            woven = WovenClassWriter.write(cn, rewritten, hierarchy, failures);
        } catch (ClassTooLargeException x) {
            throw new TransformException(List.of(new Problem(binaryName, null, cn.sourceFile, -1,
                    Rules.classTooLarge(x.getConstantPoolCount()))));
        }
        for (WovenClassWriter.Failure f : failures) {
            MethodNode m = asyncMethodOf(f.method(), bodies);
            if (f.cause() instanceof MethodTooLargeException x) {
                problems.add(problem(m, firstLine(m), Rules.methodTooLarge(x.getCodeSize(),
                        codeLength(classFile, m.name, m.desc))));
            } else {
                problems.add(problem(m, -1, f.cause().getMessage()));
            }
        }
        if (woven == null) {
            throw new TransformException(problems);
        }
        return new TransformResult(cn.name, true, woven, List.copyOf(generated));
    }

    /**
     * Decides whether {@code m} is a coroutine method, recording the rules it breaks.
     *
     * @return whether to weave it
     */
    private boolean classify(MethodNode m) {
        if ((m.access & Opcodes.ACC_BRIDGE) != 0) {
            // javac's bridge of a generic or covariant override: a plain delegation to the real method, onto which
            // javac copies the annotations (@Async too). It is left as it is: it calls the woven creator.
            return false;
        }
        boolean annotated = hasAsyncAnnotation(m);
        MethodInsnNode await = firstCall(m, true);
        MethodInsnNode done = firstCall(m, false);
        boolean returnsCoroutine = Type.getReturnType(m.desc).getDescriptor().equals(Names.COROUTINE_DESC);
        boolean lambda = (m.access & Opcodes.ACC_SYNTHETIC) != 0 && m.name.startsWith("lambda$") && returnsCoroutine
                && (await != null || done != null);
        if (annotated) {
            String what = m.name.equals("<init>") ? "a constructor" : m.name.equals("<clinit>") ? "a static initializer"
                    : (m.access & Opcodes.ACC_ABSTRACT) != 0 ? "an abstract method"
                    : (m.access & Opcodes.ACC_NATIVE) != 0 ? "a native method" : null;
            if (what != null) {
                problems.add(problem(m, firstLine(m), Rules.asyncCannotBeOn(what)));
                return false;
            }
            if (!returnsCoroutine) {
                problems.add(problem(m, firstLine(m),
                        Rules.mustReturnCoroutine(Type.getReturnType(m.desc).getClassName())));
                return false;
            }
            if ((m.access & Opcodes.ACC_SYNCHRONIZED) != 0 && await != null) {
                problems.add(problem(m, MethodWeaver.lineOf(await, firstLine(m)), Rules.awaitInSynchronized(true)));
                return false;
            }
            if (hasJsr(m)) {
                problems.add(problem(m, firstLine(m), Rules.jsrNotSupported()));
                return false;
            }
            return fitsTheBody(m);
        }
        if (lambda) {
            return fitsTheBody(m);
        }
        if (await != null) {
            problems.add(problem(m, MethodWeaver.lineOf(await, firstLine(m)), Rules.awaitOutsideAsync()));
        } else if (done != null) {
            problems.add(problem(m, MethodWeaver.lineOf(done, firstLine(m)), Rules.doneOutsideAsync()));
        }
        return false;
    }

    /**
     * Whether the woven body's descriptor stays within the JVM's 255 parameter slots (JVMS 4.3.3: {@code this}
     * counts one, {@code long} and {@code double} two): the body takes the method's parameters, {@code this}
     * first, and {@link Names#BODY_PARAMS} more. Records the problem if not.
     */
    private boolean fitsTheBody(MethodNode m) {
        int slots = (Type.getArgumentsAndReturnSizes(m.desc) >> 2) - ((m.access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
        if (slots <= Rules.MAX_PARAMETER_SLOTS - Names.BODY_PARAMS) {
            return true;
        }
        problems.add(problem(m, firstLine(m), Rules.tooManyParameterSlots(slots, Names.BODY_PARAMS)));
        return false;
    }

    /** {@return the protocol of the class's woven marker (1 for a marker without one), or 0 if not woven} */
    private int wovenProtocol() {
        if (cn.invisibleAnnotations != null) {
            for (AnnotationNode a : cn.invisibleAnnotations) {
                if (a.desc.equals(Transformer.WOVEN_MARKER)) {
                    if (a.values != null) {
                        for (int i = 0; i + 1 < a.values.size(); i += 2) {
                            if ("protocol".equals(a.values.get(i)) && a.values.get(i + 1) instanceof Integer) {
                                return (Integer) a.values.get(i + 1);
                            }
                        }
                    }
                    return 1;
                }
            }
        }
        return 0;
    }

    private static boolean hasAsyncAnnotation(MethodNode m) {
        for (List<AnnotationNode> list : List.of(nonNull(m.invisibleAnnotations), nonNull(m.visibleAnnotations))) {
            for (AnnotationNode a : list) {
                if (a.desc.equals(Names.ASYNC_ANNOTATION)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<AnnotationNode> nonNull(List<AnnotationNode> l) {
        return l == null ? List.of() : l;
    }

    private static MethodInsnNode firstCall(MethodNode m, boolean await) {
        for (AbstractInsnNode n : m.instructions) {
            if (n.getOpcode() == Opcodes.INVOKESTATIC) {
                MethodInsnNode call = (MethodInsnNode) n;
                if (await ? Names.isAwait(call.owner, call.name) : Names.isDone(call.owner, call.name)) {
                    return call;
                }
            }
        }
        return null;
    }

    /** {@return the {@code @Async} method whose body {@code m} is, or {@code m} itself (a creator)} */
    private static MethodNode asyncMethodOf(MethodNode m, Map<MethodNode, MethodNode> bodies) {
        for (Map.Entry<MethodNode, MethodNode> e : bodies.entrySet()) {
            if (e.getValue() == m) {
                return e.getKey();
            }
        }
        return m;
    }

    private static boolean hasJsr(MethodNode m) {
        for (AbstractInsnNode n : m.instructions) {
            if (n.getOpcode() == Opcodes.JSR || n.getOpcode() == Opcodes.RET) {
                return true;
            }
        }
        return false;
    }

    /** {@return the length of the code of method {@code name desc} in a class file, or -1} */
    private static int codeLength(byte[] classFile, String name, String desc) {
        ClassReader r = new ClassReader(classFile);
        char[] buf = new char[r.getMaxStringLength()];
        int p = r.header + 6;
        p += 2 + 2 * r.readUnsignedShort(p); // interfaces
        for (int pass = 0; pass < 2; pass++) { // the fields, then the methods: access, name, descriptor, attributes
            int count = r.readUnsignedShort(p);
            p += 2;
            for (int i = 0; i < count; i++) {
                boolean wanted = pass == 1 && r.readUTF8(p + 2, buf).equals(name) && r.readUTF8(p + 4, buf).equals(desc);
                int attributes = r.readUnsignedShort(p + 6);
                p += 8;
                for (int a = 0; a < attributes; a++) {
                    if (wanted && r.readUTF8(p, buf).equals("Code")) {
                        return r.readInt(p + 10); // after the name, length, max_stack and max_locals
                    }
                    p += 6 + r.readInt(p + 2);
                }
            }
        }
        return -1;
    }

    private boolean hasField(String name) {
        return cn.fields.stream().anyMatch(f -> f.name.equals(name));
    }

    private boolean hasMethod(String name, String desc) {
        for (MethodNode m : cn.methods) {
            if (m.name.equals(name) && m.desc.equals(desc)) {
                return true;
            }
        }
        return false;
    }

    private List<Type> interfaceTypes() {
        List<Type> types = new ArrayList<>();
        for (String i : cn.interfaces) {
            types.add(Type.getObjectType(i));
        }
        return types;
    }

    private static int firstLine(MethodNode m) {
        for (AbstractInsnNode n : m.instructions) {
            if (n instanceof org.objectweb.asm.tree.LineNumberNode) {
                return ((org.objectweb.asm.tree.LineNumberNode) n).line;
            }
        }
        return -1;
    }

    private Problem problem(MethodNode m, int line, String message) {
        return new Problem(cn.name.replace('/', '.'), m.name + m.desc, cn.sourceFile, line, message);
    }
}
