package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * Futures and done-callbacks: a task computes a value, its done-callback completes a second, bare future, and
 * {@code main} awaits that future. Callbacks never run inline: the one added to a future that is already done
 * runs on the loop's next iteration, after {@code main} has printed its next line. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def compute(x):
 *     print(f"compute({x}) started")
 *     await asyncio.sleep(1)
 *     print(f"compute({x}) finished")
 *     return x * 2
 *
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     future = loop.create_future()
 *     task = asyncio.create_task(compute(21))
 *
 *     def on_task_done(t):
 *         print(f"task done with {t.result()}, setting the future's result")
 *         future.set_result(t.result())
 *
 *     task.add_done_callback(on_task_done)
 *     print("waiting for the future")
 *     result = await future
 *     print(f"future result: {result}")
 *
 *     future.add_done_callback(lambda f: print(f"callback on a done future: {f.result()}"))
 *     print("callback added; it runs on the loop's next iteration, not now")
 *     await asyncio.sleep(0)
 *     print("done")
 *
 * asyncio.run(main())
 * }</pre>
 */
public final class FutureCallback implements Example {

    /** Creates the example. */
    public FutureCallback() {
    }

    /** {@return {@code future-callback}} */
    @Override
    public String name() {
        return "future-callback";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a task's done-callback completes a future that main awaits; callbacks run via the loop";
    }

    /**
     * Doubles {@code x} after one second.
     *
     * @param out where the coroutine prints
     * @param x the number
     * @return a coroutine of {@code 2 * x}
     */
    @Async
    public Coroutine<Integer> compute(PrintStream out, int x) {
        out.println("compute(" + x + ") started");
        await(sleep(1));
        out.println("compute(" + x + ") finished");
        return done(x * 2);
    }

    /**
     * Completes a future from a task's done-callback, awaits it, then shows that a callback added to a done
     * future is scheduled on the loop rather than called at once.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        EventLoop loop = getRunningLoop();
        Future<Integer> future = loop.createFuture();
        Task<Integer> task = createTask(compute(out, 21));

        task.addDoneCallback(t -> {
            out.println("task done with " + t.result() + ", setting the future's result");
            future.setResult(t.result());
        });
        out.println("waiting for the future");
        int result = await(future);
        out.println("future result: " + result);

        future.addDoneCallback(f -> out.println("callback on a done future: " + f.result()));
        out.println("callback added; it runs on the loop's next iteration, not now");
        await(sleep(0));
        out.println("done");
        return done();
    }
}
