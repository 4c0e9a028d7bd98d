package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.transformer.internal.ClassWeaver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: every class of real jars, none of which uses jasyncio, goes through the transformer untouched: the
 * quick scan returns the very input, the full parse (forced, as if the scan had said yes) finds nothing to weave
 * and returns the input too, and {@link DirectoryWeaver#weaveJar} writes a jar whose every entry is byte-identical,
 * in the same order. Java 1.3 to 24 class files, {@code module-info}, multi-release jars
 * ({@code META-INF/versions/N}), signed jars, Kotlin and Groovy output.
 */
class RealJarsTest {
    @TempDir
    Path dir;

    /** What the test weaves from the local Maven repository, newest version of each that is there. */
    private static final String[] ARTIFACTS = {
        "org/ow2/asm/asm", "org/ow2/asm/asm-tree", "org/ow2/asm/asm-analysis", "org/ow2/asm/asm-util",
        "org/ow2/asm/asm-commons",
        "org/junit/jupiter/junit-jupiter-api", "org/junit/jupiter/junit-jupiter-engine",
        "org/junit/jupiter/junit-jupiter-params", "org/junit/platform/junit-platform-commons",
        "org/junit/platform/junit-platform-engine", "org/opentest4j/opentest4j",
        "org/apache/maven/maven-core", "org/apache/maven/maven-model", "org/apache/maven/maven-plugin-api",
        "org/apache/maven/maven-artifact", "org/codehaus/plexus/plexus-utils", "org/codehaus/plexus/plexus-classworlds",
        "org/apache/commons/commons-lang3", "org/apache/commons/commons-compress", "commons-io/commons-io",
        "com/google/guava/guava", "org/openjdk/jmh/jmh-core", "org/apache/groovy/groovy",
        "org/codehaus/groovy/groovy", "org/jetbrains/kotlin/kotlin-stdlib", "io/netty/netty-common",
        "io/netty/netty-buffer", "net/bytebuddy/byte-buddy", "com/fasterxml/jackson/core/jackson-core",
        "org/bouncycastle/bcprov-jdk18on", "org/slf4j/slf4j-api",
    };

    /** The jars of the classes on the test class path: ASM, JUnit and what they need. */
    @Test
    void jarsOnTheTestClassPath_everyClassUntouched() throws Exception {
        List<Path> jars = new ArrayList<>();
        for (Class<?> c : List.of(org.objectweb.asm.ClassReader.class, org.objectweb.asm.tree.ClassNode.class,
                org.objectweb.asm.tree.analysis.Analyzer.class, org.objectweb.asm.util.CheckClassAdapter.class,
                Test.class, org.junit.platform.commons.util.ReflectionUtils.class,
                org.opentest4j.AssertionFailedError.class)) {
            jar(c).filter(p -> !jars.contains(p)).ifPresent(jars::add);
        }
        assumeTrue(jars.size() >= 5, "the test class path is not made of jars: " + jars);
        Counts counts = weaveAll(jars);
        assertTrue(counts.classes > 300, counts.toString());
        assertTrue(counts.moduleInfos > 0, "module-info classes: " + counts);
    }

    /**
     * At least 15 jars of the local Maven repository (found beside ASM's jar):
     * {@code mvn verify -pl transformer -Dsurefire.excludedGroups= -Dgroups=slow -Dtest=RealJarsTest}.
     */
    @Test
    @Tag("slow")
    void jarsOfTheLocalRepository_everyClassUntouched() throws Exception {
        Path asm = jar(org.objectweb.asm.ClassReader.class).orElse(null);
        assumeTrue(asm != null, "ASM is not in a jar of a Maven repository");
        Path repository = asm.getParent().getParent().getParent().getParent().getParent().getParent();
        List<Path> jars = new ArrayList<>();
        for (String artifact : ARTIFACTS) {
            newest(repository.resolve(artifact), artifact.substring(artifact.lastIndexOf('/') + 1))
                    .ifPresent(jars::add);
        }
        assertTrue(jars.size() >= 15, "only " + jars.size() + " of the jars in " + repository + ": " + jars);
        Counts counts = weaveAll(jars);
        System.out.println("RealJarsTest: " + counts + ": " + jars.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.joining(", ")));
        assertTrue(counts.moduleInfos > 0 && counts.versioned > 0, counts.toString());
    }

    private static final class Counts {
        int jars;
        int classes;
        int moduleInfos;
        int versioned;

        @Override
        public String toString() {
            return jars + " jars, " + classes + " classes, " + moduleInfos + " module-info, " + versioned
                    + " in META-INF/versions";
        }
    }

    private Counts weaveAll(List<Path> jars) throws Exception {
        Counts counts = new Counts();
        ClassFileLocator locator = ClassFileLocator.of(getClass().getClassLoader());
        Transformer transformer = new Transformer(locator);
        DirectoryWeaver weaver = new DirectoryWeaver(ClasspathLocator.of(List.of()));
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry e : zip.stream().collect(Collectors.toList())) {
                    if (e.isDirectory() || !e.getName().endsWith(".class")) {
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = zip.getInputStream(e)) {
                        bytes = in.readAllBytes();
                    }
                    String where = jar.getFileName() + "!/" + e.getName();
                    TransformResult r = transformer.transform(bytes);
                    assertFalse(r.changed(), where);
                    assertSame(bytes, r.bytes(), where);
                    assertFalse(Transformer.mayUseJasyncio(bytes), where);
                    // the full parse, as if the quick scan had said yes: nothing to weave, the input returned
                    if (((bytes[6] & 0xFF) << 8 | (bytes[7] & 0xFF)) <= 69) {
                        TransformResult parsed = new ClassWeaver(bytes, locator).weave();
                        assertFalse(parsed.changed(), where);
                        assertSame(bytes, parsed.bytes(), where);
                    }
                    counts.classes++;
                    counts.moduleInfos += e.getName().endsWith("module-info.class") ? 1 : 0;
                    counts.versioned += e.getName().startsWith("META-INF/versions/") ? 1 : 0;
                }
            }
            Path out = dir.resolve(jar.getFileName());
            DirectoryWeaver.Summary s = weaver.weaveJar(jar, out);
            assertEquals(0, s.woven(), jar.toString());
            assertEquals(0, s.staleDeleted(), jar.toString());
            assertSameEntries(jar, out);
            Files.delete(out);
            counts.jars++;
        }
        return counts;
    }

    private static void assertSameEntries(Path expected, Path actual) throws IOException {
        try (ZipFile a = new ZipFile(expected.toFile()); ZipFile b = new ZipFile(actual.toFile())) {
            List<String> names = a.stream().map(ZipEntry::getName).distinct().collect(Collectors.toList());
            assertEquals(names, b.stream().map(ZipEntry::getName).collect(Collectors.toList()), expected.toString());
            for (String name : names) {
                try (InputStream x = a.getInputStream(a.getEntry(name));
                     InputStream y = b.getInputStream(b.getEntry(name))) {
                    assertArrayEquals(x.readAllBytes(), y.readAllBytes(), expected.getFileName() + "!/" + name);
                }
            }
        }
    }

    private static Optional<Path> jar(Class<?> c) {
        try {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The jar {@code name-version.jar} of the newest version under {@code folder}, if any. */
    private static Optional<Path> newest(Path folder, String name) throws IOException {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(folder)) {
            return versions.map(v -> v.resolve(name + "-" + v.getFileName() + ".jar")).filter(Files::isRegularFile)
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString(), RealJarsTest::compareVersions));
        }
    }

    /** Compares versions by their numbers ({@code 4.0.28 > 4.0.3}); a qualifier sorts below its release. */
    private static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "";
            String q = i < y.length ? y[i] : "";
            boolean pn = p.matches("\\d+");
            boolean qn = q.matches("\\d+");
            int c = pn && qn ? Long.compare(Long.parseLong(p), Long.parseLong(q))
                    : pn ? 1 : qn ? -1 : p.isEmpty() ? 1 : q.isEmpty() ? -1 : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
