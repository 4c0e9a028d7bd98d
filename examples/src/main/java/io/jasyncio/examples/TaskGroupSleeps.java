package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.taskGroup;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;
import java.util.List;

/**
 * A task group runs two sleepers of two and three seconds concurrently; the group's scope ends when both are
 * done, so the program takes about three seconds, and their results are readable afterwards. Python's
 * {@code async with asyncio.TaskGroup() as tg:} block is the body of {@code taskGroup(tg -> ...)}, whose value
 * (here, the two tasks) the scope returns once every child is done. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def sleeper(seconds):
 *     print(f"sleeping {seconds} s")
 *     await asyncio.sleep(seconds)
 *     print(f"slept {seconds} s")
 *     return seconds
 *
 * async def main():
 *     async with asyncio.TaskGroup() as tg:
 *         task1 = tg.create_task(sleeper(2))
 *         task2 = tg.create_task(sleeper(3))
 *         print("both tasks created")
 *     # the await is implicit when the group's block ends
 *     print(f"Both tasks have completed now: {task1.result()}, {task2.result()}")
 *
 * asyncio.run(main())
 * }</pre>
 * It prints {@code both tasks created} and the two {@code sleeping} lines at once, {@code slept 2 s} two seconds
 * later, then {@code slept 3 s} and {@code Both tasks have completed now: 2, 3} after three seconds in all.
 */
public final class TaskGroupSleeps implements Example {

    /** Creates the example. */
    public TaskGroupSleeps() {
    }

    /** {@return {@code task-group}} */
    @Override
    public String name() {
        return "task-group";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "two sleeps of 2 s and 3 s in a task group, then both results: 3 s in all";
    }

    /**
     * Sleeps {@code seconds}, saying when it starts and finishes.
     *
     * @param out where the coroutine prints
     * @param seconds how long it sleeps
     * @return a coroutine of {@code seconds}
     */
    @Async
    public Coroutine<Integer> sleeper(PrintStream out, int seconds) {
        out.println("sleeping " + seconds + " s");
        await(sleep(seconds));
        out.println("slept " + seconds + " s");
        return done(seconds);
    }

    /**
     * Creates the two sleepers in a task group, waits for the group, then prints their results.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        List<Task<Integer>> tasks = await(taskGroup(tg -> {
            Task<Integer> task1 = tg.createTask(sleeper(out, 2));
            Task<Integer> task2 = tg.createTask(sleeper(out, 3));
            out.println("both tasks created");
            return done(List.of(task1, task2));
        }));
        // the scope returned once both children were done
        out.println("Both tasks have completed now: " + tasks.get(0).result() + ", " + tasks.get(1).result());
        return done();
    }
}
