package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * The smallest coroutine: print, sleep one second, print. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def main():
 *     print('hello')
 *     await asyncio.sleep(1)
 *     print('completed')
 *
 * asyncio.run(main())
 * }</pre>
 * It prints {@code hello}, then one second later {@code completed}.
 */
public final class Greeting implements Example {

    /** Creates the example. */
    public Greeting() {
    }

    /** {@return {@code greeting}} */
    @Override
    public String name() {
        return "greeting";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "print hello, sleep 1 s, print completed";
    }

    /**
     * Prints {@code hello}, sleeps one second, prints {@code completed}.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        out.println("hello");
        await(sleep(1));
        out.println("completed");
        return done();
    }
}
