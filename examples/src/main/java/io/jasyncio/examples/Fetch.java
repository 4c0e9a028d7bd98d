package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Three simulated downloads run concurrently by {@code gather}; one fails, and its exception reaches the
 * {@code await} in {@code main} unchanged, where an ordinary {@code try}/{@code catch} handles it. The Python
 * original (Python's {@code ValueError} is Java's {@link IllegalArgumentException}):
 * <pre>{@code
 * import asyncio
 *
 * async def fetch_data(url):
 *     print(f"Fetching data from {url}")
 *     await asyncio.sleep(2)
 *     if url.endswith("page2"):
 *         raise ValueError("Invalid URL")
 *     return f"Data from {url}"
 *
 * async def main():
 *     urls = ["https://example.com/page1", "https://example.com/page2", "https://example.com/page3"]
 *     try:
 *         results = await asyncio.gather(*(fetch_data(url) for url in urls))
 *         for result in results:
 *             print(result)
 *     except ValueError as e:
 *         print(f"Error occurred: {e}")
 *
 * asyncio.run(main())
 * }</pre>
 * It prints the three {@code Fetching data from ...} lines at once, then two seconds later
 * {@code Error occurred: Invalid URL}.
 */
public final class Fetch implements Example {
    /** The pages to fetch; the second one fails. */
    static final List<String> URLS = List.of(
            "https://example.com/page1", "https://example.com/page2", "https://example.com/page3");

    /** Creates the example. */
    public Fetch() {
    }

    /** {@return {@code fetch}} */
    @Override
    public String name() {
        return "fetch";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "three fetches gathered in 2 s; one fails and main catches its exception";
    }

    /**
     * Pretends to download {@code url}: takes two seconds, and fails for the URL that ends in {@code page2}.
     *
     * @param out where the coroutine prints
     * @param url the address
     * @return a coroutine of the page's data
     * @throws IllegalArgumentException (from the coroutine, at its {@code await}) for the {@code page2} URL
     */
    @Async
    public Coroutine<String> fetchData(PrintStream out, String url) {
        out.println("Fetching data from " + url);
        await(sleep(2));
        if (url.endsWith("page2")) {
            throw new IllegalArgumentException("Invalid URL");
        }
        return done("Data from " + url);
    }

    /**
     * Fetches every URL concurrently and prints the results, or the error of the first fetch that failed.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        try {
            List<Coroutine<String>> fetches = new ArrayList<>();
            for (String url : URLS) {
                fetches.add(fetchData(out, url));
            }
            List<String> results = await(gather(fetches));
            for (String result : results) {
                out.println(result);
            }
        } catch (IllegalArgumentException e) {
            out.println("Error occurred: " + e.getMessage());
        }
        return done();
    }
}
