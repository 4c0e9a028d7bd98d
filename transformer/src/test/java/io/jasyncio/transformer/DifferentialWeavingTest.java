package io.jasyncio.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;
import io.jasyncio.annotations.Async;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of the transformer: {@link ProgramGenerator} writes random coroutines and their plain twins
 * from the same choices; javac compiles both; the coroutines are woven (each class checked by CheckClassAdapter
 * and the JVM verifier) and run on a virtual-time loop, once with the {@code flag} awaits suspending and once
 * without. Every coroutine must return what its twin returns. The seeds are fixed, so a failure is reproducible:
 * the message names the seed, and the sources are kept in the failing test's temporary folder.
 */
class DifferentialWeavingTest {
    private static final String PKG = "io.jasyncio.generated";
    /** 40 classes of 25 methods: 1,000 random coroutines in the normal build. */
    private static final int CLASSES = 40;
    private static final int METHODS = 25;

    /** Kept when a test fails, so that the generated sources of a failure can be read. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void randomCoroutinesReturnWhatTheirPlainTwinsReturn() throws Exception {
        compare(0, CLASSES);
    }

    /**
     * The same over 20 times as many classes, 20,000 coroutines: {@code mvn verify -pl transformer
     * -Dsurefire.excludedGroups= -Dgroups=slow}.
     */
    @Test
    @Tag("slow")
    void manyMoreRandomCoroutines() throws Exception {
        compare(1000, 800);
    }

    private void compare(int firstSeed, int classes) throws Exception {
        Path asyncSrc = dir.resolve("async-src");
        Path plainSrc = dir.resolve("plain-src");
        List<Path> asyncFiles = new ArrayList<>();
        List<Path> plainFiles = new ArrayList<>();
        Path pkgDir = Path.of(PKG.replace('.', '/'));
        asyncFiles.add(write(asyncSrc.resolve(pkgDir).resolve("Fz.java"), ProgramGenerator.helperSource(PKG)));
        plainFiles.add(write(plainSrc.resolve(pkgDir).resolve("Fz.java"), ProgramGenerator.helperSource(PKG)));
        for (int c = firstSeed; c < firstSeed + classes; c++) {
            String name = "Gen" + c;
            // the same seed for both versions: the same random choices, rendered twice
            asyncFiles.add(write(asyncSrc.resolve(pkgDir).resolve(name + ".java"),
                    new ProgramGenerator(seed(c)).classSource(PKG, name, METHODS, true)));
            plainFiles.add(write(plainSrc.resolve(pkgDir).resolve(name + ".java"),
                    new ProgramGenerator(seed(c)).classSource(PKG, name, METHODS, false)));
        }
        long start = System.nanoTime();
        // the two versions compiled at once, by two javac tasks: javac is most of the time of this test
        java.util.concurrent.CompletableFuture<Path> plainCompiled = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return compile(plainFiles, dir.resolve("plain-classes"));
                    } catch (IOException | URISyntaxException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        Path asyncClasses = compile(asyncFiles, dir.resolve("async-classes"));
        Path plainClasses = plainCompiled.join();

        long compiled = System.nanoTime();
        int compared = 0;
        try (URLClassLoader asyncSource = new URLClassLoader(new URL[] {asyncClasses.toUri().toURL()},
                DifferentialWeavingTest.class.getClassLoader());
             URLClassLoader plain = new URLClassLoader(new URL[] {plainClasses.toUri().toURL()},
                     DifferentialWeavingTest.class.getClassLoader())) {
            WeavingClassLoader woven = new WeavingClassLoader(PKG + ".", asyncSource);
            for (int c = firstSeed; c < firstSeed + classes; c++) {
                Class<?> coroutines = woven.loadClass(PKG + ".Gen" + c);
                Class<?> twins = plain.loadClass(PKG + ".Gen" + c);
                for (int m = 0; m < METHODS; m++) {
                    Method coroutine = coroutines.getMethod("m" + m, int.class, boolean.class);
                    Method twin = twins.getMethod("m" + m, int.class, boolean.class);
                    for (int p : new int[] {0, 1, 6}) {
                        long expected = (Long) twin.invoke(null, p, false);
                        for (boolean flag : new boolean[] {true, false}) {
                            Coroutine<?> co = (Coroutine<?>) coroutine.invoke(null, p, flag);
                            Object actual;
                            try (EventLoop loop = new EventLoop(TimeSource.virtual())) {
                                actual = loop.runUntilComplete(co);
                            }
                            assertEquals(expected, actual, "Gen" + c + ".m" + m + "(" + p + ", " + flag
                                    + ") (seed " + seed(c) + ", sources in " + dir + ")");
                            compared++;
                        }
                    }
                }
            }
        }
        assertEquals(classes * METHODS * 3 * 2, compared);
        System.out.println("DifferentialWeavingTest: " + classes * METHODS + " random coroutines (seeds " + seed(firstSeed)
                + "..), " + compared + " runs compared with their plain twins; javac " + (compiled - start) / 1_000_000
                + " ms, weaving and runs " + (System.nanoTime() - compiled) / 1_000_000 + " ms");
    }

    @Test
    void theGeneratedCoroutinesReallySuspend() throws Exception {
        // a generator that wrote no suspending awaits would make the test above pass trivially
        String source = new ProgramGenerator(seed(0)).classSource(PKG, "Gen0", METHODS, true);
        assertTrue(source.contains(", true)))") && source.contains(", flag)))") && source.contains(", false)))"),
                "every kind of await site appears");
        int awaits = source.split("await\\(", -1).length - 1;
        assertTrue(source.contains("await(hi(") && source.contains("await(hl(") && source.contains("await(rec(")
                && source.contains("await(new Gen0().hp(") && source.contains("await(new Gen0().hf("),
                "awaits of the class's own static coroutines (direct calls) appear");
        assertTrue(source.contains(").hv(") && source.contains("await(super.hv("),
                "awaits through the class hierarchy (woven and unwoven overrides) appear");
        assertTrue(source.contains(" = x -> {") && source.contains(" g = z -> done("),
                "coroutine lambdas, and lambdas nested in them, appear");
        assertTrue(awaits >= 4 * METHODS, "only " + awaits + " awaits in " + METHODS + " methods");
    }

    private static long seed(int c) {
        return 0x5EED0000L + c;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static Path compile(List<Path> files, Path out) throws IOException, URISyntaxException {
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = location(Coroutine.class) + File.pathSeparator + location(Async.class);
        List<String> args = new ArrayList<>(List.of("-g", "-nowarn", "-d", out.toString(), "-cp", classpath));
        files.forEach(f -> args.add(f.toString()));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(new String[0]));
        assertEquals(0, status, "javac failed on the generated sources in " + files.get(0).getParent() + ":\n"
                + errors.toString(StandardCharsets.UTF_8));
        return out;
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
