package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createSubprocessExec;
import static io.jasyncio.Asyncio.done;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.jasyncio.AsyncProcess;
import io.jasyncio.Coroutine;
import io.jasyncio.Stdio;
import io.jasyncio.StreamWriter;
import io.jasyncio.SubprocessOptions;
import io.jasyncio.annotations.Async;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Two children connected through the loop, as the shell's {@code seq 1 100000 | wc -l}: the loop reads what
 * {@code seq} writes and writes it to {@code wc}, waiting with {@code drain()} whenever {@code wc} falls behind, so
 * nothing piles up in between. The Python original:
 * <pre>{@code
 * import asyncio
 * from asyncio.subprocess import PIPE
 *
 * async def main():
 *     seq = await asyncio.create_subprocess_exec('seq', '1', '100000', stdout=PIPE)
 *     wc = await asyncio.create_subprocess_exec('wc', '-l', stdin=PIPE, stdout=PIPE)
 *     copied = 0
 *     while chunk := await seq.stdout.read(65536):
 *         wc.stdin.write(chunk)
 *         await wc.stdin.drain()
 *         copied += len(chunk)
 *     wc.stdin.close()
 *     counted = (await wc.stdout.read()).decode().strip()
 *     print(f'copied {copied} bytes from seq to wc')
 *     print(f'wc -l counted {counted} lines')
 *     print(f'seq exited with {await seq.wait()}, wc with {await wc.wait()}')
 *
 * asyncio.run(main())
 * }</pre>
 * It prints:
 * <pre>
 * copied 588895 bytes from seq to wc
 * wc -l counted 100000 lines
 * seq exited with 0, wc with 0
 * </pre>
 */
public final class Pipeline implements Example {

    /** Creates the example. */
    public Pipeline() {
    }

    /** {@return {@code pipeline}} */
    @Override
    public String name() {
        return "pipeline";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "seq 1 100000 | wc -l, the pipe between the two children going through the loop";
    }

    /**
     * Starts both, copies one's output to the other's input, and prints what {@code wc} counted.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        try {
            SubprocessOptions options = SubprocessOptions.defaults();
            AsyncProcess seq = await(createSubprocessExec(options.withStdout(Stdio.PIPE), "seq", "1", "100000"));
            AsyncProcess wc = await(createSubprocessExec(options.withStdin(Stdio.PIPE).withStdout(Stdio.PIPE),
                    "wc", "-l"));
            StreamWriter toWc = wc.stdin();
            long copied = 0;
            for (byte[] chunk; (chunk = await(seq.stdout().read(65536))).length > 0; ) {
                toWc.write(chunk);
                await(toWc.drain());
                copied += chunk.length;
            }
            toWc.close();
            String counted = new String(await(wc.stdout().read(-1)), UTF_8).strip();
            out.println("copied " + copied + " bytes from seq to wc");
            out.println("wc -l counted " + counted + " lines");
            out.println("seq exited with " + await(seq.waitFor()) + ", wc with " + await(wc.waitFor()));
        } catch (IOException e) {
            out.println("the pipeline failed: " + e);
        }
        return done();
    }
}
