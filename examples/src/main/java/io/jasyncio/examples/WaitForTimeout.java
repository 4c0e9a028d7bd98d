package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.waitFor;

import io.jasyncio.Coroutine;
import io.jasyncio.TimeoutException;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * A two-second coroutine awaited under a one-second {@code waitFor}: when the time is up, {@code waitFor}
 * cancels it, waits until its {@code finally} block has run, then throws {@link TimeoutException} (Python's
 * {@code TimeoutError}; its cause is the {@code CancelledError}). The Python original (asyncio's documentation
 * example of {@code wait_for}, with a cleanup added to show that it runs first):
 * <pre>{@code
 * import asyncio
 *
 * async def slow():
 *     try:
 *         await asyncio.sleep(2)
 *         print('yay!')
 *     finally:
 *         print('slow(): cleaning up')
 *
 * async def main():
 *     # Wait for at most 1 second
 *     try:
 *         await asyncio.wait_for(slow(), timeout=1.0)
 *     except TimeoutError:
 *         print('timeout!')
 *
 * asyncio.run(main())
 * }</pre>
 * After one second it prints {@code slow(): cleaning up}, then {@code timeout!}; {@code yay!} never.
 */
public final class WaitForTimeout implements Example {

    /** Creates the example. */
    public WaitForTimeout() {
    }

    /** {@return {@code wait-for-timeout}} */
    @Override
    public String name() {
        return "wait-for-timeout";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a 2 s coroutine under a 1 s waitFor: its cleanup runs, then timeout! after 1 s";
    }

    /**
     * Sleeps two seconds and prints {@code yay!}, unless it is cancelled first; cleans up either way.
     *
     * @param out where the coroutine prints
     * @return the coroutine
     */
    @Async
    public Coroutine<Void> slow(PrintStream out) {
        try {
            await(sleep(2));
            out.println("yay!");
        } finally {
            out.println("slow(): cleaning up");
        }
        return done();
    }

    /**
     * Awaits {@link #slow(PrintStream)} for at most one second and reports the timeout.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        // Wait for at most 1 second
        try {
            await(waitFor(slow(out), 1.0));
        } catch (TimeoutException e) {
            out.println("timeout!");
        }
        return done();
    }
}
