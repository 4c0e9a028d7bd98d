package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * Two coroutines run concurrently by {@code gather}: their one-second sleeps overlap, so the program takes
 * about one second, not two. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def hello():
 *     print('Hello')
 *     await asyncio.sleep(1)
 *     print('World')
 *
 * async def main():
 *     await asyncio.gather(hello(), hello())
 *
 * asyncio.run(main())
 * }</pre>
 * It prints {@code Hello}, {@code Hello}, then one second later {@code World}, {@code World}.
 */
public final class HelloTwice implements Example {

    /** Creates the example. */
    public HelloTwice() {
    }

    /** {@return {@code hello-twice}} */
    @Override
    public String name() {
        return "hello-twice";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "two hello() coroutines gathered: Hello Hello World World in 1 s, not 2";
    }

    /**
     * Prints {@code Hello}, sleeps one second, prints {@code World}.
     *
     * @param out where the coroutine prints
     * @return the coroutine
     */
    @Async
    public Coroutine<Void> hello(PrintStream out) {
        out.println("Hello");
        await(sleep(1));
        out.println("World");
        return done();
    }

    /**
     * Runs two {@link #hello(PrintStream)} coroutines concurrently and waits for both.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        await(gather(hello(out), hello(out)));
        return done();
    }
}
