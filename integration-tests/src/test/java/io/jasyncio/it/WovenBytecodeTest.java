package io.jasyncio.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.CheckClassAdapter;

/** What jasyncio-maven-plugin wrote into this module's target/test-classes, checked as bytecode. */
class WovenBytecodeTest {
    private static final Path CLASSES = Path.of("target/test-classes");

    private static List<Path> wovenOrGenerated() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            List<Path> found = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().collect(Collectors.toList())) {
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                if (p.getFileName().toString().contains("$$Async$") || text.contains("WovenByJasyncio")) {
                    found.add(p);
                }
            }
            return found;
        }
    }

    @Test
    void everyWovenAndFrameClass_passesCheckClassAdapter() throws IOException {
        List<Path> classes = wovenOrGenerated();
        assertTrue(classes.size() > 40, "expected the suite's classes to be woven, found " + classes);
        for (Path p : classes) {
            StringWriter report = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(Files.readAllBytes(p)), getClass().getClassLoader(), false,
                    new PrintWriter(report));
            assertEquals("", report.toString(), "CheckClassAdapter on " + p);
        }
    }

    private static ClassNode read(String name) throws IOException {
        ClassNode cn = new ClassNode();
        new ClassReader(Files.readAllBytes(CLASSES.resolve(name))).accept(cn, 0);
        return cn;
    }

    private static MethodNode method(ClassNode cn, String name) {
        return cn.methods.stream().filter(m -> m.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no method " + name + " in " + cn.name));
    }

    @Test
    void body_keepsLineNumbersAndLocalVariableNames() throws IOException {
        ClassNode cn = read("io/jasyncio/it/Constructs.class");
        MethodNode body = method(cn, "async$primitives");
        TreeSet<String> names = new TreeSet<>();
        for (LocalVariableNode v : body.localVariables) {
            names.add(v.name);
        }
        assertTrue(names.containsAll(List.of("this", "suspend", "z", "b", "c", "s", "i", "j", "f", "d")), names.toString());
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/jasyncio/it/Constructs.java"));
        TreeSet<Integer> lines = new TreeSet<>();
        body.instructions.forEach(n -> {
            if (n instanceof LineNumberNode) {
                lines.add(((LineNumberNode) n).line);
            }
        });
        int first = -1;
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains("Coroutine<String> primitives(boolean suspend)")) {
                first = i + 1;
            }
        }
        // every statement line of the method body is in the woven body, and nothing outside it
        assertEquals(first + 1, lines.first(), "first line of primitives()");
        assertTrue(source.get(lines.last() - 1).contains("return done("), "last line: " + source.get(lines.last() - 1));
        assertTrue(lines.size() >= 12, lines.toString());
    }

    @Test
    void creator_keepsItsSignatureAndAnnotation() throws IOException {
        ClassNode cn = read("io/jasyncio/it/Constructs.class");
        MethodNode creator = method(cn, "genericIdentity");
        assertEquals("<T::Ljava/lang/Comparable<TT;>;>(TT;Z)Lio/jasyncio/Coroutine<TT;>;", creator.signature);
        assertTrue(creator.invisibleAnnotations.stream().anyMatch(a -> a.desc.equals("Lio/jasyncio/annotations/Async;")));
    }
}
