package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createSubprocessExec;
import static io.jasyncio.Asyncio.done;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.AsyncProcess;
import io.jasyncio.Coroutine;
import io.jasyncio.ProcessOutput;
import io.jasyncio.SubprocessOptions;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Runs two programs with their outputs piped to the loop, reads all they wrote with {@code communicate}, and
 * prints it with their return codes; the example of asyncio's subprocess documentation, with
 * {@code create_subprocess_exec}. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def run(*cmd):
 *     proc = await asyncio.create_subprocess_exec(
 *         *cmd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
 *     stdout, stderr = await proc.communicate()
 *     print(f'[{" ".join(cmd)!r} exited with {proc.returncode}]')
 *     if stdout:
 *         print(f'[stdout]\n{stdout.decode()}')
 *     if stderr:
 *         print(f'[stderr]\n{stderr.decode()}')
 *
 * async def main():
 *     await run('echo', 'hello from a child')
 *     await run('ls', '/zzz')
 *
 * asyncio.run(main())
 * }</pre>
 * It prints (Python 3.11, 3.12 and 3.13 alike, with GNU ls):
 * <pre>
 * ['echo hello from a child' exited with 0]
 * [stdout]
 * hello from a child
 *
 * ['ls /zzz' exited with 2]
 * [stderr]
 * ls: cannot access '/zzz': No such file or directory
 *
 * </pre>
 */
public final class Subprocess implements Example {

    /** Creates the example. */
    public Subprocess() {
    }

    /** {@return {@code subprocess}} */
    @Override
    public String name() {
        return "subprocess";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "runs echo and ls through createSubprocessExec, prints their output and return codes";
    }

    /**
     * Runs {@code cmd}, then prints its return code and what it wrote.
     *
     * @param out where the coroutine prints
     * @param cmd the program and its arguments
     * @return the coroutine
     * @throws IOException (from the coroutine) if the program cannot be run
     */
    @Async
    public Coroutine<Void> run(PrintStream out, String... cmd) throws IOException {
        String[] args = java.util.Arrays.copyOfRange(cmd, 1, cmd.length);
        AsyncProcess proc = await(createSubprocessExec(SubprocessOptions.pipes(), cmd[0], args));
        ProcessOutput output = await(proc.communicate(null));
        out.println("['" + String.join(" ", cmd) + "' exited with " + proc.returncode().getAsInt() + "]");
        if (output.stdout().length > 0) {
            out.println("[stdout]\n" + output.stdoutText(UTF_8));
        }
        if (output.stderr().length > 0) {
            out.println("[stderr]\n" + output.stderrText(UTF_8));
        }
        return done();
    }

    /**
     * Runs the two commands one after the other.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        try {
            await(run(out, "echo", "hello from a child"));
            await(run(out, "ls", "/zzz"));
        } catch (IOException e) {
            out.println("cannot run it: " + e.getMessage());
        }
        return done();
    }
}
