package io.jasyncio.examples;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import java.io.PrintStream;

/**
 * One tutorial program. Its {@link #main(PrintStream) main coroutine} prints to the stream it is given (where
 * Python's {@code print} writes to standard output), so that a test can run it on a virtual-time loop and read
 * what it printed.
 */
public interface Example {

    /** {@return the subcommand that runs this example, such as {@code hello-twice}} */
    String name();

    /** {@return one line that says what the example shows} */
    String description();

    /**
     * The program's {@code async def main()}: calling it runs nothing, awaiting it runs the program.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    Coroutine<Void> main(PrintStream out);

    /**
     * Runs the program on a new event loop, as Python's {@code asyncio.run(main())}; returns when it is done.
     *
     * @param out where the program prints
     */
    default void run(PrintStream out) {
        Asyncio.run(main(out));
    }
}
