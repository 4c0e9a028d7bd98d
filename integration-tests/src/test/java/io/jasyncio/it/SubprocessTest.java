package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createSubprocessExec;
import static io.jasyncio.Asyncio.createSubprocessShell;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.waitFor;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jasyncio.AsyncProcess;
import io.jasyncio.Coroutine;
import io.jasyncio.ProcessOutput;
import io.jasyncio.Stdio;
import io.jasyncio.StreamReader;
import io.jasyncio.StreamWriter;
import io.jasyncio.SubprocessOptions;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subprocesses with real programs (cat, sh, sleep, yes, head), their pipes on the loop; the asyncio counterparts
 * are CPython's test_asyncio/test_subprocess.py (test_stdin_stdout, test_shell, test_kill, test_terminate,
 * test_communicate, test_pause_reading, test_stdin_broken_pipe).
 */
class SubprocessTest extends AsyncTestBase {
    private static final SubprocessOptions PIPES = SubprocessOptions.pipes();

    /** 10 MiB through cat: written with drain() while another task reads, the bytes come back the same. */
    @Test
    void catRoundTripsTenMebibytesWithDrainAndConcurrentReads() throws Exception {
        byte[] data = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(data);
        byte[] back = runTest(catRoundTrip(data));
        assertEquals(data.length, back.length);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                MessageDigest.getInstance("SHA-256").digest(back));
    }

    @Async
    private Coroutine<byte[]> catRoundTrip(byte[] data) throws Exception {
        AsyncProcess p = await(createSubprocessExec(PIPES, "cat"));
        Task<byte[]> reader = createTask(p.stdout().read(-1));
        StreamWriter in = p.stdin();
        int maxBuffered = 0;
        for (int off = 0; off < data.length; off += 100_000) {
            in.write(java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 100_000)));
            await(in.drain());
            // drain() returns at or below the high-water mark: the queue of the stdin pipe stays bounded
            maxBuffered = Math.max(maxBuffered, in.transport().getWriteBufferSize());
        }
        in.close();
        byte[] back = await(reader);
        assertEquals(0, await(p.waitFor()));
        assertTrue(maxBuffered <= in.transport().getWriteBufferHigh(), "buffered " + maxBuffered);
        return done(back);
    }

    /** drain() waits while the child does not read: here the child reads nothing until told to. */
    @Test
    void drainWaitsWhileTheChildDoesNotRead() throws Exception {
        runTest(drainWaits());
    }

    @Async
    private Coroutine<Void> drainWaits() throws Exception {
        // the shell sleeps (reads nothing), then reads everything
        AsyncProcess p = await(createSubprocessShell(PIPES.withStderr(Stdio.DEVNULL), "read x; cat >/dev/null"));
        StreamWriter in = p.stdin();
        in.write("go\n".getBytes(UTF_8));
        byte[] mib = new byte[1024 * 1024];
        in.write(mib); // far above the pipe's 64 KiB and the high-water mark
        Task<Void> draining = createTask(in.drain());
        assertFalse(draining.done());
        await(draining); // returns once cat has read it
        assertTrue(in.transport().getWriteBufferSize() <= in.transport().getWriteBufferLow());
        in.close();
        assertEquals(0, await(p.waitFor()));
        return done(null);
    }

    @Test
    void shellExitCodeIsTheReturncode() throws Exception {
        assertEquals(3, runTest(exitCode("exit 3")));
        assertEquals(0, runTest(exitCode("true")));
    }

    @Async
    private Coroutine<Integer> exitCode(String cmd) throws Exception {
        AsyncProcess p = await(createSubprocessShell(cmd));
        int rc = await(p.waitFor());
        assertEquals(rc, p.returncode().getAsInt());
        return done(rc);
    }

    /** As asyncio: a child killed by kill() reports -9, by terminate() -15, and none is left behind. */
    @Test
    void killAndTerminateReportMinusTheSignal() throws Exception {
        assertEquals(-9, runTest(signalled(true)));
        assertEquals(-15, runTest(signalled(false)));
    }

    @Async
    private Coroutine<Integer> signalled(boolean kill) throws Exception {
        AsyncProcess p = await(createSubprocessExec("sleep", "10"));
        if (kill) {
            p.kill();
        } else {
            p.terminate();
        }
        int rc = await(p.waitFor());
        assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "the child was not reaped: /proc/" + p.pid());
        p.kill(); // once it has exited, nothing happens
        return done(rc);
    }

    @Test
    void sendSignalSendsOtherSignalsThroughKill() throws Exception {
        assertEquals(-10, runTest(usr1()));
    }

    @Async
    private Coroutine<Integer> usr1() throws Exception {
        AsyncProcess p = await(createSubprocessExec("sleep", "10"));
        p.sendSignal("SIGUSR1"); // sleep does not handle it: it dies of it
        return done(await(p.waitFor()));
    }

    /**
     * {@code yes | head -c 50000000} read with a 1 KiB limit: the reader pauses its pipe, so what is buffered on
     * this side stays near the limit while 50 MB go through.
     */
    @Test
    void aSlowReaderPausesThePipeAndMemoryStaysBounded() throws Exception {
        runTest(boundedRead());
    }

    @Async
    private Coroutine<Void> boundedRead() throws Exception {
        AsyncProcess p = await(createSubprocessShell(PIPES.withLimit(1024), "yes | head -c 50000000"));
        StreamReader out = p.stdout();
        long total = 0;
        int maxBuffered = 0;
        while (true) {
            byte[] chunk = await(out.read(512));
            if (chunk.length == 0) {
                break;
            }
            total += chunk.length;
            maxBuffered = Math.max(maxBuffered, bufferedIn(out));
        }
        assertEquals(50_000_000L, total);
        assertEquals(0, await(p.waitFor()));
        // paused above 2 x limit; one chunk of the pipe (64 KiB) may be in flight when it pauses
        assertTrue(maxBuffered <= 2 * 1024 + 64 * 1024, "the reader buffered " + maxBuffered + " bytes");
        return done(null);
    }

    /** The bytes a reader holds, from its toString ({@code <StreamReader N bytes ...>}). */
    private static int bufferedIn(StreamReader r) {
        String s = r.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) bytes").matcher(s);
        if (!m.find()) {
            throw new AssertionError("no byte count in " + s);
        }
        return Integer.parseInt(m.group(1));
    }

    @Test
    void aMissingProgramIsAnIOExceptionNamingIt() throws Exception {
        IOException e = assertThrows(IOException.class, () -> runTest(missing()));
        assertTrue(e.getMessage().contains("no-such-program-jasyncio"), e.getMessage());
    }

    @Async
    private Coroutine<AsyncProcess> missing() throws Exception {
        return done(await(createSubprocessExec("no-such-program-jasyncio", "x")));
    }

    @Test
    void stderrMergedIntoStdout() throws Exception {
        ProcessOutput out = runTest(merged());
        assertEquals("out\nerr\n", out.stdoutText(UTF_8));
        assertNull(out.stderr());
    }

    @Async
    private Coroutine<ProcessOutput> merged() throws Exception {
        AsyncProcess p = await(createSubprocessShell(PIPES.withStderr(Stdio.STDOUT), "echo out; echo err >&2"));
        assertThrows(IllegalStateException.class, p::stderr);
        return done(await(p.communicate(null)));
    }

    @Test
    void communicateFeedsStdinAndReadsBothOutputs() throws Exception {
        ProcessOutput out = runTest(communicateBoth());
        assertEquals("HELLO\n", out.stdoutText(UTF_8));
        assertEquals("to stderr\n", out.stderrText(UTF_8));
    }

    @Async
    private Coroutine<ProcessOutput> communicateBoth() throws Exception {
        AsyncProcess p = await(createSubprocessShell(PIPES, "tr a-z A-Z; echo to stderr >&2"));
        ProcessOutput out = await(p.communicate("hello\n".getBytes(UTF_8)));
        assertEquals(0, p.returncode().getAsInt());
        return done(out);
    }

    /** A child that exits without reading its input: communicate() ignores the broken pipe, as asyncio. */
    @Test
    void communicateIgnoresABrokenStdin() throws Exception {
        assertEquals(7, runTest(brokenStdin()));
    }

    @Async
    private Coroutine<Integer> brokenStdin() throws Exception {
        AsyncProcess p = await(createSubprocessShell(PIPES, "exit 7"));
        await(p.communicate(new byte[4 * 1024 * 1024]));
        return done(p.returncode().getAsInt());
    }

    /**
     * communicate() under waitFor's timeout: the timeout cancels it, the user kills the child and waits; the
     * child is reaped (no zombie in /proc). Waiting for the real child takes real time: the loop's virtual clock
     * runs no faster than real time while a child lives, so the timeout here is short.
     */
    @Test
    void communicateWithATimeoutThenKillLeavesNoZombie() throws Exception {
        runTest(communicateTimeout());
    }

    @Async
    private Coroutine<Void> communicateTimeout() throws Exception {
        AsyncProcess p = await(createSubprocessExec(PIPES, "sleep", "10"));
        try {
            await(waitFor(p.communicate(null), 0.05));
            fail("sleep 10 finished within 50 ms");
        } catch (TimeoutException expected) {
            p.kill();
            assertEquals(-9, await(p.waitFor()));
        }
        assertFalse(Files.exists(Path.of("/proc/" + p.pid())), "zombie /proc/" + p.pid());
        return done(null);
    }

    /** Appending to a file, an added variable on top of this JVM's environment, an empty stdin. */
    @Test
    void appendWithEnvAndDevnull(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.txt");
        Files.writeString(log, "first\n");
        runTest(appendEnvDevnull(log));
        assertEquals("first\nadded [] " + System.getenv("PATH") + "\n", Files.readString(log));
    }

    @Async
    private Coroutine<Void> appendEnvDevnull(Path log) throws Exception {
        SubprocessOptions o = SubprocessOptions.defaults().withStdin(Stdio.DEVNULL).withStdout(Stdio.append(log))
                .withEnv("JASYNCIO_ADDED", "added");
        AsyncProcess p = await(createSubprocessShell(o, "echo \"$JASYNCIO_ADDED [$(cat)] $PATH\""));
        IllegalStateException e = assertThrows(IllegalStateException.class, p::stdin);
        assertTrue(e.getMessage().contains("withStdin(Stdio.PIPE)"), e.getMessage());
        assertEquals(0, await(p.waitFor()));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> p.sendSignal("NOPE"));
        assertTrue(unknown.getMessage().contains("Unknown signal 'NOPE'"), unknown.getMessage());
        return done(null);
    }

    /** Stdio.STDOUT is for stderr only, and append() for outputs only: refused with a message. */
    @Test
    void misplacedRedirectionsAreRefused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> SubprocessOptions.defaults().withStdout(Stdio.STDOUT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runTest(startWith(SubprocessOptions.defaults().withStdin(Stdio.append(dir.resolve("x"))))));
        assertTrue(e.getMessage().contains("is for an output, not stdin"), e.getMessage());
    }

    @Async
    private Coroutine<Void> startWith(SubprocessOptions o) throws Exception {
        await(createSubprocessExec(o, "true"));
        return done(null);
    }

    @Test
    void directoryEnvironmentAndFiles(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.txt");
        Files.writeString(input, "from a file\n");
        Path output = dir.resolve("out.txt");
        runTest(dirEnvFiles(dir, input, output));
        assertEquals("from a file\n" + dir.toRealPath() + "\nbar\n", Files.readString(output));
    }

    @Async
    private Coroutine<Void> dirEnvFiles(Path dir, Path input, Path output) throws Exception {
        SubprocessOptions o = SubprocessOptions.defaults().withStdin(Stdio.file(input)).withStdout(Stdio.file(output))
                .withDirectory(dir).withEnvironment(Map.of("FOO", "bar", "PATH", System.getenv("PATH")));
        AsyncProcess p = await(createSubprocessShell(o, "cat; pwd -P; echo $FOO"));
        assertThrows(IllegalStateException.class, p::stdout);
        assertEquals(0, await(p.waitFor()));
        return done(null);
    }
}
