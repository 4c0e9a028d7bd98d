package demo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;

public class Hello {
    @Async
    static Coroutine<String> greet(String name) {
        await(sleep(0.01));
        return done("hello " + name);
    }

    public static void main(String[] args) {
        System.out.println(Asyncio.run(greet(args.length > 0 ? args[0] : "world")));
    }
}
