package io.jasyncio.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Runs the examples by name, on real time, each followed by the time it took:
 * <pre>
 * java -jar jasyncio-examples.jar hello-twice
 * java -jar jasyncio-examples.jar all
 * java -jar jasyncio-examples.jar echo-server --port 0
 * java -jar jasyncio-examples.jar echo-client --host 127.0.0.1 --port=8888
 * </pre>
 * Options ({@code --name value} or {@code --name=value}) follow the example they are for; the network examples
 * ({@link TcpExample}) take {@code --host} and {@code --port}, and {@code all} skips them. With no argument it
 * prints the list of examples; an unknown name or a wrong option prints it to standard error and exits with
 * status 2.
 */
public final class Main {
    /** Every example, in the order {@code all} runs them. */
    static final List<Example> EXAMPLES = List.of(
            new Greeting(), new Awaitables(), new HelloTwice(), new Fetch(), new FutureCallback(), new SleepOneAndTwo(),
            new LoopStyle(), new TaskGroupSleeps(), new WaitForTimeout(), new RunnerTwice(), new RunInExecutor(),
            new CustomExceptionHandler(), new CancelWorker(), new ProducerConsumer(), new RateLimit(),
            new EchoServer(), new EchoClient(), new HttpHello(), new FetchHttp(), new UdpEcho(), new TlsEcho(), new Subprocess(),
            new Pipeline(), new GracefulShutdown());

    private Main() {
    }

    /**
     * The command line.
     *
     * @param args the names of the examples to run, or {@code all}
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the examples named by {@code args}, printing to {@code out}.
     *
     * @param args example names, each followed by its options, or {@code all}; none prints the usage
     * @param out where the examples and the usage print
     * @param err where an unknown name or a wrong option is reported
     * @return the exit status: 0, or 2 for an unknown name or a wrong option
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(out);
            return 0;
        }
        List<Example> selected = new ArrayList<>();
        List<Map<String, String>> optionsOf = new ArrayList<>();
        boolean afterAll = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) { // an option of the example named before it: --port 0 or --port=0
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                String value = eq >= 0 ? arg.substring(eq + 1) : i + 1 < args.length ? args[++i] : null;
                if (selected.isEmpty() || afterAll || value == null) {
                    err.println(value == null ? "option " + name + " needs a value" : "option " + name
                            + " must follow the name of the example it is for");
                    usage(err);
                    return 2;
                }
                optionsOf.get(optionsOf.size() - 1).put(name, value);
                continue;
            }
            afterAll = arg.equals("all");
            if (afterAll) {
                for (Example example : EXAMPLES) {
                    if (example.inAll()) {
                        selected.add(example);
                        optionsOf.add(new LinkedHashMap<>());
                    }
                }
                continue;
            }
            Example example = find(arg);
            if (example == null) {
                err.println("unknown example: " + arg);
                usage(err);
                return 2;
            }
            selected.add(example);
            optionsOf.add(new LinkedHashMap<>());
        }
        for (int i = 0; i < selected.size(); i++) { // every option is checked before anything runs
            try {
                selected.get(i).checkOptions(optionsOf.get(i));
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                usage(err);
                return 2;
            }
        }
        boolean headers = selected.size() > 1;
        for (int i = 0; i < selected.size(); i++) {
            Example example = selected.get(i);
            if (headers) {
                out.println("== " + example.name() + " ==");
            }
            long start = System.nanoTime();
            example.run(out, optionsOf.get(i));
            double elapsed = (System.nanoTime() - start) / 1e9;
            out.println(String.format(Locale.ROOT, "Elapsed: %.2f s", elapsed));
        }
        return 0;
    }

    private static Example find(String name) {
        for (Example example : EXAMPLES) {
            if (example.name().equals(name)) {
                return example;
            }
        }
        return null;
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar jasyncio-examples.jar <example> [--option value]... | all");
        out.println();
        out.println("asyncio's classic tutorial programs, in Java:");
        for (Example example : EXAMPLES) {
            if (example.inAll()) {
                out.println(String.format(Locale.ROOT, "  %-18s %s", example.name(), example.description()));
            }
        }
        out.println(String.format(Locale.ROOT, "  %-18s %s", "all", "every example above in turn"));
        out.println();
        out.println("over TCP, with --host (default " + TcpExample.DEFAULT_HOST + ") and --port (default "
                + TcpExample.DEFAULT_PORT + "; 0 picks a free one):");
        for (Example example : EXAMPLES) {
            if (!example.inAll() && example instanceof TcpExample) {
                out.println(String.format(Locale.ROOT, "  %-18s %s", example.name(), example.description()));
            }
        }
        out.println();
        out.println("until stopped by Ctrl-C or kill -TERM:");
        for (Example example : EXAMPLES) {
            if (!example.inAll() && !(example instanceof TcpExample)) {
                out.println(String.format(Locale.ROOT, "  %-18s %s", example.name(), example.description()));
            }
        }
    }
}
