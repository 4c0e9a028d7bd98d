package io.jasyncio.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the examples by name, on real time, each followed by the time it took:
 * <pre>
 * java -jar jasyncio-examples.jar hello-twice
 * java -jar jasyncio-examples.jar all
 * </pre>
 * With no argument it prints the list of examples; an unknown name prints it to standard error and exits with
 * status 2.
 */
public final class Main {
    /** Every example, in the order {@code all} runs them. */
    static final List<Example> EXAMPLES = List.of(
            new Greeting(), new HelloTwice(), new Fetch(), new FutureCallback(), new SleepOneAndTwo(),
            new LoopStyle(), new TaskGroupSleeps(), new WaitForTimeout(), new RunnerTwice(), new RunInExecutor(),
            new CustomExceptionHandler(), new CancelWorker(), new ProducerConsumer(), new RateLimit());

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
     * @param args example names, or {@code all}; none prints the usage
     * @param out where the examples and the usage print
     * @param err where an unknown name is reported
     * @return the exit status: 0, or 2 for an unknown name
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(out);
            return 0;
        }
        List<Example> selected = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("all")) {
                selected.addAll(EXAMPLES);
                continue;
            }
            Example example = find(arg);
            if (example == null) {
                err.println("unknown example: " + arg);
                usage(err);
                return 2;
            }
            selected.add(example);
        }
        boolean headers = selected.size() > 1;
        for (Example example : selected) {
            if (headers) {
                out.println("== " + example.name() + " ==");
            }
            long start = System.nanoTime();
            example.run(out);
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
        out.println("usage: java -jar jasyncio-examples.jar <example>... | all");
        out.println();
        out.println("asyncio's classic tutorial programs, in Java:");
        for (Example example : EXAMPLES) {
            out.println(String.format(Locale.ROOT, "  %-18s %s", example.name(), example.description()));
        }
        out.println(String.format(Locale.ROOT, "  %-18s %s", "all", "every example in turn"));
    }
}
