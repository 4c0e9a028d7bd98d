package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;

/**
 * A task fails and nobody ever awaits it or reads its exception: instead of being lost, the failure goes to the
 * loop's exception handler, here a custom one set with {@code setExceptionHandler} (the default one logs to
 * {@code System.Logger} "io.jasyncio"). The Python original (Python's {@code ValueError} is Java's
 * {@link IllegalArgumentException}):
 * <pre>{@code
 * import asyncio
 *
 * def handler(loop, context):
 *     print(f"handler: {context['message']}")
 *     print(f"handler: the exception: {context['exception']}")
 *
 * async def fail():
 *     print("fail(): raising")
 *     raise ValueError("boom")
 *
 * async def main():
 *     asyncio.get_running_loop().set_exception_handler(handler)
 *     task = asyncio.create_task(fail())  # never awaited
 *     await asyncio.sleep(1)
 *     print(f"main: returning without looking at {task.get_name()}")
 *
 * asyncio.run(main())
 * }</pre>
 * It prints {@code fail(): raising} at once, {@code main: returning without looking at Task-2} after one second,
 * then the handler's two lines. Python reports the task when it is garbage-collected (here, as {@code main}'s
 * frame goes away); jasyncio's loop holds the failed task weakly and reports it when the garbage collector finds
 * it unreachable or, at the latest, when the loop closes at the end of {@code Asyncio.run} (or of a
 * {@code Runner}, or at {@code loop.close()}). asyncio's message is {@code Task exception was never retrieved};
 * jasyncio's goes on with {@code ": <Task Task-2 ...>"}, which the handler leaves out here so that both print the
 * same.
 */
public final class CustomExceptionHandler implements Example {

    /** Creates the example. */
    public CustomExceptionHandler() {
    }

    /** {@return {@code exception-handler}} */
    @Override
    public String name() {
        return "exception-handler";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "a custom exception handler reports a failed task that nobody awaited";
    }

    /**
     * The handler: prints what happened and the exception.
     *
     * @param out where it prints
     * @param context what the loop reports
     */
    static void handle(PrintStream out, ExceptionContext context) {
        String message = context.message(); // "Task exception was never retrieved: <Task Task-2 ...>"
        int colon = message.indexOf(':');
        out.println("handler: " + (colon < 0 ? message : message.substring(0, colon)));
        out.println("handler: the exception: " + (context.exception() == null ? null : context.exception().getMessage()));
    }

    /**
     * Fails at once.
     *
     * @param out where the coroutine prints
     * @return the coroutine
     * @throws IllegalArgumentException (from the coroutine) always
     */
    @Async
    public Coroutine<Void> fail(PrintStream out) {
        out.println("fail(): raising");
        throw new IllegalArgumentException("boom");
    }

    /**
     * Sets the handler, starts {@link #fail(PrintStream)} in a task that it never awaits, and returns.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        getRunningLoop().setExceptionHandler((loop, context) -> handle(out, context));
        Task<Void> task = createTask(fail(out)); // never awaited
        await(sleep(1));
        out.println("main: returning without looking at " + task.getName());
        return done();
    }
}
