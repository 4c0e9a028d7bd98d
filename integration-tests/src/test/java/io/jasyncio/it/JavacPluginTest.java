package io.jasyncio.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import io.jasyncio.it.support.WovenClasses;
import io.jasyncio.transformer.ClasspathLocator;
import io.jasyncio.transformer.DirectoryWeaver;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The javac plugin ({@code -Xplugin:jasyncio}, in the transformer jar given as the processor path) in real
 * compilations: plain {@code javac} as a process, and javac through {@code javax.tools}. Each woven output passes
 * ASM's CheckClassAdapter and the JVM's verifier (every class is loaded and initialised in a fresh class loader),
 * and is byte for byte what the Maven plugin's weaver makes of the same javac output. The Maven builds with the
 * plugin are sample projects under src/it ({@code javac-plugin-*}).
 */
class JavacPluginTest {
    /** The shaded transformer jar, as published (surefire passes its path). */
    private static final Path TRANSFORMER = Path.of(System.getProperty("jasyncio.transformer.jar",
            "../transformer/target/jasyncio-transformer-0.1.0-SNAPSHOT.jar"));
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path tmp;

    // ---- the program: a few files, types that meet at a branch across files, a lambda, a nested class ---------

    private static final Map<String, String> PROGRAM = Map.of(
            "demo/Shape.java", String.join("\n",
                    "package demo;",
                    "public abstract class Shape {",
                    "    public abstract String name();",
                    "}"),
            "demo/Circle.java", String.join("\n",
                    "package demo;",
                    "public class Circle extends Shape implements Comparable<Circle> {",
                    "    public String name() { return \"circle\"; }",
                    "    public int compareTo(Circle o) { return 0; }",
                    "}"),
            "demo/Square.java", String.join("\n",
                    "package demo;",
                    "public class Square extends Shape implements Comparable<Square> {",
                    "    public String name() { return \"square\"; }",
                    "    public int compareTo(Square o) { return 0; }",
                    "}"),
            "demo/Main.java", String.join("\n",
                    "package demo;",
                    "",
                    "import static io.jasyncio.Asyncio.*;",
                    "",
                    "import io.jasyncio.Asyncio;",
                    "import io.jasyncio.Coroutine;",
                    "import io.jasyncio.annotations.Async;",
                    "import java.util.List;",
                    "import java.util.function.Function;",
                    "",
                    "public class Main {",
                    "    static int calls;",
                    "",
                    "    @Async static Coroutine<String> pick(boolean round) {",
                    "        calls++;",
                    "        Shape s = round ? new Circle() : new Square();", // merges Circle and Square: Shape
                    "        await(sleep(0.001));",
                    "        return done(s.name());",
                    "    }",
                    "",
                    "    static final class Greeter {",
                    "        @Async Coroutine<String> greet(String who) {",
                    "            Function<String, Coroutine<String>> upper = w -> {",
                    "                await(sleep(0.001));",
                    "                return done(w.toUpperCase());",
                    "            };",
                    "            return done(\"hello \" + await(upper.apply(who)));",
                    "        }",
                    "    }",
                    "",
                    "    @Async static Coroutine<Void> main() {",
                    "        Coroutine<String> notYet = pick(true);",
                    "        System.out.println(\"calls before await: \" + calls);",
                    "        List<String> names = await(gather(notYet, pick(false)));",
                    "        System.out.println(names + \" \" + await(new Greeter().greet(\"javac\")));",
                    "        return done();",
                    "    }",
                    "",
                    "    public static void main(String[] args) {",
                    "        Asyncio.run(main());",
                    "    }",
                    "}"));

    private static final String EXPECTED_OUTPUT = "calls before await: 0\n[circle, square] hello JAVAC\n";

    // ---- tests -----------------------------------------------------------------------------------------------

    @Test
    void plainJavac_weavesAFewFiles_andTheWovenMainRuns() throws Exception {
        Path src = write(tmp.resolve("src"), PROGRAM);
        Path out = tmp.resolve("out");
        List<String> command = new ArrayList<>(List.of(Path.of(JAVA_HOME, "bin", "javac").toString(),
                "-Xlint:all", "-Werror", "-Xplugin:jasyncio", "-processorpath", TRANSFORMER.toString(),
                "-cp", libraries(), "-d", out.toString()));
        command.addAll(sources(src));
        Result javac = run(command);
        assertEquals(0, javac.status, javac.output);
        assertEquals("", javac.output, "javac printed something");

        assertTrue(Files.isRegularFile(out.resolve("demo/Main$$Async$pick.class")), files(out).toString());
        assertTrue(Files.isRegularFile(out.resolve("demo/Main$Greeter$$Async$greet.class")), files(out).toString());
        assertTrue(files(out).stream().anyMatch(f -> f.startsWith("demo/Main$Greeter$$Async$lambda$")),
                files(out).toString());
        verify(out);

        Result java = run(List.of(Path.of(JAVA_HOME, "bin", "java").toString(), "-cp",
                out + File.pathSeparator + libraries(), "demo.Main"));
        assertEquals(0, java.status, java.output);
        assertEquals(EXPECTED_OUTPUT, java.output);

        // The Maven plugin's weaver over javac's plain output makes the same bytes.
        Path plain = tmp.resolve("plain");
        assertTrue(compile(src, plain, false, List.of()).isEmpty());
        try (ClasspathLocator cp = ClasspathLocator.of(ClasspathLocator.parse(libraries()))) {
            new DirectoryWeaver(cp).weave(plain);
        }
        assertEquals(files(plain), files(out));
        for (String f : files(out)) {
            assertArrayEquals(Files.readAllBytes(plain.resolve(f)), Files.readAllBytes(out.resolve(f)),
                    f + ": the javac plugin and the Maven plugin's weaver differ");
        }
    }

    @Test
    void mavenPluginWeaver_afterTheJavacPlugin_findsTheMarkerAndChangesNothing() throws Exception {
        Path src = write(tmp.resolve("src"), PROGRAM);
        Path out = tmp.resolve("out");
        assertEquals(List.of(), compile(src, out, true, List.of()));
        Map<String, byte[]> before = contents(out);
        DirectoryWeaver.Summary summary;
        try (ClasspathLocator cp = ClasspathLocator.of(ClasspathLocator.parse(libraries()))) {
            summary = new DirectoryWeaver(cp).weave(out);
        }
        assertEquals(0, summary.woven(), summary.toString());
        assertEquals(0, summary.framesWritten(), summary.toString());
        assertEquals(0, summary.staleDeleted(), summary.toString());
        Map<String, byte[]> after = contents(out);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((f, b) -> assertArrayEquals(b, after.get(f), f));
    }

    @Test
    void recompilingOneFile_wovenAgain_othersUntouched_staleFramesDeleted() throws Exception {
        Map<String, String> program = new TreeMap<>(PROGRAM);
        program.put("demo/Extra.java", String.join("\n",
                "package demo;",
                "import static io.jasyncio.Asyncio.*;",
                "import io.jasyncio.Coroutine;",
                "import io.jasyncio.annotations.Async;",
                "public class Extra {",
                "    @Async static Coroutine<String> one() { await(sleep(0.001)); return done(\"one\"); }",
                "    @Async static Coroutine<String> two() { await(sleep(0.001)); return done(\"two\"); }",
                "    public static void main(String[] args) {",
                "        System.out.println(io.jasyncio.Asyncio.run(one()) + io.jasyncio.Asyncio.run(two()));",
                "    }",
                "}"));
        Path src = write(tmp.resolve("src"), program);
        Path out = tmp.resolve("out");
        assertEquals(List.of(), compile(src, out, true, List.of()));
        assertTrue(Files.isRegularFile(out.resolve("demo/Extra$$Async$two.class")));
        Map<String, byte[]> before = contents(out);
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
        for (String f : before.keySet()) {
            Files.setLastModifiedTime(out.resolve(f), old);
        }

        // Extra changes: two() is no longer @Async; only Extra.java is compiled, against the woven classes.
        Files.writeString(src.resolve("demo/Extra.java"), program.get("demo/Extra.java")
                .replace("@Async static Coroutine<String> two() { await(sleep(0.001)); return done(\"two\"); }",
                        "static String two() { return \"TWO\"; }")
                .replace("io.jasyncio.Asyncio.run(two())", "two()"));
        List<String> errors = compile(List.of(src.resolve("demo/Extra.java")), out, true, List.of("-cp",
                out + File.pathSeparator + libraries()));
        assertEquals(List.of(), errors);

        Map<String, byte[]> after = contents(out);
        for (String f : before.keySet()) {
            if (f.startsWith("demo/Extra")) {
                continue;
            }
            assertArrayEquals(before.get(f), after.get(f), f + " changed");
            assertEquals(old, Files.getLastModifiedTime(out.resolve(f)), f + " was written again");
        }
        assertFalse(after.containsKey("demo/Extra$$Async$two.class"), "stale frame kept: " + after.keySet());
        assertTrue(after.containsKey("demo/Extra$$Async$one.class"), after.keySet().toString());
        assertTrue(new String(after.get("demo/Extra.class"), StandardCharsets.ISO_8859_1).contains("WovenByJasyncio"));
        assertNotEquals(old, Files.getLastModifiedTime(out.resolve("demo/Extra.class")));
        verify(out);

        Result java = run(List.of(Path.of(JAVA_HOME, "bin", "java").toString(), "-cp",
                out + File.pathSeparator + libraries(), "demo.Extra"));
        assertEquals("oneTWO\n", java.output);
        Result main = run(List.of(Path.of(JAVA_HOME, "bin", "java").toString(), "-cp",
                out + File.pathSeparator + libraries(), "demo.Main"));
        assertEquals(EXPECTED_OUTPUT, main.output);
    }

    /**
     * A class that cannot be woven: one javac error per problem, on the problem's line, with the text the Maven
     * plugin and the command line print after {@code File.java:line: }; and no class file for it.
     */
    @Test
    void buildErrors_areJavacErrorsOnTheirLines_withTheMavenPluginsMessages() throws Exception {
        String bad = String.join("\n",
                "package demo;",                                                   // 1
                "import static io.jasyncio.Asyncio.*;",                            // 2
                "import io.jasyncio.Coroutine;",                                   // 3
                "import io.jasyncio.annotations.Async;",                           // 4
                "public class Bad {",                                              // 5
                "    String notAsync() {",                                         // 6
                "        int x = 1;",                                              // 7
                "        return await(sleep(1.0, \"x\" + x));",                    // 8
                "    }",                                                           // 9
                "    @Async Coroutine<Void> locked() {",                           // 10
                "        synchronized (this) {",                                   // 11
                "            await(sleep(1.0));",                                  // 12
                "        }",                                                       // 13
                "        return done();",                                          // 14
                "    }",                                                           // 15
                "    @Async String notCoroutine() { return \"\"; }",              // 16
                "}");
        Path src = write(tmp.resolve("src"), Map.of("demo/Bad.java", bad, "demo/Good.java", String.join("\n",
                "package demo;",
                "public class Good { }")));
        Path out = tmp.resolve("out");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        compile(sources(src).stream().map(Path::of).collect(Collectors.toList()), out, true, List.of(), diagnostics);
        List<String> messages = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            assertEquals(Diagnostic.Kind.ERROR, d.getKind(), d.toString());
            assertTrue(d.getSource().getName().endsWith("Bad.java"), d.toString());
            messages.add(d.getMessage(Locale.ROOT));
            lines.add(d.getLineNumber());
        }

        // What the command line (the Maven plugin's weaver: the same messages) says about the same class files.
        Path plain = tmp.resolve("plain");
        compile(src, plain, false, List.of());
        Result cli = run(List.of(Path.of(JAVA_HOME, "bin", "java").toString(), "-jar", TRANSFORMER.toString(),
                "-cp", libraries(), plain.toString()));
        assertEquals(1, cli.status, cli.output);
        List<String> expected = cli.output.lines().filter(l -> l.startsWith("Bad.java"))
                .map(l -> l.replaceFirst("^Bad\\.java(:[0-9]+)?: ", "")).collect(Collectors.toList());
        assertEquals(3, expected.size(), cli.output);
        assertEquals(expected, messages);
        // in the order of the class file's methods; on the lines of the awaits, or of the method without one
        assertTrue(messages.get(0).startsWith("demo.Bad.notAsync(): await() can only be used in an @Async method"),
                messages.toString());
        assertTrue(messages.get(1).startsWith("demo.Bad.notCoroutine(): an @Async method must return"),
                messages.toString());
        assertTrue(messages.get(2).startsWith("demo.Bad.locked(): await() inside a synchronized block"),
                messages.toString());
        assertEquals(List.of(8L, 16L, 12L), lines, cli.output);

        assertFalse(Files.exists(out.resolve("demo/Bad.class")), "an unwoven Bad.class was left: " + files(out));
        // (Good.class, generated after Bad, is not written either: javac generates nothing more after an error.)
    }

    /** Without {@code -d}, javac writes each class file beside its source; the plugin weaves it there. */
    @Test
    void withoutD_classFilesBesideTheirSources_areWoven() throws Exception {
        Path src = write(tmp.resolve("src"), PROGRAM);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-cp", libraries(), "-Xplugin:jasyncio", "-processorpath",
                    TRANSFORMER.toString());
            assertTrue(javac.getTask(null, fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(sources(src).stream().map(Path::of).collect(Collectors.toList())))
                    .call(), diagnostics.getDiagnostics().toString());
        }
        assertTrue(Files.isRegularFile(src.resolve("demo/Main$$Async$pick.class")), files(src).toString());
        Result java = run(List.of(Path.of(JAVA_HOME, "bin", "java").toString(), "-cp",
                src + File.pathSeparator + libraries(), "demo.Main"));
        assertEquals(EXPECTED_OUTPUT, java.output);
    }

    @Test
    void withoutAnnotationProcessing_thePluginSaysWhatItNeeds() throws Exception {
        Path src = write(tmp.resolve("src"), PROGRAM);
        List<String> errors = compile(src, tmp.resolve("out"), true, List.of("-proc:none"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("jasyncio: the javac plugin cannot find the class files javac writes, "
                + "because annotation processing did not run"), errors.toString());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Every class of {@code dir} passes CheckClassAdapter, then loads, links and initialises (JVM verifier). */
    private static void verify(Path dir) throws IOException {
        List<Path> libs = new ArrayList<>();
        for (String lib : libraries().split(File.pathSeparator)) {
            libs.add(Path.of(lib));
        }
        assertTrue(WovenClasses.verify(dir, libs) > 0, "nothing woven in " + dir);
    }

    /** The runtime and annotations jars (or class folders) that this test runs with. */
    private static String libraries() {
        return location(Coroutine.class) + File.pathSeparator + location(Async.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue() + "\n");
        }
        return root;
    }

    private static List<String> sources(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace(File.separatorChar, '/'))
                    .sorted().collect(Collectors.toList());
        }
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        for (String f : files(root)) {
            m.put(f, Files.readAllBytes(root.resolve(f)));
        }
        return m;
    }

    /** javac through javax.tools, with or without the plugin; returns the error messages. */
    private static List<String> compile(Path src, Path out, boolean plugin, List<String> extra) throws IOException {
        return compile(sources(src).stream().map(Path::of).collect(Collectors.toList()), out, plugin, extra);
    }

    private static List<String> compile(List<Path> files, Path out, boolean plugin, List<String> extra)
            throws IOException {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        compile(files, out, plugin, extra, diagnostics);
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.toList());
    }

    private static void compile(List<Path> files, Path out, boolean plugin, List<String> extra,
            DiagnosticCollector<JavaFileObject> diagnostics) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Files.createDirectories(out);
        List<String> options = new ArrayList<>(List.of("-d", out.toString()));
        if (!extra.contains("-cp")) {
            options.addAll(List.of("-cp", libraries()));
        }
        if (plugin) {
            options.addAll(List.of("-Xplugin:jasyncio", "-processorpath", TRANSFORMER.toString()));
        } else {
            options.add("-proc:none");
        }
        options.addAll(extra);
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
        }
    }

    private record Result(int status, String output) {
    }

    /** Runs a command; its standard output and error together. */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), output);
    }
}
