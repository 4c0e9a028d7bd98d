package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Runner;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * A {@link Runner} runs two top-level coroutines, one after the other, on the same event loop (two calls of
 * {@code Asyncio.run} would make two loops), and closes that loop at the end of the {@code try} block, as
 * Python's {@code with asyncio.Runner() as runner:} does. The Python original (asyncio's documentation example
 * of {@code Runner}, run twice):
 * <pre>{@code
 * import asyncio
 *
 * async def main():
 *     await asyncio.sleep(1)
 *     print('hello')
 *
 * with asyncio.Runner() as runner:
 *     runner.run(main())
 *     loop = runner.get_loop()
 *     runner.run(main())
 *     if runner.get_loop() is loop:
 *         print('both runs used the same loop')
 * }</pre>
 * It prints {@code hello} after one second, {@code hello} again a second later, then
 * {@code both runs used the same loop}.
 */
public final class RunnerTwice implements Example {

    /** Creates the example. */
    public RunnerTwice() {
    }

    /** {@return {@code runner}} */
    @Override
    public String name() {
        return "runner";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a Runner runs main() twice on one loop, then closes it: hello hello in 2 s";
    }

    /**
     * Sleeps one second, then prints {@code hello}.
     *
     * @param out where the program prints
     * @return the coroutine each run runs
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        await(sleep(1));
        out.println("hello");
        return done();
    }

    /**
     * Runs {@link #main(PrintStream)} twice with a new {@link Runner}, which closes its loop at the end.
     *
     * @param out where the program prints
     */
    @Override
    public void run(PrintStream out) {
        try (Runner runner = new Runner()) {
            runTwice(runner, out);
        }
    }

    /**
     * The body of the {@code with} block: two runs on {@code runner}, then whether they shared its loop.
     *
     * @param runner the runner (the tests give one on a virtual-time loop)
     * @param out where the program prints
     */
    void runTwice(Runner runner, PrintStream out) {
        runner.run(main(out));
        EventLoop loop = runner.getLoop();
        runner.run(main(out));
        if (runner.getLoop() == loop) {
            out.println("both runs used the same loop");
        }
    }
}
