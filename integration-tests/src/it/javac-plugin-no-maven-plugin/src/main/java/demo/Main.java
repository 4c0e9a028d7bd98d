package demo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.gather;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;
import java.util.List;

public class Main {
    @Async
    static Coroutine<Void> main(String who) {
        Greeter g = new Greeter();
        List<String> both = await(gather(g.greet(who), g.greet("")));
        System.out.println(String.join(" / ", both));
        return done();
    }

    public static void main(String[] args) {
        Asyncio.run(main(args.length > 0 ? args[0] : "world"));
    }
}
