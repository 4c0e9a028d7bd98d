package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line, in process: one example on real time, the usage, an unknown name. */
class MainTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void helloTwice_onRealTime_takesAboutOneSecondNotTwo() {
        long start = System.nanoTime();
        assertEquals(0, Main.run(new String[] {"hello-twice"}, out, err));
        double seconds = (System.nanoTime() - start) / 1e9;

        List<String> lines = ExamplesTest.lines(outBytes);
        assertEquals(List.of("Hello", "Hello", "World", "World"), lines.subList(0, 4));
        assertEquals(5, lines.size(), () -> "output: " + lines);
        assertTrue(lines.get(4).matches("Elapsed: \\d+\\.\\d\\d s"), lines.get(4));
        double printed = Double.parseDouble(lines.get(4).split(" ")[1]);
        assertTrue(printed >= 0.9 && printed < 1.9, lines.get(4));
        assertTrue(seconds >= 0.9 && seconds < 1.9, "took " + seconds + " s");
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    /** On real time and a real one-second blocking call: the ticks go on meanwhile, so it takes 1 s, not 2. */
    @Test
    void runInExecutor_onRealTime_theBlockingCallDoesNotBlockTheLoop() {
        long start = System.nanoTime();
        assertEquals(0, Main.run(new String[] {"run-in-executor"}, out, err));
        double seconds = (System.nanoTime() - start) / 1e9;

        List<String> lines = ExamplesTest.lines(outBytes);
        assertEquals(List.of(
                "main: running the blocking call in the default executor",
                "tick 0",
                "tick 1",
                "tick 2",
                "tick 3",
                "main: got the blocking call's result"), lines.subList(0, Math.min(6, lines.size())));
        assertEquals(7, lines.size(), () -> "output: " + lines);
        assertTrue(lines.get(6).matches("Elapsed: \\d+\\.\\d\\d s"), lines.get(6));
        double printed = Double.parseDouble(lines.get(6).split(" ")[1]);
        assertTrue(printed >= 0.99 && printed < 1.9, lines.get(6));
        assertTrue(seconds >= 0.99 && seconds < 1.9, "took " + seconds + " s");
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noArguments_printsTheUsage() {
        assertEquals(0, Main.run(new String[0], out, err));
        String usage = outBytes.toString(StandardCharsets.UTF_8);
        for (Example example : Main.EXAMPLES) {
            assertTrue(usage.contains("  " + example.name() + " "), usage);
        }
        assertTrue(usage.contains("  all "), usage);
    }

    @Test
    void unknownName_printsTheUsageToStderrAndFails() {
        assertEquals(2, Main.run(new String[] {"greeting", "nope"}, out, err));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8)); // nothing ran
        String text = errBytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("unknown example: nope" + System.lineSeparator() + "usage: "), text);
    }

    /** fetch-http ends on its own: run with its options, on a free port, then the elapsed time. */
    @Test
    void fetchHttp_withOptions_portZero() {
        assertEquals(0, Main.run(new String[] {"fetch-http", "--host", "127.0.0.1", "--port=0"}, out, err));
        List<String> lines = ExamplesTest.lines(outBytes);
        assertEquals(5, lines.size(), () -> "output: " + lines);
        assertTrue(lines.get(0).matches("Serving on 127\\.0\\.0\\.1:\\d+"), lines.get(0));
        assertTrue(lines.get(1).endsWith("/one: 200 'Hello, World!'"), lines.get(1));
        assertTrue(lines.get(4).matches("Elapsed: \\d+\\.\\d\\d s"), lines.get(4));
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void wrongOptions_printTheUsageToStderrAndFail() {
        String[][] wrong = {
            {"echo-client", "--port", "http"},   // not a number
            {"echo-client", "--port", "65536"},  // out of range
            {"echo-client", "--port"},           // no value
            {"echo-client", "--colour", "red"},  // not one of its options
            {"greeting", "--port", "1"},         // takes none
            {"--port", "1", "echo-client"},      // before any example
            {"all", "--port", "1"},              // all takes none
        };
        for (String[] args : wrong) {
            outBytes.reset();
            errBytes.reset();
            assertEquals(2, Main.run(args, out, err), String.join(" ", args));
            assertEquals("", outBytes.toString(StandardCharsets.UTF_8), String.join(" ", args)); // nothing ran
            assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("usage: "), String.join(" ", args));
        }
    }

    /** all runs the tutorial programs only: a server would serve forever, a client needs a server. */
    @Test
    void usage_listsTheNetworkExamplesApart_andAllSkipsThem() {
        assertEquals(0, Main.run(new String[0], out, err));
        String usage = outBytes.toString(StandardCharsets.UTF_8);
        int tcp = usage.indexOf("over TCP, with --host");
        assertTrue(tcp > usage.indexOf("  all "), usage);
        for (String name : List.of("echo-server", "echo-client", "http-hello", "fetch-http")) {
            assertTrue(usage.indexOf("  " + name + " ") > tcp, usage);
        }
        assertEquals(17, Main.EXAMPLES.stream().filter(Example::inAll).count());
    }
}
