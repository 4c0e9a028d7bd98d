package io.jasyncio.examples;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.annotations.Async;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A server-like program that stops cleanly on SIGINT (Ctrl-C) or SIGTERM: signal handlers on the loop set an
 * {@link Event}, and {@code main} then cancels its workers, whose {@code finally} blocks close what they hold.
 * The Python original:
 * <pre>{@code
 * import asyncio
 * import os
 * import signal
 *
 * async def serve(name):
 *     try:
 *         while True:
 *             await asyncio.sleep(0.5)  # a server's work, tick by tick
 *     finally:
 *         print(f'{name}: closed its connections')
 *
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     stop = asyncio.Event()
 *     received = []
 *     for sig in (signal.SIGINT, signal.SIGTERM):
 *         loop.add_signal_handler(sig, lambda s=sig: (received.append(s.name), stop.set()))
 *     workers = [asyncio.create_task(serve(f'worker {i}')) for i in (1, 2)]
 *     print(f'serving; stop it with Ctrl-C or kill -TERM {os.getpid()}', flush=True)
 *     await stop.wait()
 *     print(f'main: got {received[0]}, shutting down')
 *     for w in workers:
 *         w.cancel()
 *     await asyncio.gather(*workers, return_exceptions=True)
 *     print('main: all workers stopped')
 *
 * asyncio.run(main())
 * }</pre>
 * After {@code kill -TERM <pid>} it prints, and exits with status 0:
 * <pre>
 * serving; stop it with Ctrl-C or kill -TERM 17437
 * main: got SIGTERM, shutting down
 * worker 1: closed its connections
 * worker 2: closed its connections
 * main: all workers stopped
 * </pre>
 */
public final class GracefulShutdown implements Example {

    /** Creates the example. */
    public GracefulShutdown() {
    }

    /** {@return {@code graceful-shutdown}} */
    @Override
    public String name() {
        return "graceful-shutdown";
    }

    /** {@return what the example shows} */
    @Override
    public String description() {
        return "serves until SIGINT or SIGTERM, then cancels its workers, whose finally blocks clean up";
    }

    /** Serves until stopped by a signal: not part of {@code all}. */
    @Override
    public boolean inAll() {
        return false;
    }

    /**
     * Works tick by tick until cancelled, then closes what it holds.
     *
     * @param out  where the coroutine prints
     * @param name the worker's name
     * @return the coroutine
     */
    @Async
    public Coroutine<Void> serve(PrintStream out, String name) {
        try {
            while (true) {
                await(sleep(0.5)); // a server's work, tick by tick
            }
        } finally {
            out.println(name + ": closed its connections");
        }
    }

    /**
     * Starts two workers, waits for SIGINT or SIGTERM, then stops them.
     *
     * @param out where the program prints
     * @return the program's main coroutine
     */
    @Async
    @Override
    public Coroutine<Void> main(PrintStream out) {
        EventLoop loop = Asyncio.getRunningLoop();
        Event stop = new Event();
        List<String> received = new ArrayList<>();
        for (String sig : List.of("SIGINT", "SIGTERM")) {
            loop.addSignalHandler(sig, () -> {
                received.add(sig);
                stop.set();
            });
        }
        List<Task<Void>> workers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            workers.add(createTask(serve(out, "worker " + i)));
        }
        out.println("serving; stop it with Ctrl-C or kill -TERM " + ProcessHandle.current().pid());
        out.flush();
        await(stop.waitFor());
        out.println("main: got " + received.get(0) + ", shutting down");
        for (Task<Void> w : workers) {
            w.cancel();
        }
        await(gather(workers, true));
        out.println("main: all workers stopped");
        return done();
    }
}
