package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;
import java.util.List;

/**
 * Two tasks, sleeping one and two seconds, run concurrently: the program takes about two seconds, not three.
 * Creating a task schedules it; it starts when {@code main} first gives the loop control. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def sleeper(name, seconds):
 *     print(f"{name}: sleeping {seconds} s")
 *     await asyncio.sleep(seconds)
 *     print(f"{name}: finished after {seconds} s")
 *     return seconds
 *
 * async def main():
 *     task1 = asyncio.create_task(sleeper("task 1", 1))
 *     task2 = asyncio.create_task(sleeper("task 2", 2))
 *     print("both tasks created")
 *     results = await asyncio.gather(task1, task2)
 *     print(f"results: {results}")
 *
 * asyncio.run(main())
 * }</pre>
 */
public final class SleepOneAndTwo implements Example {

    /** Creates the example. */
    public SleepOneAndTwo() {
    }

    /** {@return {@code sleep-1-and-2}} */
    @Override
    public String name() {
        return "sleep-1-and-2";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "two tasks sleeping 1 s and 2 s gathered: 2 s in all, not 3";
    }

    /**
     * Sleeps {@code seconds}, saying when it starts and finishes.
     *
     * @param out where the coroutine prints
     * @param name the name it prints
     * @param seconds how long it sleeps
     * @return a coroutine of {@code seconds}
     */
    @Async
    public Coroutine<Integer> sleeper(PrintStream out, String name, int seconds) {
        out.println(name + ": sleeping " + seconds + " s");
        await(sleep(seconds));
        out.println(name + ": finished after " + seconds + " s");
        return done(seconds);
    }

    /**
     * Starts the two sleepers as tasks and gathers their results.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        Task<Integer> task1 = createTask(sleeper(out, "task 1", 1));
        Task<Integer> task2 = createTask(sleeper(out, "task 2", 2));
        out.println("both tasks created");
        List<Integer> results = await(gather(task1, task2));
        out.println("results: " + results);
        return done();
    }
}
