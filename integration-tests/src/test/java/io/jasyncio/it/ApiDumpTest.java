package io.jasyncio.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The public API of each published module, compared with its checked-in dump ({@code MODULE/api/ARTIFACT.api}, as
 * kotlinx.coroutines' binary-compatibility validator keeps {@code .api} files): every public or protected class,
 * field and method of the module's own classes (erased descriptors, so a change that breaks binary compatibility
 * shows), read from {@code target/classes}. A change to the API fails this test until the dump is updated in the
 * same commit:
 *
 * <pre>
 * mvn -B verify -pl integration-tests -Dinvoker.skip=true -Dtest=ApiDumpTest -Djasyncio.api.update=true
 * </pre>
 */
class ApiDumpTest {
    /** Module directory → artifact id, for every published module. */
    private static final Map<String, String> PUBLISHED = Map.of(
            "annotations", "jasyncio-annotations",
            "runtime", "jasyncio-runtime",
            "transformer", "jasyncio-transformer",
            "maven-plugin", "jasyncio-maven-plugin",
            "junit", "jasyncio-junit");

    @Test
    void thePublicApiOfEachPublishedModuleIsTheCheckedInDump() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent();
        boolean update = Boolean.getBoolean("jasyncio.api.update");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> m : new TreeMap<>(PUBLISHED).entrySet()) {
            Path classes = root.resolve(m.getKey()).resolve("target/classes");
            assertTrue(Files.isDirectory(classes), classes + " is not built");
            String actual = dump(classes);
            Path file = root.resolve(m.getKey()).resolve("api").resolve(m.getValue() + ".api");
            if (update) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                continue;
            }
            String expected = Files.exists(file) ? Files.readString(file) : "";
            if (!expected.equals(actual)) {
                problems.add(root.relativize(file) + " differs from the API of " + m.getKey() + ":\n"
                        + diff(expected, actual));
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\nIf the change is meant, update the dumps in the same commit: mvn -B "
                    + "verify -pl integration-tests -Dinvoker.skip=true -Dtest=ApiDumpTest -Djasyncio.api.update=true");
        }
    }

    /** The dump's own rules: a public class is listed, a package-private one is not, synthetic members are not. */
    @Test
    void theDumpListsWhatUsersCanReachOnly() throws IOException {
        String runtime = dump(Path.of(System.getProperty("user.dir")).getParent().resolve("runtime/target/classes"));
        assertTrue(runtime.contains("public final class io/jasyncio/AsyncProcess {"), "AsyncProcess is listed");
        assertTrue(runtime.contains("\tpublic fun communicate ([B)Lio/jasyncio/Coroutine;"), "a method with its descriptor");
        assertTrue(!runtime.contains("io/jasyncio/Signals {"), "a package-private class is not listed");
        assertTrue(!runtime.contains("lambda$"), "synthetic methods are not listed");
    }

    /** {@return the API of the classes under {@code dir}, one block per class, sorted} */
    static String dump(Path dir) throws IOException {
        Map<String, ClassNode> classes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                ClassNode cn = new ClassNode();
                try (InputStream in = Files.newInputStream(p)) {
                    new ClassReader(in).accept(cn, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG);
                }
                classes.put(cn.name, cn);
            }
        }
        StringBuilder out = new StringBuilder();
        for (ClassNode cn : classes.values()) {
            if (!reachable(cn, classes)) {
                continue;
            }
            out.append(classHeader(cn)).append(" {\n");
            Set<String> members = new java.util.TreeSet<>();
            for (FieldNode f : cn.fields) {
                if (visible(f.access) && (f.access & Opcodes.ACC_SYNTHETIC) == 0) {
                    members.add("\t" + modifiers(f.access, false) + "field " + f.name + " " + f.desc);
                }
            }
            for (MethodNode mn : cn.methods) {
                if (visible(mn.access) && (mn.access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) == 0) {
                    members.add("\t" + modifiers(mn.access, (cn.access & Opcodes.ACC_INTERFACE) != 0) + "fun "
                            + mn.name + " " + mn.desc);
                }
            }
            for (String m : members) {
                out.append(m).append('\n');
            }
            out.append("}\n\n");
        }
        return out.toString();
    }

    /** A class users can name: public (or protected, if nested) and, if nested, in a class they can name. */
    private static boolean reachable(ClassNode cn, Map<String, ClassNode> classes) {
        if (cn.name.endsWith("module-info") || cn.name.endsWith("package-info")) {
            return false;
        }
        int access = cn.access;
        for (InnerClassNode ic : cn.innerClasses) {
            if (ic.name.equals(cn.name)) {
                access = ic.access; // a nested class's real modifiers are in its InnerClasses entry
                if (ic.outerName == null) {
                    return false; // local or anonymous
                }
                ClassNode outer = classes.get(ic.outerName);
                if (outer == null || !reachable(outer, classes)) {
                    return false;
                }
            }
        }
        return visible(access) && (access & Opcodes.ACC_SYNTHETIC) == 0;
    }

    private static boolean visible(int access) {
        return (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0;
    }

    private static String classHeader(ClassNode cn) {
        int access = cn.access;
        for (InnerClassNode ic : cn.innerClasses) {
            if (ic.name.equals(cn.name)) {
                access = ic.access;
            }
        }
        String kind;
        if ((access & Opcodes.ACC_ANNOTATION) != 0) {
            kind = "annotation class";
        } else if ((access & Opcodes.ACC_INTERFACE) != 0) {
            kind = "interface";
        } else if ((access & Opcodes.ACC_ENUM) != 0) {
            kind = "enum class";
        } else if ("java/lang/Record".equals(cn.superName)) {
            kind = "record class";
        } else {
            kind = "class";
        }
        boolean iface = (access & Opcodes.ACC_INTERFACE) != 0;
        StringBuilder b = new StringBuilder(modifiers(access & ~(iface ? Opcodes.ACC_ABSTRACT : 0), false))
                .append(kind).append(' ').append(cn.name);
        Set<String> supers = new LinkedHashSet<>();
        if (cn.superName != null && !cn.superName.equals("java/lang/Object") && !iface) {
            supers.add(cn.superName);
        }
        supers.addAll(cn.interfaces);
        supers.remove("java/lang/annotation/Annotation");
        if (!supers.isEmpty()) {
            b.append(" : ").append(String.join(", ", supers));
        }
        if (cn.permittedSubclasses != null && !cn.permittedSubclasses.isEmpty()) {
            b.append(" permits ").append(String.join(", ", cn.permittedSubclasses));
        }
        return b.toString();
    }

    private static String modifiers(int access, boolean inInterface) {
        StringBuilder b = new StringBuilder();
        b.append((access & Opcodes.ACC_PUBLIC) != 0 ? "public " : "protected ");
        if ((access & Opcodes.ACC_STATIC) != 0) {
            b.append("static ");
        }
        if ((access & Opcodes.ACC_FINAL) != 0) {
            b.append("final ");
        }
        if ((access & Opcodes.ACC_ABSTRACT) != 0 && !inInterface) {
            b.append("abstract ");
        }
        if (inInterface && (access & Opcodes.ACC_ABSTRACT) == 0 && (access & Opcodes.ACC_STATIC) == 0) {
            b.append("default ");
        }
        return b.toString();
    }

    /** The lines only in one of the two texts, each prefixed with - (expected) or + (actual). */
    private static String diff(String expected, String actual) {
        List<String> e = List.of(expected.split("\n"));
        List<String> a = List.of(actual.split("\n"));
        StringBuilder b = new StringBuilder();
        String owner = null;
        for (String line : e) {
            if (!line.startsWith("\t")) {
                owner = line;
            }
            if (!a.contains(line)) {
                b.append("  - ").append(line.startsWith("\t") ? owner + " :: " + line.strip() : line).append('\n');
            }
        }
        for (String line : a) {
            if (!line.startsWith("\t")) {
                owner = line;
            }
            if (!e.contains(line)) {
                b.append("  + ").append(line.startsWith("\t") ? owner + " :: " + line.strip() : line).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8).length > 20_000 ? b.substring(0, 20_000) + "..." : b.toString();
    }
}
