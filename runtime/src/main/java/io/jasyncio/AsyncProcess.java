package io.jasyncio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * A child process started by {@link Asyncio#createSubprocessExec} or {@link Asyncio#createSubprocessShell}, with
 * its pipes on the event loop; asyncio's {@code asyncio.subprocess.Process}. It is named {@code AsyncProcess} so
 * that it does not clash with {@link java.lang.Process}, which {@link #process()} gives for what only the JDK
 * offers (its {@link ProcessHandle}, descendants).
 *
 * <pre>{@code
 * AsyncProcess p = await(createSubprocessExec(SubprocessOptions.pipes(), "ls", "-l"));
 * ProcessOutput out = await(p.communicate(null));
 * System.out.println(out.stdoutText(UTF_8) + "exit " + p.returncode().getAsInt());
 * }</pre>
 *
 * <p>Its methods are called on the loop's thread. The JDK's process streams block, so each pipe has a thread of
 * its own that hands data to the loop (see docs/io.md); flow control holds both ways: an output nobody reads
 * pauses its pipe (the child then blocks on its full pipe), and {@code stdin().drain()} waits while the child does
 * not read. The exit is observed through {@link java.lang.Process#onExit()}.
 *
 * <p>As in asyncio, a child that fills a pipe nobody reads never exits: read its outputs (or use
 * {@link #communicate}) before or while awaiting {@link #waitFor()}.
 */
public final class AsyncProcess {
    private final EventLoop loop;
    private final Process process;
    private final String program;
    private StreamWriter stdin;
    private StreamReader stdout;
    private StreamReader stderr;
    private PipeWriteTransport stdinPipe;
    private PipeReadTransport stdoutPipe;
    private PipeReadTransport stderrPipe;
    private int openPipes;
    private OptionalInt returncode = OptionalInt.empty();
    private boolean finished;
    private final List<Future<Integer>> waiters = new ArrayList<>(1);
    private final BitSet signalsSent = new BitSet();

    private AsyncProcess(EventLoop loop, Process process, String program) {
        this.loop = loop;
        this.process = process;
        this.program = program;
    }

    /** Starts the child on {@code loop}'s thread; a program that cannot be run throws its {@link IOException}. */
    static AsyncProcess start(EventLoop loop, SubprocessOptions options, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(options.stdin().toRedirect("stdin"));
        pb.redirectOutput(options.stdout().toRedirect("stdout"));
        if (options.stderr() == Stdio.STDOUT) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(options.stderr().toRedirect("stderr"));
        }
        if (options.directory() != null) {
            pb.directory(options.directory().toFile());
        }
        if (options.environment() != null) {
            pb.environment().clear();
            pb.environment().putAll(options.environment());
        }
        Process p = pb.start(); // "Cannot run program "x": error=2, No such file or directory" names the program
        AsyncProcess ap = new AsyncProcess(loop, p, command.get(0));
        ap.connect(options);
        return ap;
    }

    private void connect(SubprocessOptions options) {
        String name = process.pid() + "-";
        if (options.stdin().isPipe()) {
            StreamReaderProtocol protocol = new StreamReaderProtocol(null, null, loop);
            stdinPipe = new PipeWriteTransport(loop, process.getOutputStream(), protocol, name + "stdin", this::pipeLost);
            stdin = new StreamWriter(stdinPipe, protocol, null, loop);
            openPipes++;
            stdinPipe.start();
        }
        if (options.stdout().isPipe()) {
            stdout = new StreamReader(options.limit());
            stdoutPipe = new PipeReadTransport(loop, process.getInputStream(),
                    new StreamReaderProtocol(stdout, null, loop), name + "stdout", this::pipeLost);
            openPipes++;
            stdoutPipe.start();
        }
        if (options.stderr().isPipe()) {
            stderr = new StreamReader(options.limit());
            stderrPipe = new PipeReadTransport(loop, process.getErrorStream(),
                    new StreamReaderProtocol(stderr, null, loop), name + "stderr", this::pipeLost);
            openPipes++;
            stderrPipe.start();
        }
        loop.externalStarted(); // the exit is reported from the JDK's reaper: virtual time waits for it
        process.onExit().whenComplete((p, e) -> {
            try {
                loop.callSoonThreadsafe(this::exited);
            } catch (IllegalStateException closed) {
                // the loop closed before the child exited: nobody waits for it any more
            }
        });
    }

    private void exited() {
        loop.externalEnded();
        int status = process.exitValue();
        // The JDK reports a child killed by signal N as 128 + N, as shells do; asyncio reports -N. The two cannot
        // be told apart from exit(128 + N), so -N is reported for the signals this object sent.
        if (status > 128 && signalsSent.get(status - 128)) {
            status = -(status - 128);
        }
        returncode = OptionalInt.of(status);
        if (stdinPipe != null) {
            stdinPipe.peerGone();
        }
        tryFinish();
    }

    private void pipeLost() {
        openPipes--;
        tryFinish();
    }

    /** As asyncio 3.12+: {@link #waitFor()} returns once the child exited and every pipe is closed. */
    private void tryFinish() {
        if (finished || !returncode.isPresent() || openPipes > 0) {
            return;
        }
        finished = true;
        int rc = returncode.getAsInt();
        for (Future<Integer> w : waiters) {
            if (!w.done()) {
                w.complete(rc);
            }
        }
        waiters.clear();
    }

    // ---- the streams ----------------------------------------------------------------------------------------

    /**
     * {@return the child's standard input}
     *
     * @throws IllegalStateException if it was not started with {@link Stdio#PIPE} for stdin
     */
    public StreamWriter stdin() {
        if (stdin == null) {
            throw notPiped("stdin");
        }
        return stdin;
    }

    /**
     * {@return the child's standard output}
     *
     * @throws IllegalStateException if it was not started with {@link Stdio#PIPE} for stdout
     */
    public StreamReader stdout() {
        if (stdout == null) {
            throw notPiped("stdout");
        }
        return stdout;
    }

    /**
     * {@return the child's standard error}
     *
     * @throws IllegalStateException if it was not started with {@link Stdio#PIPE} for stderr
     */
    public StreamReader stderr() {
        if (stderr == null) {
            throw notPiped("stderr");
        }
        return stderr;
    }

    private IllegalStateException notPiped(String stream) {
        return new IllegalStateException(stream + " of " + this + " is not a pipe: start it with Stdio.PIPE for "
                + stream + " (SubprocessOptions.pipes() or with" + Character.toUpperCase(stream.charAt(0))
                + stream.substring(1) + "(Stdio.PIPE))");
    }

    // ---- the process ----------------------------------------------------------------------------------------

    /** {@return the child's process id} */
    public long pid() {
        return process.pid();
    }

    /**
     * {@return the child's exit status once it exited, else empty} Negative for a child killed by a signal that
     * {@link #sendSignal}, {@link #terminate} or {@link #kill} sent (−15, −9, as asyncio); a child killed by a
     * signal from elsewhere shows 128 + its number, which is all the JDK tells.
     */
    public OptionalInt returncode() {
        return returncode;
    }

    /** {@return the JDK's process, for what only it offers (its {@link ProcessHandle}); do not read its streams} */
    public Process process() {
        return process;
    }

    /**
     * Waits until the child exits and its pipes are closed; asyncio's {@code wait()}.
     *
     * @return a coroutine of the {@link #returncode()}
     */
    public Coroutine<Integer> waitFor() {
        loop.checkThread("AsyncProcess.waitFor");
        Future<Integer> w = new Future<>(loop);
        if (finished) {
            w.complete(returncode.getAsInt());
        } else {
            waiters.add(w);
        }
        return new Combinators.Awaiter<>(w);
    }

    /**
     * Writes {@code input} to the child's stdin and closes it, reads its stdout and stderr to their ends, and
     * waits for it to exit; asyncio's {@code communicate()}. A broken stdin (the child exited without reading
     * it all) is ignored, as in asyncio. Cancelling it (e.g. by {@link Asyncio#waitFor}'s timeout) leaves the
     * child running: {@link #kill()} it and await {@link #waitFor()}.
     *
     * @param input what to write to stdin, or {@code null}
     * @return a coroutine of the outputs ({@code null} for one that is not a pipe)
     * @throws IllegalStateException if {@code input} is given and stdin is not a pipe
     */
    public Coroutine<ProcessOutput> communicate(byte[] input) {
        loop.checkThread("AsyncProcess.communicate");
        if (input != null && stdin == null) {
            throw notPiped("stdin");
        }
        return new Communicate(this, input);
    }

    /**
     * Sends the signal {@code signal} ("TERM", "SIGUSR1", ...) to the child; asyncio's {@code send_signal}. Nothing
     * happens once the child has exited. {@code TERM} and {@code KILL} go through {@link java.lang.Process}; the JDK
     * sends no other signal, so those are sent by running {@code kill -s NAME pid}, whose failure is reported to the
     * loop's exception handler.
     *
     * @param signal the signal's name
     * @throws IllegalArgumentException for an unknown signal
     * @throws UncheckedIOException     if {@code kill} cannot be run
     */
    public void sendSignal(String signal) {
        loop.checkThread("AsyncProcess.sendSignal");
        String name = Signals.normalize(signal);
        int number = Signals.number(name);
        if (returncode.isPresent()) {
            return;
        }
        signalsSent.set(number);
        if (name.equals("TERM")) {
            process.destroy();
        } else if (name.equals("KILL")) {
            process.destroyForcibly();
        } else {
            runKill(name);
        }
    }

    private void runKill(String name) {
        Process k;
        try {
            k = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).redirectErrorStream(true)
                    .redirectInput(Stdio.DEVNULL.toRedirect("stdin")).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill to send SIG" + name + " to " + this, e);
        }
        loop.externalStarted();
        k.onExit().whenComplete((p, e) -> {
            String said;
            try (java.io.InputStream in = p.getInputStream()) { // closed now, not when the GC finds it
                said = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException ex) {
                said = ex.toString();
            }
            String output = said;
            try {
                loop.callSoonThreadsafe(() -> {
                    loop.externalEnded();
                    if (p.exitValue() != 0) {
                        loop.callExceptionHandler(new ExceptionContext("kill -s " + name + " " + process.pid()
                                + " failed (exit " + p.exitValue() + "): " + output, null));
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop is gone: nobody is left to tell
            }
        });
    }

    /** Sends SIGTERM; asyncio's {@code terminate()}. Nothing happens once the child has exited. */
    public void terminate() {
        sendSignal("TERM");
    }

    /** Sends SIGKILL; asyncio's {@code kill()}. Nothing happens once the child has exited. */
    public void kill() {
        sendSignal("KILL");
    }

    @Override
    public String toString() {
        return "<AsyncProcess " + process.pid() + " " + program
                + (returncode.isPresent() ? " returncode=" + returncode.getAsInt() : " running") + ">";
    }

    /** The coroutine of {@link Asyncio#createSubprocessExec}: starts the child when it is first run. */
    static final class Start extends Op<AsyncProcess> {
        private final SubprocessOptions options;
        private final List<String> command;

        Start(SubprocessOptions options, List<String> command) {
            this.options = options;
            this.command = command;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            try {
                return start(Asyncio.getRunningLoop(), options, command);
            } catch (IOException e) {
                throw CoreImpl.sneakyThrow(e);
            }
        }

        @Override
        public String toString() {
            return "<coroutine createSubprocess " + command + ">";
        }
    }

    // ---- communicate() --------------------------------------------------------------------------------------

    /** The coroutine of {@link #communicate}: asyncio's, with {@code gather} of the three streams. */
    private static final class Communicate extends Op<ProcessOutput> {
        private final AsyncProcess p;
        private final byte[] input;
        private byte[] out;
        private byte[] err;

        Communicate(AsyncProcess p, byte[] input) {
            this.p = p;
            this.input = input;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception);
            }
            switch (state) {
                case 0: {
                    List<Coroutine<?>> parts = new ArrayList<>(3);
                    if (p.stdin != null) {
                        parts.add(new FeedStdin(p.stdin, input));
                    }
                    if (p.stdout != null) {
                        parts.add(new ReadToEnd(p.stdout, p.stdoutPipe));
                    }
                    if (p.stderr != null) {
                        parts.add(new ReadToEnd(p.stderr, p.stderrPipe));
                    }
                    return await(Asyncio.gather(parts), 1);
                }
                case 1: {
                    List<?> results = (List<?>) value;
                    int i = p.stdin != null ? 1 : 0;
                    if (p.stdout != null) {
                        out = (byte[]) results.get(i++);
                    }
                    if (p.stderr != null) {
                        err = (byte[]) results.get(i);
                    }
                    return await(p.waitFor(), 2);
                }
                default:
                    return new ProcessOutput(out, err);
            }
        }

        @Override
        public String toString() {
            return "<coroutine AsyncProcess.communicate() of " + p + ">";
        }
    }

    /** Writes the input, drains, closes stdin; a broken pipe is not an error here (asyncio's {@code _feed_stdin}). */
    private static final class FeedStdin extends Op<Void> {
        private final StreamWriter w;
        private final byte[] input;

        FeedStdin(StreamWriter w, byte[] input) {
            this.w = w;
            this.input = input;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (state == 0) {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                if (input != null && input.length > 0) {
                    w.write(input);
                }
                try {
                    return await(w.drain(), 1);
                } catch (IOException e) {
                    throw new AssertionError(e); // drain() reports its errors from the coroutine
                }
            }
            if (exception != null && !(exception instanceof IOException)) {
                throw CoreImpl.sneakyThrow(exception);
            }
            w.close();
            return null;
        }

        @Override
        public String toString() {
            return "<coroutine feed stdin " + w + ">";
        }
    }

    /** Reads a pipe to its end, then closes it (asyncio's {@code _read_stream}). */
    private static final class ReadToEnd extends Op<byte[]> {
        private final StreamReader reader;
        private final PipeReadTransport pipe;

        ReadToEnd(StreamReader reader, PipeReadTransport pipe) {
            this.reader = reader;
            this.pipe = pipe;
        }

        @Override
        Object step(Object value, Throwable exception) {
            if (state == 0) {
                if (exception != null) {
                    throw CoreImpl.sneakyThrow(exception);
                }
                try {
                    return await(reader.read(-1), 1);
                } catch (IOException e) {
                    throw new AssertionError(e); // read() reports its errors from the coroutine
                }
            }
            if (exception != null) {
                throw CoreImpl.sneakyThrow(exception); // as asyncio: the pipe stays open (a cancelled read too)
            }
            pipe.close();
            return value;
        }

        @Override
        public String toString() {
            return "<coroutine read to the end of " + pipe + ">";
        }
    }
}
