package io.jasyncio.transformer.badfixtures;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;

public class AwaitInSynchronized {
    private final Object lock = new Object();

    @Async
    public Coroutine<Void> blockHoldsMonitor() {
        synchronized (lock) {
            await(sleep(1)); // ERROR await() inside a synchronized block
        }
        await(sleep(1));
        return done();
    }

    @Async
    public synchronized Coroutine<Void> methodHoldsMonitor() {
        await(sleep(1)); // ERROR await() inside a synchronized method
        return done();
    }
}
