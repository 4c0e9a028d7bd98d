package io.jasyncio.examples;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

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

    /** {@return the command-line options it takes, such as {@code --port}; none by default} */
    default List<String> options() {
        return List.of();
    }

    /**
     * Checks the options given on the command line, before anything runs.
     *
     * @param options each option given (one of {@link #options()}) and its value
     * @throws IllegalArgumentException if one is not taken or its value is wrong
     */
    default void checkOptions(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException(name() + " takes no option, not " + options.keySet());
        }
    }

    /**
     * Runs the program with the options given on the command line; with none, as {@link #run(PrintStream)}.
     *
     * @param out where the program prints
     * @param options the options, checked by {@link #checkOptions}
     */
    default void run(PrintStream out, Map<String, String> options) {
        checkOptions(options);
        run(out);
    }

    /**
     * {@return whether {@code all} runs it: not a server, which serves until it is stopped, nor a client that
     * needs one}
     */
    default boolean inAll() {
        return true;
    }
}
