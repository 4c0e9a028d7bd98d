package io.jasyncio.benchmarks.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs W6 echo: for each server (jasyncio streams, jasyncio protocol, Netty with one loop), starts it in a JVM of
 * its own, runs {@link EchoClient} against it in another JVM, kills the server, and at the end writes a CSV
 * ({@code server,window,round_trips_per_s,cpu_us_per_rt}) and a summary table (Markdown, also printed).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.jasyncio.benchmarks.echo.EchoRunner [options]
 *   --servers streams,protocol,netty   which servers, in this order (default these three; also virtual-threads,
 *                                      on --jdk25 PATH or this JVM if 21+, one carrier, and python: asyncio
 *                                      streams on --python, default python3)
 *   --connections 50 --warmup 5 --windows 3 --window 10 --threads 1   passed to the client
 *   --rounds 1                         runs the whole sequence this many times, each round starting one server
 *                                      later (streams,protocol,netty; protocol,netty,streams; ...): on a shared
 *                                      virtual machine the later servers of a round can get less CPU
 *   --out echo-results                 writes echo-results.csv and echo-results.md
 *   --smoke                            2 connections, 0.2 s warm-up, one 0.2 s window (what BenchmarksTest runs)
 * </pre>
 */
public final class EchoRunner {
    /** The JVM flags of every server and of the client. */
    static final List<String> JVM_FLAGS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC");

    /** The servers by name. */
    static final Map<String, Class<?>> SERVERS = new LinkedHashMap<>();

    static {
        SERVERS.put("streams", StreamsEchoServer.class);
        SERVERS.put("protocol", ProtocolEchoServer.class);
        SERVERS.put("netty", NettyEchoServer.class);
        SERVERS.put("virtual-threads", VirtualThreadEchoServer.class);
    }

    /** The servers that are not a Java main class: Python asyncio's streams (a script in this jar). */
    static final String PYTHON = "python";

    /** Every server, in the order of a full suite run. */
    public static final List<String> ALL = List.of("streams", "protocol", "netty", "virtual-threads", PYTHON);

    private static final Pattern WINDOW = Pattern.compile(
            "^window (\\d+): ([0-9.]+) round trips/s, server ([0-9.]+|n/a) us CPU per round trip,"
                    + " client ([0-9.]+|n/a) us CPU per round trip$");

    private static final Pattern VERIFIED = Pattern.compile(
            "^verified: (\\d+) echoes of 64 B, all correct; \\d+ connections, each with at least (\\d+) \\(at most \\d+\\); all drained$");

    private EchoRunner() {
    }

    /** {@return the JVM flags of every server and of the client} */
    public static List<String> jvmFlags() {
        return JVM_FLAGS;
    }

    /** The runner's settings. */
    public static final class Options {
        /** The servers to run, by name (default: jasyncio's two and Netty; see {@link #ALL}). */
        public List<String> servers = new ArrayList<>(List.of("streams", "protocol", "netty"));
        /** The JVM (21+) of the virtual-thread server (null: this JVM's, if it has virtual threads). */
        public String jdk25;
        /** CPython, for the asyncio server. */
        public String python = "python3";
        int connections = 50;
        double warmup = 5;
        int windows = 3;
        double window = 10;
        int threads = 1;
        int rounds = 1;
        String out = "echo-results";
        /** Lines of the children go here (null: dropped). */
        public PrintStream log = System.out;

        /**
         * {@return the smoke settings: 2 connections, 0.2 s warm-up, one window of 0.2 s}
         */
        public static Options smoke() {
            Options o = new Options();
            o.connections = 2;
            o.warmup = 0.2;
            o.windows = 1;
            o.window = 0.2;
            return o;
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (String a : args) {
                if (a.equals("--smoke")) {
                    o = smoke();
                }
            }
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--smoke")) {
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value of " + args[i]);
                }
                String v = args[++i];
                switch (args[i - 1]) {
                    case "--servers": o.servers = List.of(v.split(",")); break;
                    case "--connections": o.connections = Integer.parseInt(v); break;
                    case "--warmup": o.warmup = Double.parseDouble(v); break;
                    case "--windows": o.windows = Integer.parseInt(v); break;
                    case "--window": o.window = Double.parseDouble(v); break;
                    case "--threads": o.threads = Integer.parseInt(v); break;
                    case "--rounds": o.rounds = Integer.parseInt(v); break;
                    case "--out": o.out = v; break;
                    case "--jdk25": o.jdk25 = v; break;
                    case "--python": o.python = v; break;
                    default: throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
            for (String s : o.servers) {
                if (!ALL.contains(s)) {
                    throw new IllegalArgumentException("unknown server " + s + "; known: " + ALL);
                }
            }
            return o;
        }
    }

    /** One server's windows, as the client printed them. */
    public static final class Result {
        /** The server's name. */
        public final String server;
        /** Per window: {round trips/s, server CPU µs per round trip, client CPU µs per round trip}. */
        public final List<double[]> windows = new ArrayList<>();
        /** Echoes received and checked, over the whole run (warm-up and drain included). */
        public long echoes;
        /** The fewest echoes one connection received. */
        public long fewestPerConnection;
        String verified;

        Result(String server) {
            this.server = server;
        }

        /**
         * {@return the median over the windows of one column}
         *
         * @param column 0: round trips/s, 1: server CPU µs per round trip, 2: client CPU µs per round trip
         */
        public double median(int column) {
            return EchoClient.median(windows.stream().mapToDouble(w -> w[column]).toArray());
        }
    }

    /**
     * Runs every server of {@code o} in turn.
     *
     * @param o the settings
     * @return one result per server, in order
     * @throws Exception when a server does not start or the client fails against it
     */
    public static List<Result> run(Options o) throws Exception {
        Map<String, Result> results = new LinkedHashMap<>();
        for (String s : o.servers) {
            results.put(s, new Result(s));
        }
        int n = o.servers.size();
        for (int round = 0; round < o.rounds; round++) {
            for (int i = 0; i < n; i++) {
                String s = o.servers.get((i + round) % n);
                Result one = runOne(s, o);
                Result all = results.get(s);
                all.windows.addAll(one.windows);
                all.echoes += one.echoes;
                all.fewestPerConnection = all.verified == null ? one.fewestPerConnection
                        : Math.min(all.fewestPerConnection, one.fewestPerConnection);
                all.verified = one.verified;
            }
        }
        return new ArrayList<>(results.values());
    }

    private static List<String> java(Class<?> main, List<String> args) {
        return java(Path.of(System.getProperty("java.home"), "bin", "java").toString(), List.of(), main, args);
    }

    private static List<String> java(String java, List<String> flags, Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return cmd;
    }

    private static Result runOne(String name, Options o) throws Exception {
        Result r = new Result(name);
        Process server = null;
        Process client = null;
        try {
            server = new ProcessBuilder(serverCommand(name, o)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BlockingQueue<String> first = new ArrayBlockingQueue<>(1);
            forward(server, "[" + name + " server] ", o.log, first);
            String line = first.poll(30, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("Serving on ")) {
                throw new IllegalStateException(name + " server did not print 'Serving on HOST:PORT' within 30 s,"
                        + " but: " + line);
            }
            String port = line.substring(line.lastIndexOf(':') + 1).trim();
            client = new ProcessBuilder(java(EchoClient.class, List.of("--host", "127.0.0.1", "--port", port,
                    "--connections", Integer.toString(o.connections), "--warmup", Double.toString(o.warmup),
                    "--windows", Integer.toString(o.windows), "--window", Double.toString(o.window),
                    "--threads", Integer.toString(o.threads), "--server-pid", Long.toString(server.pid()))))
                    .redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(l);
                    if (o.log != null) {
                        o.log.println("[" + name + " client] " + l);
                    }
                    Matcher m = WINDOW.matcher(l);
                    if (m.matches()) {
                        r.windows.add(new double[] {Double.parseDouble(m.group(2)), number(m.group(3)),
                            number(m.group(4))});
                    } else if ((m = VERIFIED.matcher(l)).matches()) {
                        r.verified = l;
                        r.echoes = Long.parseLong(m.group(1));
                        r.fewestPerConnection = Long.parseLong(m.group(2));
                    }
                }
            }
            long budget = (long) (o.warmup + o.windows * o.window) + 60;
            if (!client.waitFor(budget, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the client against " + name + " did not exit");
            }
            if (client.exitValue() != 0 || r.verified == null || r.windows.size() != o.windows) {
                throw new IllegalStateException("the client against " + name + " failed (exit " + client.exitValue()
                        + "):\n" + String.join("\n", lines));
            }
            if (!server.isAlive()) {
                throw new IllegalStateException(name + " server died (exit " + server.exitValue() + ")");
            }
            return r;
        } finally {
            stop(client);
            stop(server);
        }
    }

    /** {@return the command that starts a server} */
    private static List<String> serverCommand(String name, Options o) throws IOException {
        List<String> where = List.of("--host", "127.0.0.1", "--port", "0");
        if (name.equals(PYTHON)) {
            Path script = Files.createTempFile("asyncio_echo_server", ".py");
            script.toFile().deleteOnExit();
            try (java.io.InputStream in = EchoRunner.class.getResourceAsStream("asyncio_echo_server.py")) {
                if (in == null) {
                    throw new IllegalStateException("asyncio_echo_server.py is not on the classpath");
                }
                Files.write(script, in.readAllBytes());
            }
            List<String> cmd = new ArrayList<>(List.of(o.python, script.toString()));
            cmd.addAll(where);
            return cmd;
        }
        if (name.equals("virtual-threads")) {
            String java = o.jdk25 != null ? o.jdk25
                    : Path.of(System.getProperty("java.home"), "bin", "java").toString();
            if (o.jdk25 == null && Runtime.version().feature() < 21) {
                throw new IllegalStateException("the virtual-thread server needs a JDK 21+ (--jdk25)");
            }
            return java(java, List.of(VIRTUAL_THREADS_ONE_CARRIER), SERVERS.get(name), where);
        }
        return java(SERVERS.get(name), where);
    }

    /** The virtual-thread server runs with one carrier thread, the counterpart of one event loop. */
    static final String VIRTUAL_THREADS_ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    private static double number(String s) {
        return s.equals("n/a") ? Double.NaN : Double.parseDouble(s);
    }

    /** Copies the process's output lines to {@code log}, handing the first one to {@code first}. */
    private static void forward(Process p, String prefix, PrintStream log, BlockingQueue<String> first) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                boolean firstLine = true;
                for (String l; (l = in.readLine()) != null; ) {
                    if (firstLine) {
                        first.offer(l);
                        firstLine = false;
                    }
                    if (log != null) {
                        log.println(prefix + l);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "forward " + prefix);
        t.setDaemon(true);
        t.start();
    }

    /** Kills the process (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String csv(List<Result> results) {
        StringBuilder b = new StringBuilder("server,window,round_trips_per_s,cpu_us_per_rt\n");
        for (Result r : results) {
            for (int i = 0; i < r.windows.size(); i++) {
                double[] w = r.windows.get(i);
                b.append(String.format(Locale.ROOT, "%s,%d,%.0f,%s%n", r.server, i + 1, w[0], EchoClient.fmt(w[1])));
            }
        }
        return b.toString();
    }

    static String table(List<Result> results, Options o) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "W6 echo: %d connections, 64 B ping-pong, %.1f s warm-up, %d window(s)"
                + " of %.1f s, %d round(s), %d client thread(s); JVMs %s%n%n", o.connections, o.warmup, o.windows,
                o.window, o.rounds, o.threads, String.join(" ", JVM_FLAGS)));
        b.append("| server | round trips/s per window | median round trips/s | server CPU µs per round trip (median)"
                + " | client CPU µs per round trip (median) |\n|---|---|---|---|---|\n");
        for (Result r : results) {
            StringBuilder each = new StringBuilder();
            for (double[] w : r.windows) {
                each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", w[0]));
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s | %s |%n", r.server, each, r.median(0),
                    EchoClient.fmt(r.median(1)), EchoClient.fmt(r.median(2))));
        }
        return b.toString();
    }

    /**
     * Runs the servers (see the class comment for the options), writes the CSV and the table, and prints the
     * table. Exits 1 if anything failed.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        try {
            Options o = Options.parse(args);
            List<Result> results = run(o);
            Files.writeString(Path.of(o.out + ".csv"), csv(results));
            String table = table(results, o);
            Files.writeString(Path.of(o.out + ".md"), table);
            System.out.println();
            System.out.print(table);
            System.out.println();
            System.out.println("wrote " + o.out + ".csv and " + o.out + ".md");
        } catch (Exception e) {
            System.err.println("echo runner FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}
