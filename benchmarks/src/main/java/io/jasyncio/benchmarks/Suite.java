package io.jasyncio.benchmarks;

import io.jasyncio.benchmarks.echo.EchoRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The whole suite of BENCHMARKS.md in one command: W1, W2, W5 with JMH, W3 and W4 as plain programs (one JVM per
 * variant), the Python asyncio script, W6 echo; jasyncio and every alternative in the same invocation. Writes
 * {@code results.csv} (one row per measured variant), then reads it back to write {@code results.md} (the tables
 * to paste into docs/benchmarks.md) and {@code results.png} (the chart), plus {@code suite.log}-worthy output on
 * stdout.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.jasyncio.benchmarks.Suite [options]      (or: benchmarks/run)
 *   --out DIR          where the files go (default benchmarks/results/YYYYMMDD-HHMMSS, UTC)
 *   --only W1,W3,...   these workloads only (default W1,W2,W3,W4,W5,W6)
 *   --java PATH        the JVM of every row but the virtual-thread ones (default: the one running this)
 *   --jdk25 PATH       the JDK (21+) of the virtual-thread rows (default /usr/lib/jvm/temurin-25-jdk-amd64;
 *                      without one those rows are skipped, and the tables say so)
 *   --python PATH      CPython for the asyncio rows (default python3; skipped, said so, when it is missing)
 *   --heap 4g          -Xms and -Xmx of every measured JVM (BENCHMARKS.md: 16g; see fullFlags)
 *   --wi 3 --i 5 --r 1 JMH warm-up iterations, measured iterations, seconds per iteration (forks: 1)
 *   --smoke            tiny N, one iteration, JMH in this JVM (virtual threads: one small fork on the JDK 25);
 *                      what BenchmarksTest runs in the build
 *   --chart CSV        only regenerate results.md and results.png from an existing CSV (next to it)
 * </pre>
 */
public final class Suite {
    /**
     * {@return the JVM flags of the measured JVMs} BENCHMARKS.md's method (fixed heap, Parallel GC) plus pre-touching
     * the heap, with {@code --heap} (default 4g rather than BENCHMARKS.md's 16g: on the 2-core virtual machine,
     * pre-touching 16 GB took 40 to 90 s per JVM while other builds ran, and the suite starts about 36 JVMs; no
     * workload keeps more than about 1.2 GB live)
     *
     * @param o the settings
     */
    static List<String> fullFlags(Options o) {
        return List.of("-Xms" + o.heap, "-Xmx" + o.heap, "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch");
    }
    /** The JVM flags of smoke mode's child JVMs. */
    static final List<String> SMOKE_FLAGS = List.of("-Xmx1g", "-XX:+UseParallelGC");
    /** The flag that gives the virtual-thread scheduler one carrier. */
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    static final String PYTHON = "Python asyncio";
    static final String KOTLIN_1 = "Kotlin 1 thread";
    static final String KOTLIN_DEFAULT = "Kotlin Dispatchers.Default";
    static final String VT_1 = "virtual threads 1 carrier";
    static final String VT_DEFAULT = "virtual threads default scheduler";
    static final String CF = "CompletableFuture 1 thread";
    static final String NETTY = "Netty 1 loop";
    static final String JASYNCIO = "jasyncio";
    static final String PLAIN = "plain Java call";
    /** The columns of the summary table, in order. */
    static final List<String> COLUMNS = List.of(PYTHON, KOTLIN_1, KOTLIN_DEFAULT, VT_1, VT_DEFAULT, CF, NETTY,
            JASYNCIO);

    private Suite() {
    }

    /** One measured figure of one variant: a row of the CSV. */
    static final class Row {
        final String workload;
        final String unit;
        final String column;
        final String variant;
        final String jvm;
        final double value;
        final double error;
        final long n;
        /** Whether this is the column's figure in the summary table (the others are in the detailed one). */
        final boolean primary;

        Row(String workload, String unit, String column, String variant, String jvm, double value, double error,
                long n, boolean primary) {
            this.workload = workload;
            this.unit = unit;
            this.column = column;
            this.variant = variant;
            this.jvm = jvm;
            this.value = value;
            this.error = error;
            this.n = n;
            this.primary = primary;
        }

        static final String HEADER = "workload,unit,column,variant,jvm,value,error,n,primary";

        String csv() {
            return String.join(",", text(workload), text(unit), text(column), text(variant), text(jvm), num(value),
                    num(error), Long.toString(n), Boolean.toString(primary));
        }

        /** {@return s without commas, which separate the CSV's fields (no quoting)} */
        private static String text(String s) {
            return s.replace(',', ';');
        }

        static Row parse(String line) {
            String[] f = line.split(",", -1);
            if (f.length != 9) {
                throw new IllegalArgumentException("not a row of the suite's CSV: " + line);
            }
            return new Row(f[0], f[1], f[2], f[3], f[4], parseNum(f[5]), parseNum(f[6]), Long.parseLong(f[7]),
                    Boolean.parseBoolean(f[8]));
        }
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    static double parseNum(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** The suite's settings. */
    public static final class Options {
        /** Tiny N, one iteration. */
        public boolean smoke;
        /** The output directory. */
        public Path out;
        /** The workloads to run. */
        public Set<String> only = new LinkedHashSet<>(List.of("W1", "W2", "W3", "W4", "W5", "W6"));
        /** The JVM of the rows other than virtual threads. */
        public String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        /** The JDK 21+ of the virtual-thread rows, or null. */
        public String jdk25 = defaultJdk25();
        /** CPython. */
        public String python = "python3";
        /** The heap of every measured JVM (-Xms and -Xmx). */
        public String heap = "4g";
        int warmupIterations = 3;
        int iterations = 5;
        int seconds = 1;
        /** Where progress goes (null: nowhere). */
        public PrintStream log = System.out;

        /** {@return the smoke settings, writing into {@code out}} @param out the output directory */
        public static Options smoke(Path out) {
            Options o = new Options();
            o.smoke = true;
            o.out = out;
            return o;
        }

        private static String defaultJdk25() {
            Path p = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
            return Runtime.version().feature() >= 21
                    ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : null;
        }
    }

    /** What a run produced. */
    public static final class Outcome {
        /** The rows, in the order measured. */
        public final List<Row> rows = new ArrayList<>();
        /** What was not run, and why. */
        public final List<String> skipped = new ArrayList<>();
        /** The files written. */
        public Path csv;
        /** The tables. */
        public Path markdown;
        /** The chart. */
        public Path chart;
    }

    // ---- sizes ----------------------------------------------------------------------------------------------

    /** W4's delays are below this many ms: 1000 (BENCHMARKS.md), 50 in smoke mode. */
    private static String maxDelay(Options o) {
        return o.smoke ? "50" : "1000";
    }

    private static int w34n(Options o) {
        return o.smoke ? 2_000 : 1_000_000;
    }

    // ---- running --------------------------------------------------------------------------------------------

    /**
     * Runs the suite.
     *
     * @param o the settings
     * @return the rows and the files written
     * @throws Exception when a workload fails (a wrong result, a child that fails or hangs)
     */
    public static Outcome run(Options o) throws Exception {
        Files.createDirectories(o.out);
        Outcome outcome = new Outcome();
        long start = System.nanoTime();
        String meta = metadata(o);
        Files.writeString(o.out.resolve("machine.txt"), meta);
        log(o, meta);
        Set<String> jmhWorkloads = new LinkedHashSet<>(o.only);
        jmhWorkloads.retainAll(Set.of("W1", "W2", "W5"));
        if (!jmhWorkloads.isEmpty()) {
            section(o, "JMH " + jmhWorkloads);
            jmh(o, jmhWorkloads, outcome);
        }
        for (String w : List.of("W3", "W4")) {
            if (o.only.contains(w)) {
                section(o, w);
                plain(o, w, outcome);
            }
        }
        section(o, "Python asyncio");
        python(o, outcome);
        if (o.only.contains("W6")) {
            section(o, "W6 echo");
            echo(o, outcome);
        }
        // In the order of the tables: by workload, then by column (the sort is stable: variants keep their order).
        outcome.rows.sort(java.util.Comparator.comparing((Row r) -> r.workload)
                .thenComparingInt(r -> COLUMNS.contains(r.column) ? COLUMNS.indexOf(r.column) : COLUMNS.size()));
        outcome.csv = o.out.resolve("results.csv");
        StringBuilder csv = new StringBuilder(Row.HEADER).append('\n');
        for (Row r : outcome.rows) {
            csv.append(r.csv()).append('\n');
        }
        Files.writeString(outcome.csv, csv);
        Files.writeString(o.out.resolve("skipped.txt"), String.join("\n", outcome.skipped) + "\n");
        report(outcome.csv, outcome);
        log(o, String.format(Locale.ROOT, "suite done in %.0f s: %s, %s, %s", (System.nanoTime() - start) / 1e9,
                outcome.csv, outcome.markdown, outcome.chart));
        return outcome;
    }

    /** Writes results.md and results.png next to {@code csv}, from it. */
    static void report(Path csv, Outcome outcome) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String l : lines.subList(1, lines.size())) {
            if (!l.isBlank()) {
                rows.add(Row.parse(l));
            }
        }
        Path dir = csv.toAbsolutePath().getParent();
        Path machine = dir.resolve("machine.txt");
        Path skipped = dir.resolve("skipped.txt");
        String meta = Files.exists(machine) ? Files.readString(machine) : "";
        List<String> skips = Files.exists(skipped) ? Files.readAllLines(skipped) : List.of();
        outcome.markdown = dir.resolve("results.md");
        Files.writeString(outcome.markdown, Report.markdown(rows, meta, skips));
        outcome.chart = dir.resolve("results.png");
        Report.chart(rows, meta, outcome.chart);
    }

    private static final long T0 = System.nanoTime();

    private static void log(Options o, String line) {
        if (o.log != null) {
            o.log.println(line);
        }
    }

    private static void section(Options o, String what) {
        log(o, String.format(Locale.ROOT, "=== [%.0f s] %s", (System.nanoTime() - T0) / 1e9, what));
    }

    /** {@return machine, JDKs, Python, flags} */
    private static String metadata(Options o) {
        StringBuilder b = new StringBuilder();
        b.append("date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT)).append('\n');
        b.append("mode: ").append(o.smoke ? "SMOKE (tiny N, one iteration: these figures mean nothing)" : "full")
                .append('\n');
        b.append("machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(cpuModel()).append(", ").append(memTotal()).append('\n');
        b.append("load average at start: ").append(firstLine("/proc/loadavg")).append('\n');
        b.append("JVM (all rows but virtual threads): ").append(javaVersion(o.java)).append('\n');
        b.append("JVM (virtual threads): ").append(o.jdk25 == null ? "none" : javaVersion(o.jdk25)).append('\n');
        b.append("Python: ").append(command(List.of(o.python, "--version"))).append('\n');
        b.append("JVM flags: ").append(String.join(" ", o.smoke ? SMOKE_FLAGS : fullFlags(o)))
                .append(" (W6: ").append(String.join(" ", EchoRunnerFlags.FLAGS)).append(")\n");
        b.append(String.format(Locale.ROOT, "JMH: %s%n", o.smoke ? "in-process, 0 warm-up, 1 iteration of 10 ms"
                : String.format(Locale.ROOT, "1 fork, %d warm-up and %d measured iterations of %d s; figure ± 99.9%%"
                        + " error", o.warmupIterations, o.iterations, o.seconds)));
        b.append(String.format(Locale.ROOT, "W3/W4: N = %d, %s; Python W3 N = %d, W4 N = %d%n", w34n(o),
                o.smoke ? "one run" : "1 warm-up and 3 measured runs in one JVM per variant, median",
                o.smoke ? 2_000 : 200_000, o.smoke ? 2_000 : 100_000));
        return b.toString();
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        String l = firstLine("/proc/meminfo");
        return l.replaceAll("\\s+", " ");
    }

    private static String firstLine(String file) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.isEmpty() ? "?" : lines.get(0).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String javaVersion(String java) {
        String out = command(List.of(java, "-version"));
        String[] lines = out.split("\n");
        return lines.length > 1 ? lines[1].trim() : out;
    }

    /** {@return the output of a short command, or why it did not run} */
    private static String command(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException | InterruptedException e) {
            return "not available (" + e.getMessage() + ")";
        }
    }

    // ---- JMH: W1, W2, W5 ------------------------------------------------------------------------------------

    /** {@return the JMH class of a workload} */
    private static String jmhClass(String workload) {
        switch (workload) {
            case "W1": return YieldBenchmark.class.getName();
            case "W2": return SpawnBenchmark.class.getName();
            case "W5": return ChainBenchmark.class.getName();
            default: throw new IllegalArgumentException(workload);
        }
    }

    private static String jmhWorkload(String benchmark) {
        if (benchmark.startsWith(YieldBenchmark.class.getName() + ".")) {
            return "W1";
        }
        if (benchmark.startsWith(SpawnBenchmark.class.getName() + ".")) {
            return "W2";
        }
        return "W5";
    }

    /** {column, variant label, primary} of a JMH method. */
    private static String[] jmhColumn(String workload, String method, boolean oneCarrier) {
        switch (method) {
            case "jasyncio":
                return new String[] {JASYNCIO, workload.equals("W2") ? "createTask + gather(tasks)"
                        : workload.equals("W1") ? "await(sleep(0))" : "await(chain(d - 1)) + 1", "true"};
            case "jasyncioGatherCoroutines": return new String[] {JASYNCIO, "gather(coroutines)", "false"};
            case "jasyncioOtherClassStatic":
                return new String[] {JASYNCIO, "await(Other.chain(d - 1)) + 1, another class's static method", "false"};
            case "jasyncioOtherClassFinal":
                return new String[] {JASYNCIO, "await(other.chain(d - 1)) + 1, another class's final method", "false"};
            case "jasyncioOverridableExact":
                return new String[] {JASYNCIO, "overridable method, receiver of the declaring class", "false"};
            case "jasyncioOverridableSubclass":
                return new String[] {JASYNCIO, "overridable method, receiver of a subclass", "false"};
            case "kotlinRunBlocking": return new String[] {KOTLIN_1, "runBlocking", "true"};
            case "kotlinDefault": return new String[] {KOTLIN_DEFAULT, "runBlocking(Dispatchers.Default)", "true"};
            case "virtualThread":
                return new String[] {oneCarrier ? VT_1 : VT_DEFAULT, workload.equals("W1") ? "Thread.yield()"
                        : workload.equals("W2") ? "newVirtualThreadPerTaskExecutor submit + get"
                        : "plain recursive call in a virtual thread", "true"};
            case "completableFuture": return new String[] {CF, "supplyAsync + allOf", "true"};
            case "completableFutureThenRunAsync": return new String[] {CF, "thenRunAsync hop", "true"};
            case "completableFutureThenComposeAsync": return new String[] {CF, "thenComposeAsync loop", "false"};
            case "executorResubmit": return new String[] {CF, "bare Runnable resubmitted (no future)", "false"};
            case "completableFutureThenApply": return new String[] {CF, "thenApply on completed futures", "true"};
            case "completableFutureThenCompose": return new String[] {CF, "thenCompose on completed futures", "false"};
            case "plainCall": return new String[] {PLAIN, "recursive call returning int", "false"};
            case "plainCallBoxed": return new String[] {PLAIN, "recursive call returning Integer", "false"};
            default: return new String[] {"other", method, "false"};
        }
    }

    private static long jmhN(String workload) {
        switch (workload) {
            case "W1": return YieldBenchmark.N;
            case "W2": return SpawnBenchmark.N;
            default: return (long) ChainBenchmark.DEPTH * ChainBenchmark.CALLS;
        }
    }

    private static void jmh(Options o, Set<String> workloads, Outcome outcome) throws Exception {
        // Everything but the virtual threads, on --java.
        ChainedOptionsBuilder b = jmhOptions(o);
        for (String w : workloads) {
            b.include("^" + Pattern.quote(jmhClass(w) + ".") + "(?!virtualThread$)\\w+$");
        }
        if (o.smoke) {
            b.forks(0);
        } else {
            b.jvm(o.java).jvmArgs(fullFlags(o).toArray(new String[0])); // instead of the annotations' 16g
        }
        collect(new Runner(b.build()).run(), javaVersion(o.java), false, outcome);
        if (o.jdk25 == null) {
            outcome.skipped.add("virtual threads (W1, W2, W5): no JDK 21+ (--jdk25)");
            return;
        }
        for (boolean oneCarrier : new boolean[] {true, false}) {
            if (o.smoke) {
                // One JVM of the JDK 25 runs the three benchmarks in-process (JMH's command line, -f 0), rather
                // than one fork each: smoke mode only checks that they run and verify their results.
                Path csv = o.out.resolve("jmh-virtual-threads" + (oneCarrier ? "-1-carrier" : "") + ".csv");
                List<String> cmd = new ArrayList<>();
                cmd.add(o.jdk25);
                cmd.addAll(SMOKE_FLAGS);
                if (oneCarrier) {
                    cmd.add(ONE_CARRIER);
                }
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.openjdk.jmh.Main"));
                for (String w : workloads) {
                    cmd.add("^" + Pattern.quote(jmhClass(w) + ".virtualThread") + "$");
                }
                cmd.addAll(List.of("-f", "0", "-wi", "0", "-i", "1", "-r", "10ms", "-foe", "true", "-rf", "csv",
                        "-rff", csv.toString()));
                child(o, cmd, 10);
                List<String> lines = Files.readAllLines(csv);
                for (String l : lines.subList(1, lines.size())) {
                    // "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"
                    String[] f = l.replace("\"", "").split(",");
                    addJmhRow(f[0], Double.parseDouble(f[4]), f[5].isEmpty() ? Double.NaN : Double.parseDouble(f[5]),
                            javaVersion(o.jdk25), oneCarrier, outcome);
                }
                continue;
            }
            ChainedOptionsBuilder v = jmhOptions(o).jvm(o.jdk25).forks(1);
            for (String w : workloads) {
                v.include("^" + Pattern.quote(jmhClass(w) + ".virtualThread") + "$");
            }
            v.jvmArgs(fullFlags(o).toArray(new String[0]));
            if (oneCarrier) {
                v.jvmArgsAppend(ONE_CARRIER);
            }
            collect(new Runner(v.build()).run(), javaVersion(o.jdk25), oneCarrier, outcome);
        }
    }

    private static ChainedOptionsBuilder jmhOptions(Options o) {
        ChainedOptionsBuilder b = new OptionsBuilder().shouldFailOnError(true);
        if (o.smoke) {
            return b.warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(10))
                    .verbosity(VerboseMode.SILENT);
        }
        return b.forks(1).warmupIterations(o.warmupIterations).warmupTime(TimeValue.seconds(o.seconds))
                .measurementIterations(o.iterations).measurementTime(TimeValue.seconds(o.seconds));
    }

    private static void collect(Collection<RunResult> results, String jvm, boolean oneCarrier, Outcome outcome) {
        for (RunResult r : results) {
            addJmhRow(r.getParams().getBenchmark(), r.getPrimaryResult().getScore(),
                    r.getPrimaryResult().getScoreError(), jvm, oneCarrier, outcome);
        }
    }

    private static void addJmhRow(String benchmark, double score, double error, String jvm, boolean oneCarrier,
            Outcome outcome) {
        String workload = jmhWorkload(benchmark);
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String[] c = jmhColumn(workload, method, oneCarrier);
        outcome.rows.add(new Row(workload, "ns/op", c[0], c[1], jvmLabel(jvm, c[0]), score, error, jmhN(workload),
                Boolean.parseBoolean(c[2])));
    }

    private static String jvmLabel(String version, String column) {
        Matcher m = Pattern.compile("build ([^ )]+)").matcher(version);
        String v = m.find() ? m.group(1) : version;
        return (column.equals(VT_1) ? "JDK " + v + " " + ONE_CARRIER : "JDK " + v).replace(',', ' ');
    }

    // ---- W3, W4: plain programs -----------------------------------------------------------------------------

    private static final Pattern RESULT = Pattern.compile("^RESULT (W\\d) (\\w+) (\\w+) ([-0-9.]+)$");

    private static void plain(Options o, String workload, Outcome outcome) throws Exception {
        int n = w34n(o);
        String warmup = o.smoke ? "0" : "1";
        String runs = o.smoke ? "1" : "3";
        List<String> jvmVariants = new ArrayList<>(PlainWorkloads.VARIANTS);
        jvmVariants.remove("virtualThread");
        List<List<String>> groups = new ArrayList<>();
        if (o.smoke) {
            groups.add(jvmVariants);
        } else {
            for (String v : jvmVariants) {
                groups.add(List.of(v));
            }
        }
        List<String> flags = o.smoke ? SMOKE_FLAGS : fullFlags(o);
        for (List<String> g : groups) {
            List<String> cmd = new ArrayList<>();
            cmd.add(o.java);
            cmd.addAll(flags);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PlainWorkloads.class.getName(),
                    workload, String.join(",", g), Integer.toString(n), warmup, runs, maxDelay(o)));
            plainRows(o, workload, cmd, javaVersion(o.java), false, n, outcome);
        }
        if (o.jdk25 == null) {
            outcome.skipped.add("virtual threads (" + workload + "): no JDK 21+ (--jdk25)");
            return;
        }
        for (boolean oneCarrier : new boolean[] {true, false}) {
            List<String> cmd = new ArrayList<>();
            cmd.add(o.jdk25);
            cmd.addAll(flags);
            if (oneCarrier) {
                cmd.add(ONE_CARRIER);
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PlainWorkloads.class.getName(),
                    workload, "virtualThread", Integer.toString(n), warmup, runs, maxDelay(o)));
            plainRows(o, workload, cmd, javaVersion(o.jdk25), oneCarrier, n, outcome);
        }
    }

    private static void plainRows(Options o, String workload, List<String> cmd, String jvm, boolean oneCarrier,
            long n, Outcome outcome) throws Exception {
        for (String[] res : results(o, cmd, 20)) {
            String variant = res[1];
            String column;
            String label;
            switch (variant) {
                case "jasyncio": column = JASYNCIO; label = workload.equals("W3") ? "Event.waitFor" : "sleep"; break;
                case "kotlinRunBlocking": column = KOTLIN_1; label = "runBlocking"; break;
                case "kotlinDefault": column = KOTLIN_DEFAULT; label = "runBlocking(Dispatchers.Default)"; break;
                case "completableFuture":
                    column = CF;
                    label = workload.equals("W3") ? "runAsync.thenCompose(event).thenApply"
                            : "supplyAsync(delayedExecutor)";
                    break;
                case "virtualThread":
                    column = oneCarrier ? VT_1 : VT_DEFAULT;
                    label = workload.equals("W3") ? "CountDownLatch.await" : "Thread.sleep";
                    break;
                default: throw new IllegalStateException("unknown variant in " + Arrays.toString(res));
            }
            String unit = res[2].equals("bytes_per_task") ? "bytes/task" : res[2].equals("total_ms") ? "ms total"
                    : "ms beyond ideal";
            outcome.rows.add(new Row(workload, unit, column, label, jvmLabel(jvm, column), Double.parseDouble(res[3]),
                    Double.NaN, n, !res[2].equals("total_ms")));
        }
    }

    /**
     * Runs a child (see {@link #child}) and returns its {@code RESULT} lines split into their four fields; none fails.
     */
    private static List<String[]> results(Options o, List<String> cmd, int minutes) throws Exception {
        List<String[]> found = new ArrayList<>();
        for (String l : child(o, cmd, minutes)) {
            Matcher m = RESULT.matcher(l);
            if (m.matches()) {
                found.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no RESULT line from " + cmd);
        }
        return found;
    }

    /**
     * Runs a child to its end (killing it if it outlives {@code minutes} or when this thread is interrupted),
     * logging its output, and returns its lines; a non-zero exit fails.
     */
    private static List<String> child(Options o, List<String> cmd, int minutes) throws Exception {
        log(o, String.format(Locale.ROOT, "[%.0f s] $ ", (System.nanoTime() - T0) / 1e9)
                + String.join(" ", cmd).replace(System.getProperty("java.class.path"), "<classpath>"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try {
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                        log(o, "  " + l);
                    }
                } catch (IOException e) {
                    // the child is gone
                }
            }, "child output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                throw new IllegalStateException("did not end within " + minutes + " min: " + cmd);
            }
            reader.join(10_000);
            synchronized (lines) {
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("failed (exit " + p.exitValue() + "): " + String.join(" ", cmd)
                            + "\n" + String.join("\n", lines));
                }
                return new ArrayList<>(lines);
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---- Python asyncio -------------------------------------------------------------------------------------

    private static void python(Options o, Outcome outcome) throws Exception {
        if (command(List.of(o.python, "--version")).startsWith("not available")) {
            outcome.skipped.add("Python asyncio: " + o.python + " not found (--python)");
            return;
        }
        Path script = o.out.resolve("asyncio_workloads.py");
        try (InputStream in = Suite.class.getResourceAsStream("asyncio_workloads.py")) {
            if (in == null) {
                throw new IllegalStateException("asyncio_workloads.py is not on the classpath");
            }
            Files.write(script, in.readAllBytes());
        }
        String version = command(List.of(o.python, "--version")).replace(',', ' ');
        // {workload, N full, warm-up full, runs full, N smoke}: Python is about 100 times slower, hence smaller N
        Object[][] plan = {{"W1", 500_000, 1, 3, 2_000}, {"W2", 200_000, 1, 3, 2_000}, {"W3", 200_000, 0, 3, 2_000},
            {"W4", 100_000, 0, 3, 2_000}, {"W5", 2_000, 1, 3, 2}};
        for (Object[] p : plan) {
            String w = (String) p[0];
            if (!o.only.contains(w)) {
                continue;
            }
            int n = o.smoke ? (Integer) p[4] : (Integer) p[1];
            List<String> cmd = List.of(o.python, script.toString(), w, Integer.toString(n),
                    o.smoke ? "0" : p[2].toString(), o.smoke ? "1" : p[3].toString(), maxDelay(o));
            for (String[] res : results(o, cmd, 20)) {
                String unit = res[2].equals("ns_per_op") ? "ns/op" : res[2].equals("bytes_per_task") ? "bytes/task"
                        : res[2].equals("total_ms") ? "ms total" : "ms beyond ideal";
                String label = w.equals("W1") ? "await asyncio.sleep(0)" : w.equals("W2") ? "create_task + gather"
                        : w.equals("W3") ? "Event.wait (tracemalloc)" : w.equals("W4") ? "asyncio.sleep"
                        : "await chain(d - 1) + 1";
                long rowN = w.equals("W5") ? (long) n * ChainBenchmark.DEPTH : n;
                outcome.rows.add(new Row(w, unit, PYTHON, label, version, Double.parseDouble(res[3]), Double.NaN,
                        rowN, !res[2].equals("total_ms")));
            }
        }
    }

    // ---- W6 echo --------------------------------------------------------------------------------------------

    private static void echo(Options o, Outcome outcome) throws Exception {
        EchoRunner.Options e = o.smoke ? EchoRunner.Options.smoke() : new EchoRunner.Options();
        e.log = o.log;
        e.jdk25 = o.jdk25;
        e.python = o.python;
        e.servers = new ArrayList<>(List.of("streams", "protocol", "netty"));
        if (o.jdk25 != null) {
            e.servers.add("virtual-threads");
        } else {
            outcome.skipped.add("virtual threads (W6): no JDK 21+ (--jdk25)");
        }
        if (!command(List.of(o.python, "--version")).startsWith("not available")) {
            e.servers.add("python");
        } else {
            outcome.skipped.add("Python asyncio (W6): " + o.python + " not found (--python)");
        }
        log(o, "W6 servers: " + e.servers);
        String jvm = jvmLabel(javaVersion(o.java), JASYNCIO);
        for (EchoRunner.Result r : EchoRunner.run(e)) {
            String column;
            String label;
            String runtime = jvm;
            switch (r.server) {
                case "streams": column = JASYNCIO; label = "streams: read / write / drain"; break;
                case "protocol": column = JASYNCIO; label = "Protocol.dataReceived -> transport.write"; break;
                case "netty": column = NETTY; label = "NIO; one event loop; echo handler"; break;
                case "virtual-threads":
                    column = VT_1;
                    label = "ServerSocket; a virtual thread per connection; blocking read / write";
                    runtime = jvmLabel(javaVersion(o.jdk25), VT_1);
                    break;
                default:
                    column = PYTHON;
                    label = "start_server; read / write / drain";
                    runtime = command(List.of(o.python, "--version"));
                    break;
            }
            boolean primary = !r.server.equals("protocol");
            outcome.rows.add(new Row("W6", "round trips/s", column, label, runtime, r.median(0), Double.NaN,
                    r.echoes, primary));
            outcome.rows.add(new Row("W6", "server CPU us/round trip", column, label, runtime, r.median(1),
                    Double.NaN, r.echoes, primary));
        }
    }

    /** The W6 JVM flags, for the metadata. */
    private static final class EchoRunnerFlags {
        static final List<String> FLAGS = EchoRunner.jvmFlags();
    }

    // ---- main -----------------------------------------------------------------------------------------------

    /**
     * Runs the suite (see the class comment for the options); exits 1 if anything failed.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        try {
            Options o = new Options();
            Path chartOnly = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke": o.smoke = true; break;
                    case "--out": o.out = Path.of(args[++i]); break;
                    case "--only": o.only = new LinkedHashSet<>(Arrays.asList(args[++i].split(","))); break;
                    case "--java": o.java = args[++i]; break;
                    case "--jdk25": o.jdk25 = args[++i]; break;
                    case "--python": o.python = args[++i]; break;
                    case "--heap": o.heap = args[++i]; break;
                    case "--wi": o.warmupIterations = Integer.parseInt(args[++i]); break;
                    case "--i": o.iterations = Integer.parseInt(args[++i]); break;
                    case "--r": o.seconds = Integer.parseInt(args[++i]); break;
                    case "--chart": chartOnly = Path.of(args[++i]); break;
                    default: throw new IllegalArgumentException("unknown option " + args[i] + " (see the javadoc"
                            + " of io.jasyncio.benchmarks.Suite or docs/benchmarks.md)");
                }
            }
            if (chartOnly != null) {
                Outcome outcome = new Outcome();
                report(chartOnly, outcome);
                System.out.println("wrote " + outcome.markdown + " and " + outcome.chart);
                return;
            }
            if (o.out == null) {
                o.out = Path.of("benchmarks", "results", ZonedDateTime.now(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + (o.smoke ? "-smoke" : ""));
            }
            Outcome outcome = run(o);
            System.out.println();
            System.out.print(Files.readString(outcome.markdown));
        } catch (Exception e) {
            System.err.println("suite FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
