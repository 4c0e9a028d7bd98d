package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * A blocking one-second call ({@link Thread#sleep}) runs on a thread of the loop's default executor, through
 * {@code loop.runInExecutor(null, ...)}, while a second task keeps printing on the loop: the loop is never
 * blocked, so the program takes about one second, not two. The Python original:
 * <pre>{@code
 * import asyncio
 * import time
 *
 * def blocking_call():
 *     time.sleep(1)  # blocks its worker thread, not the event loop
 *     return "the blocking call's result"
 *
 * async def ticker():
 *     for i in range(4):
 *         print(f"tick {i}")
 *         await asyncio.sleep(0.25)
 *
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     ticks = asyncio.create_task(ticker())
 *     print("main: running the blocking call in the default executor")
 *     result = await loop.run_in_executor(None, blocking_call)
 *     await ticks
 *     print(f"main: got {result}")
 *
 * asyncio.run(main())
 * }</pre>
 * It prints the {@code main: running ...} line and {@code tick 0} at once, a tick every quarter of a second while
 * the call blocks its thread, then {@code main: got the blocking call's result} after one second.
 * {@code Asyncio.toThread(this::blockingCall)} (Python's {@code asyncio.to_thread}) does the same and also
 * carries the context variables to the thread.
 */
public final class RunInExecutor implements Example {
    /** How long the blocking call blocks its thread, in milliseconds. */
    private final long blockingMillis;

    /** Creates the example: the blocking call takes one second. */
    public RunInExecutor() {
        this(1000);
    }

    /**
     * Creates the example with a blocking call of another length (the tests use a short one; the ticks and the
     * output stay the same as long as the call takes at most one second).
     *
     * @param blockingMillis how long the blocking call blocks its thread
     */
    RunInExecutor(long blockingMillis) {
        this.blockingMillis = blockingMillis;
    }

    /** {@return {@code run-in-executor}} */
    @Override
    public String name() {
        return "run-in-executor";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a blocking 1 s call on an executor thread while a task keeps ticking: 1 s, not 2";
    }

    /**
     * The blocking work: sleeps its thread, then returns a result. It must not run on the loop's thread.
     *
     * @return the call's result
     * @throws InterruptedException if its thread is interrupted
     */
    String blockingCall() throws InterruptedException {
        Thread.sleep(blockingMillis); // blocks its worker thread, not the event loop
        return "the blocking call's result";
    }

    /**
     * Prints four ticks, a quarter of a second apart.
     *
     * @param out where the coroutine prints
     * @return the coroutine
     */
    @Async
    public Coroutine<Void> ticker(PrintStream out) {
        for (int i = 0; i < 4; i++) {
            out.println("tick " + i);
            await(sleep(0.25));
        }
        return done();
    }

    /**
     * Starts the ticker, awaits the blocking call on the default executor, then the ticker.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        EventLoop loop = getRunningLoop();
        Task<Void> ticks = createTask(ticker(out));
        out.println("main: running the blocking call in the default executor");
        String result = await(loop.runInExecutor(null, this::blockingCall));
        await(ticks);
        out.println("main: got " + result);
        return done();
    }
}
