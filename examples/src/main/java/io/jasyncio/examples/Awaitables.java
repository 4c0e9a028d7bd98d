package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;

import io.jasyncio.Coroutine;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * Coroutines and tasks are awaitables: calling a coroutine runs nothing, awaiting it runs it, and a task runs it
 * on its own; the "Awaitables" example of asyncio's documentation. The Python original:
 * <pre>{@code
 * import asyncio
 *
 * async def nested():
 *     return 42
 *
 * async def main():
 *     nested()  # a coroutine object that never runs (Python warns that it was never awaited)
 *     print(await nested())  # will print "42"
 *     task = asyncio.create_task(nested())
 *     print(await task)  # a task runs it concurrently: "42" again
 *
 * asyncio.run(main())
 * }</pre>
 * It prints {@code 42} twice. In jasyncio the coroutine that is never awaited is reported in debug mode
 * ({@code -Djasyncio.debug=true}), as Python's RuntimeWarning.
 */
public final class Awaitables implements Example {

    /** Creates the example. */
    public Awaitables() {
    }

    /** {@return {@code awaitables}} */
    @Override
    public String name() {
        return "awaitables";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "nested() returns 42: calling it runs nothing, awaiting it or a task of it does";
    }

    /**
     * Returns 42.
     *
     * @return the coroutine
     */
    @Async
    public Coroutine<Integer> nested() {
        return done(42);
    }

    /**
     * Calls nested() without awaiting it, then awaits it, then awaits a task of it.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        nested(); // a coroutine that never runs
        out.println(await(nested()));
        Task<Integer> task = createTask(nested());
        out.println(await(task));
        return done();
    }
}
