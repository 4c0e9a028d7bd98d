package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_noArguments_usage() {
        assertEquals(Main.USAGE, run());
        assertTrue(err().contains("Usage: java -jar jasyncio-transformer.jar"), err());
    }

    @Test
    void run_help_usageOnStandardOutput() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("Usage:"), out());
    }

    @Test
    void run_unknownOption_usage() {
        assertEquals(Main.USAGE, run("--frobnicate", dir.toString()));
        assertTrue(err().contains("unknown option --frobnicate"), err());
    }

    @Test
    void run_optionWithoutValue_usage() {
        assertEquals(Main.USAGE, run(dir.toString(), "--classpath"));
    }

    @Test
    void run_missingInput_usage() {
        assertEquals(Main.USAGE, run(dir.resolve("nope").toString()));
        assertTrue(err().contains("no such file or folder"), err());
    }

    @Test
    void run_outputWithFolder_usage() {
        assertEquals(Main.USAGE, run("--output", dir.resolve("x.jar").toString(), dir.toString()));
    }

    @Test
    void run_folderWithoutJasyncio_unchanged() throws Exception {
        TestClasses.write(dir, "demo/Plain", TestClasses.plain("demo/Plain"));
        var before = DirectoryWeaverTest.agedSnapshot(dir);

        assertEquals(0, run("--classpath", dir.resolve("lib.jar") + File.pathSeparator + dir, dir.toString()));

        assertTrue(out().contains("1 classes scanned, 0 woven"), out());
        assertEquals("", err());
        assertEquals(before, DirectoryWeaverTest.snapshot(dir));
    }

    @Test
    void run_jar_writtenBesideIt() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/Plain.class", TestClasses.plain("demo/Plain"));
        Path jar = DirectoryWeaverTest.jar(dir.resolve("app-1.0.jar"), entries);

        assertEquals(0, run(jar.toString()));

        DirectoryWeaverTest.assertEntries(entries, dir.resolve("app-1.0-woven.jar"));
    }

    @Test
    void run_jarWithOutput_writtenThere() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("demo/Plain.class", TestClasses.plain("demo/Plain"));
        Path jar = DirectoryWeaverTest.jar(dir.resolve("app.jar"), entries);
        Path output = dir.resolve("out/app.jar");

        assertEquals(0, run("-o", output.toString(), jar.toString()));

        DirectoryWeaverTest.assertEntries(entries, output);
        assertEquals(List.of("app.jar", "out/app.jar"), List.copyOf(DirectoryWeaverTest.snapshot(dir).keySet()));
    }

    @Test
    void run_failingClasses_everyProblemPrinted() throws Exception {
        Path classes = dir.resolve("classes");
        Path other = dir.resolve("other");
        TestClasses.write(classes, "demo/Bad", TestClasses.awaitOutsideAsync("demo/Bad"));
        TestClasses.write(other, "demo/Worse", TestClasses.awaitOutsideAsync("demo/Worse"));

        assertEquals(Main.FAILED, run(classes.toString(), other.toString()));

        String err = err();
        assertTrue(err.contains("demo.Bad") && err.contains("demo.Worse"), err);
        assertTrue(err.contains("problems"), err);
        assertTrue(err.contains("Bad.java:" + TestClasses.AWAIT_LINE + ": demo.Bad.notAsync(): "), err);
        assertTrue(err.contains("Worse.java:" + TestClasses.AWAIT_LINE + ": demo.Worse.notAsync(): "), err);
    }

    @Test
    void run_signedJar_refusedUnlessUnsign() throws Exception {
        String basics = "io/jasyncio/transformer/fixtures/Basics";
        Path jar = DirectoryWeaverTest.jar(dir.resolve("signed.jar"),
                DirectoryWeaverTest.signedJarEntries(basics, BuildErrorsTest.bytes(basics.replace('/', '.'))));
        String runtime = Path.of(io.jasyncio.Coroutine.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString();
        String fixtures = Path.of(MainTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        String cp = runtime + File.pathSeparator + fixtures;

        assertEquals(Main.FAILED, run("-cp", cp, jar.toString()));
        assertTrue(err().contains("is signed (META-INF/SIGNER.SF)"), err());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("signed-woven.jar")));

        assertEquals(0, run("-cp", cp, "--unsign", jar.toString()));
        assertTrue(out().contains("THE JAR WAS SIGNED"), out());
        assertTrue(java.nio.file.Files.exists(dir.resolve("signed-woven.jar")));
    }

    @Test
    void wovenJarName_beforeExtension() {
        assertEquals(Path.of("lib/x-woven.jar"), Main.wovenJarName(Path.of("lib/x.jar")));
        assertEquals(Path.of("x-woven"), Main.wovenJarName(Path.of("x")));
    }
}
