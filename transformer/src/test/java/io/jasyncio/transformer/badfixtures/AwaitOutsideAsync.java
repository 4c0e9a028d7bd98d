package io.jasyncio.transformer.badfixtures;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.sleep;

public class AwaitOutsideAsync {
    public void notAsync() {
        System.out.println("before");
        await(sleep(1)); // ERROR await() can only be used in an @Async method
    }
}
