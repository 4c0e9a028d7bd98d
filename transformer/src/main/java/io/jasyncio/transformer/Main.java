package io.jasyncio.transformer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: weaves folders of class files in place and jars into new jars.
 *
 * <pre>
 * java -jar jasyncio-transformer.jar [--classpath &lt;path-list&gt;] [--output &lt;jar&gt;] [--unsign] &lt;dir-or-jar&gt;...
 * </pre>
 *
 * <p>A jar {@code x.jar} is written to {@code x-woven.jar}, or to {@code --output} when there is one jar. The
 * classes named by {@code --classpath}, the folders and jars being woven, and the JDK are where the transformer
 * looks up the classes that the woven code refers to. A signed jar whose classes need weaving is refused (the
 * signature would no longer match) unless {@code --unsign} is given: then it is woven without its signature files,
 * and the summary line says so.
 *
 * <p>Exit status: 0 when everything was woven; 1 when a class cannot be woven (every problem is printed to
 * standard error, one a line, as a compiler would) or a file cannot be read or written; 2 on a usage error.
 */
public final class Main {
    /** The exit status when a class cannot be woven or a file cannot be read or written. */
    static final int FAILED = 1;
    /** The exit status for a usage error. */
    static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "Usage: java -jar jasyncio-transformer.jar [--classpath <path-list>] [--output <jar>] [--unsign]"
                    + " <dir-or-jar>...",
            "Weaves the @Async methods of compiled classes into coroutines.",
            "  <dir-or-jar>            a folder of class files (woven in place) or a jar x.jar (woven into",
            "                          x-woven.jar)",
            "  -cp, --classpath <list> the classes the woven classes refer to (folders and jars separated by '"
                    + java.io.File.pathSeparator + "')",
            "  -o, --output <jar>      where to write the woven jar (only with a single jar)",
            "      --unsign            weave signed jars too, leaving their signature files out (without it a",
            "                          signed jar whose classes need weaving is refused)",
            "  -h, --help              prints this text");

    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments, as in the usage text
     */
    public static void main(String[] args) {
        int status = run(System.out, System.err, args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns the exit status. */
    static int run(PrintStream out, PrintStream err, String... args) {
        List<Path> classpath = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        Path output = null;
        boolean unsign = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    out.println(USAGE_TEXT);
                    return 0;
                }
                case "--unsign" -> unsign = true;
                case "-cp", "--classpath", "-o", "--output" -> {
                    if (i + 1 == args.length) {
                        return usage(err, a + " needs a value");
                    }
                    String value = args[++i];
                    if (a.equals("-cp") || a.equals("--classpath")) {
                        classpath.addAll(ClasspathLocator.parse(value));
                    } else if (output != null) {
                        return usage(err, "--output given twice");
                    } else {
                        output = Path.of(value);
                    }
                }
                default -> {
                    if (a.startsWith("-") && !a.equals("-")) {
                        return usage(err, "unknown option " + a);
                    }
                    inputs.add(Path.of(a));
                }
            }
        }
        if (inputs.isEmpty()) {
            return usage(err, "nothing to weave");
        }
        long jars = inputs.stream().filter(p -> !Files.isDirectory(p)).count();
        if (output != null && (jars != 1 || inputs.size() != 1)) {
            return usage(err, "--output needs exactly one jar to weave");
        }
        for (Path p : inputs) {
            if (!Files.exists(p)) {
                return usage(err, "no such file or folder: " + p);
            }
        }

        List<Path> lookup = new ArrayList<>(classpath);
        lookup.addAll(inputs);
        List<Problem> problems = new ArrayList<>();
        List<Throwable> bugs = new ArrayList<>();
        boolean ioFailed = false;
        // The report: a line per folder or jar on standard output, the problems on standard error at the end.
        WeaveListener report = new WeaveListener() {
            @Override
            public void onProblem(Problem problem) {
                problems.add(problem);
            }

            @Override
            public void onSummary(Path source, Path target, DirectoryWeaver.Summary summary) {
                out.println((source.equals(target) ? source : source + " -> " + target) + ": "
                        + WeaveListener.describe(summary));
            }
        };
        try (ClasspathLocator locator = ClasspathLocator.of(lookup)) {
            DirectoryWeaver weaver = new DirectoryWeaver(locator, unsign).listening(report);
            for (Path in : inputs) {
                try {
                    if (Files.isDirectory(in)) {
                        weaver.weave(in);
                    } else {
                        weaver.weaveJar(in, output != null ? output : wovenJarName(in));
                    }
                } catch (TransformException e) {
                    bugs.addAll(List.of(e.getSuppressed()));
                } catch (IOException e) {
                    err.println("error: " + in + ": " + e);
                    ioFailed = true;
                }
            }
        } catch (IOException e) {
            err.println("error: " + e);
            ioFailed = true;
        }
        for (Problem p : problems) {
            err.println(p.format());
        }
        for (Throwable bug : bugs) { // failures of the transformer itself, for a bug report
            bug.printStackTrace(err);
        }
        if (!problems.isEmpty()) {
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        }
        return problems.isEmpty() && !ioFailed ? 0 : FAILED;
    }

    /** {@code lib/x.jar} becomes {@code lib/x-woven.jar}. */
    static Path wovenJarName(Path jar) {
        String name = jar.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String woven = dot > 0 ? name.substring(0, dot) + "-woven" + name.substring(dot) : name + "-woven";
        return jar.resolveSibling(woven);
    }

    private static int usage(PrintStream err, String message) {
        err.println("error: " + message);
        err.println(USAGE_TEXT);
        return USAGE;
    }
}
