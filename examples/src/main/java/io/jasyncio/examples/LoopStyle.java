package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getEventLoop;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * The older style of asyncio programs, which drive the event loop themselves instead of calling
 * {@code asyncio.run()}. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def main():
 *     print('Hello ...')
 *     await asyncio.sleep(1)
 *     print('... World!')
 *
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(main())
 * loop.close()
 * }</pre>
 */
public final class LoopStyle implements Example {

    /** Creates the example. */
    public LoopStyle() {
    }

    /** {@return {@code loop-style}} */
    @Override
    public String name() {
        return "loop-style";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "loop = getEventLoop(); loop.runUntilComplete(main()); loop.close()";
    }

    /**
     * Prints {@code Hello ...}, sleeps one second, prints {@code ... World!}.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        out.println("Hello ...");
        await(sleep(1));
        out.println("... World!");
        return done();
    }

    /**
     * Runs {@link #main(PrintStream)} on this thread's current loop ({@code getEventLoop()}, created on first
     * use unless one was set with {@code Asyncio.setEventLoop}), then closes that loop.
     *
     * @param out where the program prints
     */
    @Override
    public void run(PrintStream out) {
        EventLoop loop = getEventLoop();
        loop.runUntilComplete(main(out));
        loop.close();
    }
}
