package io.jasyncio.transformer.internal;

import io.jasyncio.transformer.ClassFileLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Super classes and interface flags of classes, read from class file headers found by a {@link ClassFileLocator}
 * (classes are never loaded). Answers the two questions of frame computation: is a type an interface, and what is
 * the common super class of two types.
 */
final class Hierarchy {
    /** Header facts of one class. */
    record Info(String superName, boolean isInterface, String[] interfaces) {
    }

    /** A class needed to weave was not found by the locator. */
    static final class MissingClassException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String internalName;

        MissingClassException(String internalName) {
            super(Rules.missingClass(internalName.replace('/', '.')));
            this.internalName = internalName;
        }
    }

    private final ClassFileLocator locator;
    private final ClassHeaders shared;
    /** The class being woven: its bytes may not be visible to the locator yet, and its facts stay with it. */
    private String own;
    private Info ownInfo;

    Hierarchy(ClassFileLocator locator, ClassHeaders shared) {
        this.locator = locator;
        this.shared = shared;
    }

    /** Registers the class that is being woven (its bytes may not be visible to the locator yet). */
    void add(String name, String superName, boolean isInterface, String[] interfaces) {
        own = name;
        ownInfo = new Info(superName, isInterface, interfaces);
    }

    Info info(String internalName) {
        if (internalName.equals(own)) {
            return ownInfo;
        }
        Info info = shared.located.get(internalName);
        if (info != null) {
            return info;
        }
        byte[] bytes;
        try {
            bytes = locator.locate(internalName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class file of " + internalName, e);
        }
        if (bytes == null) {
            throw new MissingClassException(internalName);
        }
        ClassReader cr = new ClassReader(bytes);
        info = new Info(cr.getSuperName(), (cr.getAccess() & Opcodes.ACC_INTERFACE) != 0, cr.getInterfaces());
        shared.located.put(internalName, info);
        return info;
    }

    boolean isInterface(String internalName) {
        return info(internalName).isInterface();
    }

    /** {@return the super class, or {@code null} for java/lang/Object and interfaces' lack of one} */
    String superName(String internalName) {
        return info(internalName).superName();
    }

    /** Whether {@code sub} is {@code sup} or a subclass of it (classes only; interfaces are not consulted). */
    boolean isSubclass(String sub, String sup) {
        for (String c = sub; c != null; c = superName(c)) {
            if (c.equals(sup)) {
                return true;
            }
        }
        return false;
    }

    /** The common super class of two classes, as the JVM verifier merges them: an interface merges to Object. */
    String commonSuperClass(String a, String b) {
        if (a.equals(b)) {
            return a;
        }
        if (isInterface(a) || isInterface(b)) {
            return Names.OBJECT;
        }
        for (String c = a; c != null; c = superName(c)) {
            if (isSubclass(b, c)) {
                return c;
            }
        }
        return Names.OBJECT;
    }
}
