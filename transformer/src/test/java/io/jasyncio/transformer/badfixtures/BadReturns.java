package io.jasyncio.transformer.badfixtures;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;

public class BadReturns {
    @Async
    public Coroutine<Void> returnsAnotherCoroutine() {
        await(sleep(0));
        return sleep(1); // ERROR an @Async method must return done(value) or done()
    }

    @Async
    public Coroutine<Integer> usesDoneValue() {
        Coroutine<Integer> c = done(1);
        System.out.println(c); // ERROR the value of done(...) can only be returned
        return c;
    }

    public Coroutine<Integer> doneOutsideAsync() {
        return done(2); // ERROR done() can only be used in an @Async method
    }
}
