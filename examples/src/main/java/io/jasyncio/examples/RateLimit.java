package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.Semaphore;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Ten one-second fetches gathered at once, each through {@code withPermit} of a {@link Semaphore} of three
 * permits (Python's {@code async with limit:}): never more than three run at once, so they go in waves of three
 * and the ten take four seconds. A fetch that finds no permit waits, and the waiters get the permits in the order
 * they asked. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * running = 0
 * most = 0
 *
 * async def fetch(limit, n):
 *     global running, most
 *     async with limit:  # at most three fetches hold a permit at once
 *         running += 1
 *         most = max(most, running)
 *         print(f"fetch {n}: started ({running} running)")
 *         await asyncio.sleep(1)  # the download
 *         running -= 1
 *         print(f"fetch {n}: done")
 *         return f"page {n}"
 *
 * async def main():
 *     limit = asyncio.Semaphore(3)
 *     pages = await asyncio.gather(*(fetch(limit, n) for n in range(10)))
 *     print(f"{len(pages)} pages, at most {most} fetches at once")
 *
 * asyncio.run(main())
 * }</pre>
 * Fetches 0 to 2 start at once; each second three end and the next three start, each with the permit an ending
 * one gave back; fetch 9 runs alone from 3 s to 4 s, then {@code 10 pages, at most 3 fetches at once}.
 */
public final class RateLimit implements Example {
    private int running;
    private int most;

    /** Creates the example. */
    public RateLimit() {
    }

    /** {@return {@code rate-limit}} */
    @Override
    public String name() {
        return "rate-limit";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "ten 1 s fetches through a Semaphore(3): never more than three at once, 4 s in all";
    }

    /**
     * Pretends to download page {@code n} in one second, holding one of the semaphore's permits meanwhile.
     *
     * @param out where the coroutine prints
     * @param limit the semaphore
     * @param n the page's number
     * @return a coroutine of the page
     */
    public Coroutine<String> fetch(PrintStream out, Semaphore limit, int n) {
        return limit.withPermit(() -> { // at most three fetches hold a permit at once
            running++;
            most = Math.max(most, running);
            out.println("fetch " + n + ": started (" + running + " running)");
            await(sleep(1)); // the download
            running--;
            out.println("fetch " + n + ": done");
            return done("page " + n);
        });
    }

    /**
     * Gathers the ten fetches and says how many ran at most at once.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        running = 0;
        most = 0;
        Semaphore limit = new Semaphore(3);
        List<Coroutine<String>> fetches = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            fetches.add(fetch(out, limit, n));
        }
        List<String> pages = await(gather(fetches));
        out.println(pages.size() + " pages, at most " + most + " fetches at once");
        return done();
    }
}
