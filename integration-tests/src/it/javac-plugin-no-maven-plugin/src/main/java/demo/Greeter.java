package demo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import java.util.function.Function;

public class Greeter {
    @Async
    public Coroutine<String> greet(String who) {
        CharSequence name = who.isEmpty() ? new StringBuilder("nobody") : who; // merged at the await: CharSequence
        Function<String, Coroutine<String>> shout = s -> {
            await(sleep(0.001));
            return done(s + "!");
        };
        await(sleep(0.001));
        return done(await(shout.apply("hello " + name)));
    }
}
