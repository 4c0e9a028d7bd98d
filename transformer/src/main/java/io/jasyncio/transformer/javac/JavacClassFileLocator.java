package io.jasyncio.transformer.javac;

import io.jasyncio.transformer.ClassFileLocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A {@link ClassFileLocator} backed by javac's own symbol table ({@link Elements}): the transformer only reads a
 * class's header (super class, interfaces, whether it is an interface) to merge types at branches, so this locator
 * answers with a header-only class file made from the {@link TypeElement} javac has for the name, whether javac
 * compiles the class from source in this run or read it from the class path or the platform. No class path is
 * scanned and no class file is read.
 *
 * <p>Local and anonymous classes have no name that {@link Elements#getTypeElement} accepts: the plugin registers
 * each class it sees generated ({@link #register}), and gives a fallback for the others (the class files javac
 * wrote).
 *
 * <p>Not thread-safe: used on javac's thread only.
 */
final class JavacClassFileLocator implements ClassFileLocator {
    private final Elements elements;
    private final ClassFileLocator fallback;
    private final Map<String, TypeElement> seen = new HashMap<>();

    /**
     * @param elements javac's elements
     * @param fallback asked for the classes javac has no symbol for by name
     */
    JavacClassFileLocator(Elements elements, ClassFileLocator fallback) {
        this.elements = elements;
        this.fallback = fallback;
    }

    /** Remembers a class that javac generates in this compilation (local and anonymous classes included). */
    void register(TypeElement type) {
        seen.put(internalName(type), type);
    }

    @Override
    public byte[] locate(String internalName) throws java.io.IOException {
        if (internalName.startsWith("[")) {
            return null;
        }
        TypeElement type = find(internalName);
        if (type == null) {
            return fallback.locate(internalName);
        }
        boolean isInterface = type.getKind().isInterface();
        int access = Opcodes.ACC_PUBLIC | (isInterface ? Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT : 0);
        String superName = superName(type);
        if (superName == null && isInterface) {
            superName = "java/lang/Object"; // as in an interface's class file
        }
        List<String> interfaces = new ArrayList<>();
        for (TypeMirror t : type.getInterfaces()) {
            TypeElement i = asElement(t);
            if (i != null) {
                interfaces.add(internalName(i));
            }
        }
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, access, internalName, null, superName, interfaces.toArray(new String[0]));
        cw.visitEnd();
        return cw.toByteArray();
    }

    private String superName(TypeElement type) {
        TypeElement s = asElement(type.getSuperclass());
        return s == null ? null : internalName(s);
    }

    private static TypeElement asElement(TypeMirror t) {
        if (t.getKind() != TypeKind.DECLARED) {
            return null;
        }
        Element e = ((DeclaredType) t).asElement();
        return e instanceof TypeElement ? (TypeElement) e : null;
    }

    private String internalName(TypeElement type) {
        return elements.getBinaryName(type).toString().replace('.', '/');
    }

    /**
     * The type of an internal name ({@code a/b/C$D}). Binary names and the canonical names that
     * {@link Elements#getTypeElement} takes differ at nested classes ({@code a.b.C$D} against {@code a.b.C.D}), and
     * a {@code $} may be part of a top-level class's name: every top-level prefix is tried, then its members
     * searched, and only an element whose binary name is the one asked for is taken.
     */
    private TypeElement find(String internalName) {
        TypeElement known = seen.get(internalName);
        if (known != null) {
            return known;
        }
        String binary = internalName.replace('/', '.');
        TypeElement direct = lookup(binary.replace('$', '.'), binary);
        if (direct != null) {
            return direct;
        }
        for (int i = binary.indexOf('$'); i >= 0; i = binary.indexOf('$', i + 1)) {
            TypeElement top = lookup(binary.substring(0, i), binary.substring(0, i));
            TypeElement member = top == null ? null : member(top, binary);
            if (member != null) {
                return member;
            }
        }
        return lookup(binary, binary);
    }

    /** The type named {@code canonical} if its binary name is {@code binary}, in any module. */
    private TypeElement lookup(String canonical, String binary) {
        TypeElement t = elements.getTypeElement(canonical);
        if (t != null && elements.getBinaryName(t).contentEquals(binary)) {
            return t;
        }
        if (t == null) { // ambiguous (in several modules) or not there: ask each module
            for (ModuleElement m : elements.getAllModuleElements()) {
                TypeElement u = elements.getTypeElement(m, canonical);
                if (u != null && elements.getBinaryName(u).contentEquals(binary)) {
                    return u;
                }
            }
        }
        return null;
    }

    private TypeElement member(TypeElement outer, String binary) {
        for (Element e : outer.getEnclosedElements()) {
            if (e instanceof TypeElement && e.getKind() != ElementKind.OTHER) {
                TypeElement t = (TypeElement) e;
                String name = elements.getBinaryName(t).toString();
                if (name.equals(binary)) {
                    return t;
                }
                if (binary.startsWith(name + "$")) {
                    TypeElement deeper = member(t, binary);
                    if (deeper != null) {
                        return deeper;
                    }
                }
            }
        }
        return null;
    }
}
