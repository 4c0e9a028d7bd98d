package demo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;

public class Greeter {
    @Async
    public Coroutine<String> greet(String name) {
        String greeting = await(sleep(0.01, "hello"));
        return done(greeting + " " + name);
    }

    public static void main(String[] args) {
        System.out.println(Asyncio.run(new Greeter().greet(args.length > 0 ? args[0] : "world")));
    }
}
