package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.annotations.Async;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Signal handlers and Ctrl-C, with real signals ({@code kill}) sent to a JVM of its own running {@link SignalMain};
 * the asyncio counterparts are test_asyncio/test_runners.py (test_signal_install_not_supported_ok,
 * test_interrupt_call_soon, test_interrupt_wait, test_interrupt_cancelled_task) and test_unix_events.py
 * (SelectorEventLoopSignalTests).
 */
class SignalsTest extends AsyncTestBase {
    /** The first Ctrl-C cancels the main task (its finally runs), run() throws KeyboardInterrupt, SIGINT is restored. */
    @Test
    void ctrlCCancelsTheMainTaskThenRunThrowsKeyboardInterrupt() throws Exception {
        Child c = Child.start("ctrl-c");
        c.awaitLine("ready");
        c.signal("INT");
        c.awaitLine("finally ran");
        c.awaitLine("caught KeyboardInterrupt caused by CancelledError");
        c.awaitLine("ready");
        c.signal("INT"); // the JVM's own handler again
        assertEquals(130, c.exitStatus());
        assertFalse(c.lines.contains("slept"), c.lines.toString());
        assertFalse(c.lines.contains("not interrupted"), c.lines.toString());
    }

    /** A second Ctrl-C during the cleanup ends the JVM at once (130): the cleanup does not finish. */
    @Test
    void aSecondCtrlCWhileCleaningUpExitsAtOnce() throws Exception {
        Child c = Child.start("ctrl-c-twice");
        c.awaitLine("ready");
        c.signal("INT");
        c.awaitLine("finally ran");
        c.signal("INT");
        assertEquals(130, c.exitStatus());
        assertFalse(c.lines.contains("cleanup done"), c.lines.toString());
        assertFalse(c.lines.contains("run returned"), c.lines.toString());
    }

    /** As asyncio: a main task that swallows the cancellation makes run() return normally. */
    @Test
    void aMainTaskThatSwallowsTheCancellationReturnsNormally() throws Exception {
        Child c = Child.start("swallowed");
        c.awaitLine("ready");
        c.signal("INT");
        c.awaitLine("swallowed the cancellation");
        c.awaitLine("run returned normally");
        assertEquals(0, c.exitStatus());
    }

    /** Handlers run on the loop's thread; closing the loop gives the JVM back its own TERM handler. */
    @Test
    void signalHandlersRunOnTheLoopThreadAndAreRemovedWhenTheLoopCloses() throws Exception {
        Child c = Child.start("handlers");
        c.awaitLine("ready");
        c.signal("TERM");
        c.awaitLine("TERM handled");
        c.signal("USR1");
        c.awaitLine("USR1 on thread main");
        c.awaitLine("got USR1");
        c.awaitLine("ready");
        c.signal("TERM");
        assertEquals(143, c.exitStatus());
        assertFalse(c.lines.contains("not terminated"), c.lines.toString());
    }

    /** In this JVM: a handler of USR1 gets a USR1 sent by kill, in the context current when it was added. */
    @Test
    void aHandlerInThisJvm() throws Exception {
        // on real time: the signal comes from outside the loop, which virtual time would not wait for
        assertEquals("USR1", Asyncio.run(usr1ToMyself()));
    }

    @Async
    private Coroutine<String> usr1ToMyself() throws Exception {
        EventLoop l = Asyncio.getRunningLoop();
        Future<String> got = new Future<>(l);
        l.addSignalHandler("usr1", () -> {
            if (!got.done()) {
                got.setResult("USR1");
            }
        });
        try {
            new ProcessBuilder("kill", "-USR1", Long.toString(ProcessHandle.current().pid())).inheritIO().start();
            return done(await(Asyncio.waitFor(got, 20)));
        } finally {
            assertTrue(l.removeSignalHandler("SIGUSR1"));
            assertFalse(l.removeSignalHandler("USR1"));
        }
    }

    @Test
    void signalsThatCannotBeHandledSayWhy() {
        runTest(refused());
    }

    @Async
    private Coroutine<Void> refused() {
        EventLoop l = Asyncio.getRunningLoop();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.addSignalHandler("QUIT", () -> { }));
        assertTrue(e.getMessage().contains("SIGQUIT") && e.getMessage().contains("JVM"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> l.addSignalHandler("USR2", () -> { }));
        assertTrue(e.getMessage().contains("SIGUSR2") && e.getMessage().contains("HotSpot suspends"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> l.addSignalHandler("NOPE", () -> { }));
        assertTrue(e.getMessage().contains("Unknown signal 'NOPE'"), e.getMessage());
        return done(null);
    }

    /** A JVM of its own running {@link SignalMain}, with this JVM's class path and java agent (if any). */
    private static final class Child {
        final Process process;
        final BufferedReader out;
        final List<String> lines = new ArrayList<>();

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(String mode) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-javaagent:")) {
                    cmd.add(arg); // the agent run of this suite: the child weaves as this JVM does
                }
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(SignalMain.class.getName());
            cmd.add(mode);
            // no pipe to the child's stdin: this JVM's fds are counted by other tests (StreamsFaultsTest)
            return new Child(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start());
        }

        void awaitLine(String expected) throws IOException {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (line.equals(expected)) {
                    return;
                }
            }
            throw new AssertionError("the child ended without printing '" + expected + "': " + lines);
        }

        void signal(String name) throws Exception {
            Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            assertEquals(0, k.waitFor(), "kill -" + name);
        }

        int exitStatus() throws Exception {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child did not end: " + lines);
            }
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
            out.close();
            return process.exitValue();
        }
    }
}
