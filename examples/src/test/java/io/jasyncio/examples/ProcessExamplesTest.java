package io.jasyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.EventLoop;
import io.jasyncio.TimeSource;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The examples that run programs (subprocess, pipeline) print what their Python originals print (run with
 * python3.11, 3.12 and 3.13: see each example's javadoc); graceful-shutdown is run in a JVM of its own and
 * stopped with real signals.
 */
class ProcessExamplesTest {
    private static List<String> run(Example example) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        EventLoop loop = new EventLoop(TimeSource.virtual());
        try {
            loop.runUntilComplete(example.main(out));
        } finally {
            loop.close();
        }
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n", -1));
    }

    @Test
    void subprocessPrintsWhatPythonPrints() {
        assertEquals(List.of("['echo hello from a child' exited with 0]", "[stdout]", "hello from a child", "",
                "['ls /zzz' exited with 2]", "[stderr]", "ls: cannot access '/zzz': No such file or directory", "",
                ""), run(new Subprocess()));
    }

    @Test
    void pipelinePrintsWhatPythonPrints() {
        assertEquals(List.of("copied 588895 bytes from seq to wc", "wc -l counted 100000 lines",
                "seq exited with 0, wc with 0", ""), run(new Pipeline()));
    }

    @Test
    void gracefulShutdownStopsCleanlyOnSigterm() throws Exception {
        assertStopsCleanly("TERM", "SIGTERM");
    }

    /** SIGINT too: the loop's handler takes it over from run()'s Ctrl-C handling while main runs. */
    @Test
    void gracefulShutdownStopsCleanlyOnSigint() throws Exception {
        assertStopsCleanly("INT", "SIGINT");
    }

    private static void assertStopsCleanly(String signal, String name) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "graceful-shutdown");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = r.readLine();
            assertEquals("serving; stop it with Ctrl-C or kill -TERM " + p.pid(), first);
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        // Main ends each run with the time it took
        assertTrue(!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("Elapsed: "), lines.toString());
        assertEquals(List.of("main: got " + name + ", shutting down", "worker 1: closed its connections",
                "worker 2: closed its connections", "main: all workers stopped"), lines.subList(0, lines.size() - 1));
        assertEquals(0, p.exitValue());
    }
}
