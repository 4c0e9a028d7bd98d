package io.jasyncio.transformer.internal;

import org.objectweb.asm.Opcodes;

/**
 * Every rule that fails the build, with its message: the one place to read what the transformer refuses and
 * what it tells the user to do. The passes decide whether a rule is broken (the pass named with each rule); the
 * words are here, so that the same rule is never worded twice. A message names no class, method or line: the
 * {@link io.jasyncio.transformer.Problem} it goes into does.
 *
 * <p>In the order the passes meet them: the class file ({@link ClassWeaver#weave}, before ASM reads it), the
 * methods' declarations ({@code ClassWeaver.classify}), the analysis of a body ({@link MethodWeaver},
 * {@link NewRelocator}, {@link TypeInterpreter}, {@link Hierarchy}), the emission (the JVM's limits, when the
 * woven class is written).
 */
final class Rules {
    /** Class file versions accepted: Java 8 to Java 25. */
    static final int MIN_VERSION = Opcodes.V1_8;
    /** The newest class file version the transformer reads (Java 25). */
    static final int MAX_VERSION = Opcodes.V25;
    /** The most parameter slots a method descriptor may have (JVMS 4.3.3). */
    static final int MAX_PARAMETER_SLOTS = 255;
    /** The most bytes of code a method may have (JVMS 4.7.3). */
    static final int MAX_CODE_LENGTH = 65535;

    private static final String KEEPS_THE_MONITOR = " would hold the monitor across the suspension; use"
            + " io.jasyncio.Lock instead";

    private Rules() {
    }

    // ---- the class file (ClassWeaver, before parsing) ----------------------------------------------------

    /** Bytes that mention jasyncio but do not start as a class file. */
    static String notAClassFile(int length) {
        return "not a valid class file (" + length + " bytes that do not start as one); it mentions jasyncio, so it"
                + " cannot be passed through unwoven";
    }

    /** A class file newer than {@link #MAX_VERSION} that mentions jasyncio. */
    static String newerThanSupported(int version) {
        return "class file version " + version + " (Java " + (version - 44) + ") is newer than the jasyncio"
                + " transformer supports (up to Java 25, version " + MAX_VERSION + ")";
    }

    /** ASM could not read the class file. */
    static String malformed(RuntimeException e) {
        return "the class file is malformed and cannot be read (" + e + ")";
    }

    /** The class carries the woven marker of another protocol: its original code is gone. */
    static String wovenForAnotherProtocol(int protocol, int ours) {
        return "the class was woven by another version of jasyncio (woven-code protocol " + protocol
                + "; this transformer writes " + ours + ") and cannot be woven again: recompile it from source (with"
                + " Maven: mvn clean)";
    }

    /** A class older than {@link #MIN_VERSION} has coroutines. */
    static String olderThanJava8(int version) {
        return "class file version " + version + " is older than Java 8; compile with --release 8 or newer to use"
                + " jasyncio";
    }

    // ---- the methods' declarations (ClassWeaver.classify) ------------------------------------------------

    /** {@code @Async} on a constructor, static initializer, abstract or native method ({@code what}). */
    static String asyncCannotBeOn(String what) {
        return "@Async cannot be put on " + what + "; only concrete methods returning Coroutine can be coroutines";
    }

    /** An {@code @Async} method that does not return {@code Coroutine}. */
    static String mustReturnCoroutine(String returnType) {
        return "an @Async method must return io.jasyncio.Coroutine, not " + returnType;
    }

    /** {@code await} in a {@code synchronized} method ({@code method}) or block (found by the analysis). */
    static String awaitInSynchronized(boolean method) {
        return "await() inside a synchronized " + (method ? "method" : "block") + KEEPS_THE_MONITOR;
    }

    /** JSR/RET subroutines (class files before Java 6) in a coroutine. */
    static String jsrNotSupported() {
        return "JSR/RET subroutines (class files before Java 6) are not supported; recompile with --release 8 or newer";
    }

    /** {@code await} in a method that is not a coroutine. */
    static String awaitOutsideAsync() {
        return "await() can only be used in an @Async method (or a lambda returning Coroutine); annotate the method"
                + " with @io.jasyncio.annotations.Async and make it return Coroutine<T>";
    }

    /** {@code done} in a method that is not a coroutine. */
    static String doneOutsideAsync() {
        return "done() can only be used in an @Async method (or a lambda returning Coroutine), as 'return"
                + " done(value);'";
    }

    /** A coroutine whose body would pass the JVM's {@link #MAX_PARAMETER_SLOTS}. */
    static String tooManyParameterSlots(int slots, int bodyParams) {
        return "the method has " + slots + " parameter slots ('this' counts one, long and double two); its woven"
                + " body takes " + bodyParams + " more (frame, value, exception, task), past the JVM's limit of "
                + MAX_PARAMETER_SLOTS + ": give it at most " + (MAX_PARAMETER_SLOTS - bodyParams) + " (pass some"
                + " arguments together, in a record or an array)";
    }

    /** The class already has a method with the name the woven body would get. */
    static String bodyNameTaken(String name) {
        return "the class already has a method named " + name;
    }

    static String protocolFieldTaken(String name) {
        return "the class already has a field named " + name + ", which jasyncio declares in every class it weaves";
    }

    // ---- the analysis of a body (MethodWeaver, NewRelocator, TypeInterpreter, Hierarchy) ------------------

    /** ASM's analyzer failed on the method for another reason than a missing class. */
    static String cannotAnalyse(String message) {
        return "cannot analyse the method: " + message;
    }

    /** A coroutine returns something else than {@code done(...)} (TypeInterpreter). */
    static String mustReturnDone(String what) {
        return "an @Async method must return done(value) or done(), not " + what + "; to return another coroutine's"
                + " result write 'return done(await(coroutine))'";
    }

    /** The value of {@code done(...)} is used otherwise than returned (TypeInterpreter). */
    static String doneValueUsed() {
        return "the value of done(...) can only be returned ('return done(value);'), not used";
    }

    /** A {@code new} whose constructor arguments await is not in javac's NEW/DUP/init shape (NewRelocator). */
    static String newNotInJavacShape(String className) {
        return "cannot weave 'new " + className + "(...)' whose arguments await: the bytecode is not in javac's"
                + " NEW/DUP/<init> shape";
    }

    /** A class needed for a type merge or frame is not on the transformer's path (Hierarchy). */
    static String missingClass(String binaryName) {
        return "class " + binaryName + " is needed to weave this method but was not found on the classpath given"
                + " to the transformer";
    }

    // ---- the emission (ClassWeaver, writing) ---------------------------------------------------------------

    /** The woven body passes {@link #MAX_CODE_LENGTH}. */
    static String methodTooLarge(int codeSize, int before) {
        return "woven, the method would have " + codeSize + " bytes of code, more than the " + MAX_CODE_LENGTH
                + " the JVM allows in one method (" + before + " bytes before weaving: each await adds the code that"
                + " saves and restores what is live there); split it into smaller @Async methods";
    }

    /** The woven class passes the constant pool's 65535 entries. */
    static String classTooLarge(int constantPoolCount) {
        return "woven, the class would need " + constantPoolCount + " constant pool entries, more than the 65535 the"
                + " JVM allows; split it into smaller classes";
    }
}
