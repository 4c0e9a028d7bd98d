package io.jasyncio.benchmarks.weaving;

import io.jasyncio.transformer.ClassNamePatterns;
import io.jasyncio.transformer.ClasspathLocator;
import io.jasyncio.transformer.DirectoryWeaver;
import io.jasyncio.transformer.TransformException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The weaving-speed benchmark of issue 10 (a plain program, not JMH: what is measured is a cold JVM, as a build
 * runs it). It generates a corpus of {@code classes} classes with five {@code @Async} methods each (awaits that
 * suspend, locals of every kind live across awaits, try/catch/finally, loops, a lambda that awaits, awaits of
 * methods of the same and of another class, type merges), compiles it once with javac, then measures, each in a
 * fresh JVM and {@code runs} times:
 * <ul>
 *   <li>{@code cli}: the command line weaving the freshly compiled folder, wall time of the whole process;</li>
 *   <li>{@code fresh}: {@link DirectoryWeaver} called as the Maven plugin's {@code transform} calls it, on the
 *       freshly compiled folder (the time of the call, as the mojo's report line prints it, and the process's wall
 *       time);</li>
 *   <li>{@code no-change}: the same on the folder that the previous step wove (a build that changed nothing).</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.jasyncio.benchmarks.weaving.WeavingSpeed [--classes 2000] [--runs 5]
 *     [--reuse] [dir]
 * </pre>
 *
 * <p>{@code --reuse} keeps the corpus compiled by an earlier run in {@code dir} (default
 * {@code target/weaving-speed}).
 */
public final class WeavingSpeed {
    /** {@code @Async} methods per generated class. */
    static final int METHODS_PER_CLASS = 5;
    private static final int CLASSES_PER_PACKAGE = 100;

    private WeavingSpeed() {
    }

    /**
     * Runs the benchmark (or, with {@code --weave-once}, one weaving in this JVM, for the parent).
     *
     * @param args as in the class comment
     * @throws Exception if anything fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--weave-once")) { // child: weave args[1] against class path args[2]
            long start = System.nanoTime();
            DirectoryWeaver.Summary s = weaveAsTheMojo(Path.of(args[1]), args[2]);
            long ms = (System.nanoTime() - start) / 1_000_000;
            long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
            System.out.println("RESULT " + ms + " " + cpu + " " + s);
            return;
        }
        int classes = 2000;
        int runs = 5;
        boolean reuse = false;
        Path dir = Path.of("target/weaving-speed");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--classes" -> classes = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--reuse" -> reuse = true;
                default -> dir = Path.of(args[i]);
            }
        }
        String classpath = System.getProperty("java.class.path");
        Path compiled = dir.resolve("javac");
        long t0 = System.nanoTime();
        int methods = reuse && Files.isDirectory(compiled) ? classes * METHODS_PER_CLASS
                : generate(dir.resolve("src"), compiled, classes, classpath);
        System.out.printf(Locale.ROOT, "corpus: %d classes, %d @Async methods (and %d awaiting lambdas), compiled in"
                + " %d ms into %s%n", classes, methods, classes, (System.nanoTime() - t0) / 1_000_000, compiled);
        System.out.println("load average at start: " + loadAverage());
        long[] cli = new long[runs];
        long[] freshCall = new long[runs];
        long[] freshWall = new long[runs];
        long[] sameCall = new long[runs];
        long[] sameWall = new long[runs];
        long[] freshCpu = new long[runs];
        long[] sameCpu = new long[runs];
        Path work = dir.resolve("classes");
        for (int r = 0; r < runs; r++) {
            copy(compiled, work);
            long start = System.nanoTime();
            run(List.of(java(), "-cp", classpath, "io.jasyncio.transformer.Main", "--classpath", classpath,
                    work.toString()));
            cli[r] = (System.nanoTime() - start) / 1_000_000;

            copy(compiled, work);
            delete(dir.resolve("jasyncio"));
            start = System.nanoTime();
            long[] result = weaveOnceInChild(work, classpath);
            freshCall[r] = result[0];
            freshCpu[r] = result[1];
            freshWall[r] = (System.nanoTime() - start) / 1_000_000;

            start = System.nanoTime();
            result = weaveOnceInChild(work, classpath);
            sameCall[r] = result[0];
            sameCpu[r] = result[1];
            sameWall[r] = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(Locale.ROOT, "run %d: cli %d ms wall; fresh %d ms in transform (%d ms wall, %d ms"
                    + " CPU); no change %d ms in transform (%d ms wall, %d ms CPU)%n", r + 1, cli[r], freshCall[r],
                    freshWall[r], freshCpu[r], sameCall[r], sameWall[r], sameCpu[r]);
        }
        System.out.printf(Locale.ROOT, "median of %d: cli %d ms wall (%.0f methods/s); fresh %d ms in transform"
                + " (%d ms wall, %d ms CPU); no change %d ms in transform (%d ms wall, %d ms CPU)%n", runs,
                median(cli), methods * 1000.0 / median(cli), median(freshCall), median(freshWall), median(freshCpu),
                median(sameCall), median(sameWall), median(sameCpu));
        System.out.println("load average at end: " + loadAverage());
    }

    /**
     * Weaves {@code dir} as {@code AbstractWeaveMojo} does: the class path's locator, every class selected, a state
     * file beside the folder (not with {@code -Dstateless=true}: then an unchanged folder is checked class by class).
     */
    static DirectoryWeaver.Summary weaveAsTheMojo(Path dir, String classpath) throws IOException, TransformException {
        List<Path> elements = new ArrayList<>();
        for (String e : classpath.split(File.pathSeparator)) {
            elements.add(Path.of(e));
        }
        elements.add(dir);
        try (ClasspathLocator locator = ClasspathLocator.of(elements)) {
            DirectoryWeaver weaver = new DirectoryWeaver(locator).selecting(ClassNamePatterns.of(List.of(), List.of()));
            if (!Boolean.getBoolean("stateless")) { // as the plugin: with its state file in the build folder
                weaver = weaver.incremental(dir.resolveSibling("jasyncio").resolve(dir.getFileName() + ".state"),
                        "benchmark");
            }
            return weaver.weave(dir);
        }
    }

    /** {@return the time of the weaving call and the CPU time of the whole child process, in ms} */
    private static long[] weaveOnceInChild(Path dir, String classpath) throws IOException, InterruptedException {
        String out = run(List.of(java(), "-cp", classpath, WeavingSpeed.class.getName(), "--weave-once",
                dir.toString(), classpath));
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT ")) {
                String[] words = line.split(" ");
                return new long[] {Long.parseLong(words[1]), Long.parseLong(words[2])};
            }
        }
        throw new IllegalStateException("no result in: " + out);
    }

    /**
     * Writes the corpus's sources under {@code src} and compiles them into {@code out}.
     *
     * @return the number of {@code @Async} methods
     */
    static int generate(Path src, Path out, int classes, String classpath) throws IOException {
        delete(src);
        delete(out);
        List<String> files = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            String pkg = "corpus.p" + (i / CLASSES_PER_PACKAGE);
            Path file = src.resolve(pkg.replace('.', '/')).resolve("C" + i + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source(pkg, i), StandardCharsets.UTF_8);
            files.add(file.toString());
        }
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", classpath, "-g", "-nowarn",
                "-proc:none", "--release", "17"));
        args.addAll(files);
        int rc = javac.run(null, null, null, args.toArray(new String[0]));
        if (rc != 0) {
            throw new IllegalStateException("javac failed: " + rc);
        }
        return classes * METHODS_PER_CLASS;
    }

    /** The source of class {@code C<i>}: five {@code @Async} methods, one of them with an awaiting lambda. */
    static String source(String pkg, int i) {
        String other = "corpus.p" + (Math.max(0, i - 1) / CLASSES_PER_PACKAGE) + ".C" + Math.max(0, i - 1);
        return """
                package %1$s;

                import static io.jasyncio.Asyncio.await;
                import static io.jasyncio.Asyncio.done;
                import static io.jasyncio.Asyncio.sleep;

                import io.jasyncio.Coroutine;
                import io.jasyncio.annotations.Async;
                import java.util.ArrayList;
                import java.util.List;
                import java.util.function.Function;

                public class C%2$d {
                    private long total;

                    /** Locals of every kind live across suspending awaits. */
                    @Async
                    public Coroutine<Long> m0(int n, String s) {
                        long a = n;
                        double d = n * 0.5;
                        float f = 1.5f;
                        String t = s + n;
                        List<String> list = new ArrayList<>();
                        await(sleep(0));
                        list.add(t);
                        a += t.length() + list.size();
                        await(sleep(0, 1));
                        return done(a + (long) d + (long) f);
                    }

                    /** try/catch/finally around awaits. */
                    @Async
                    public static Coroutine<Integer> m1(int n) {
                        int r = 0;
                        try {
                            r += await(sleep(0, n));
                            if (n < 0) {
                                throw new IllegalStateException("negative " + n);
                            }
                        } catch (IllegalStateException e) {
                            r = -1;
                        } finally {
                            r++;
                        }
                        return done(r);
                    }

                    /** A loop awaiting a static coroutine of the same class. */
                    @Async
                    public Coroutine<Long> m2(int n) {
                        long sum = 0;
                        for (int k = 0; k < n; k++) {
                            sum += await(m1(k));
                        }
                        total += sum;
                        return done(sum);
                    }

                    /** A lambda that awaits; an await of another class's coroutine. */
                    @Async
                    public Coroutine<String> m3(String s) {
                        Function<String, Coroutine<String>> f = x -> {
                            String y = await(sleep(0, x));
                            return done(y + "!");
                        };
                        String a = await(f.apply(s));
                        int b = await(%3$s.m1(1));
                        return done(a + b);
                    }

                    /** A switch, and values of different types merged into one local. */
                    @Async
                    public Coroutine<Object> m4(Object o, int[] xs) {
                        Number num = xs.length > 1 ? (Number) Integer.valueOf(xs[0]) : (Number) Long.valueOf(1);
                        Object r;
                        switch (xs.length) {
                            case 0:
                                r = await(sleep(0, o));
                                break;
                            case 1:
                                r = await(sleep(0, num));
                                break;
                            default:
                                r = "many " + num;
                        }
                        await(sleep(0));
                        return done(r + " " + num.intValue() + " " + total);
                    }
                }
                """.formatted(pkg, i, other);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(command.get(3) + " failed (" + rc + "): " + out);
        }
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        delete(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
