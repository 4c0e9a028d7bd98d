package io.jasyncio.it;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.KeyboardInterrupt;
import io.jasyncio.annotations.Async;

/**
 * The program {@link SignalsTest} runs in a JVM of its own and sends real signals to. It prints "ready" when the
 * signal may be sent, and what it did after.
 */
public final class SignalMain {
    private SignalMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "ctrl-c":
                try {
                    Asyncio.run(sleeper(false));
                    System.out.println("run returned");
                } catch (KeyboardInterrupt e) {
                    System.out.println("caught " + e.getClass().getSimpleName() + " caused by "
                            + e.getCause().getClass().getSimpleName());
                }
                // run() gave SIGINT back to the JVM: the next one ends the JVM with status 130
                System.out.println("ready");
                Thread.sleep(60_000);
                System.out.println("not interrupted");
                break;
            case "ctrl-c-twice":
                Asyncio.run(sleeper(true));
                System.out.println("run returned");
                break;
            case "swallowed":
                System.out.println("run returned " + Asyncio.run(swallower()));
                break;
            case "handlers":
                Asyncio.run(handlers());
                System.out.println("ready");
                Thread.sleep(60_000); // the JVM's own TERM handler is back: SIGTERM ends it (143)
                System.out.println("not terminated");
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    @Async
    private static Coroutine<Void> sleeper(boolean slowCleanup) {
        try {
            System.out.println("ready");
            await(sleep(100));
            System.out.println("slept");
        } finally {
            System.out.println("finally ran");
            if (slowCleanup) {
                await(sleep(100)); // a second Ctrl-C arrives meanwhile
                System.out.println("cleanup done");
            }
        }
        return done(null);
    }

    @Async
    private static Coroutine<String> swallower() {
        try {
            System.out.println("ready");
            await(sleep(100));
        } catch (io.jasyncio.CancelledError e) {
            System.out.println("swallowed the cancellation");
        }
        return done("normally");
    }

    @Async
    private static Coroutine<Void> handlers() {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<String> got = new Future<>(loop);
        loop.addSignalHandler("USR1", () -> {
            System.out.println("USR1 on thread " + Thread.currentThread().getName());
            got.setResult("USR1");
        });
        loop.addSignalHandler("TERM", () -> System.out.println("TERM handled"));
        System.out.println("ready");
        System.out.println("got " + await(got));
        return done(null);
    }
}
