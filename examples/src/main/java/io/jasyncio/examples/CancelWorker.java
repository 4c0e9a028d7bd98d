package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * A task is cancelled while it sleeps: the {@link CancelledError} is thrown at its {@code await}, its
 * {@code finally} block runs, and {@code main}, awaiting the task, gets the same cancellation with the message
 * given to {@code cancel}. {@code CancelledError} extends {@link Error}, so an ordinary
 * {@code catch (Exception e)} does not swallow it (asyncio's is a {@code BaseException} for the same reason).
 * The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def worker():
 *     print("worker: sleeping for an hour")
 *     try:
 *         await asyncio.sleep(3600)
 *     finally:
 *         print("worker: cleaning up")
 *
 * async def main():
 *     task = asyncio.create_task(worker())
 *     await asyncio.sleep(1)
 *     print("main: cancelling the worker")
 *     task.cancel("no more waiting")
 *     try:
 *         await task
 *     except asyncio.CancelledError as e:
 *         print(f"main: the worker was cancelled: {e}")
 *     if task.cancelled():
 *         print("main: task.cancelled() is true")
 *
 * asyncio.run(main())
 * }</pre>
 * It prints {@code worker: sleeping for an hour} at once, and one second later the other four lines.
 */
public final class CancelWorker implements Example {

    /** Creates the example. */
    public CancelWorker() {
    }

    /** {@return {@code cancel}} */
    @Override
    public String name() {
        return "cancel";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a sleeping task is cancelled: its finally runs, main sees the CancelledError and its message";
    }

    /**
     * Sleeps an hour, cleaning up however the sleep ends.
     *
     * @param out where the coroutine prints
     * @return the coroutine
     */
    @Async
    public Coroutine<Void> worker(PrintStream out) {
        out.println("worker: sleeping for an hour");
        try {
            await(sleep(3600));
        } finally {
            out.println("worker: cleaning up");
        }
        return done();
    }

    /**
     * Starts the worker, cancels it a second later, and awaits it.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        Task<Void> task = createTask(worker(out));
        await(sleep(1));
        out.println("main: cancelling the worker");
        task.cancel("no more waiting");
        try {
            await(task);
        } catch (CancelledError e) {
            out.println("main: the worker was cancelled: " + e.getMessage());
        }
        if (task.cancelled()) {
            out.println("main: task.cancelled() is true");
        }
        return done();
    }
}
