package demo;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.done;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.annotations.Async;

/** A test class (compiled by testCompile, which gets the same compilerArgs): woven by the javac plugin too. */
public class GreeterCheck {
    @Async
    static Coroutine<String> check() {
        return done(await(new Greeter().greet("test")));
    }

    public static void main(String[] args) {
        System.out.println(Asyncio.run(check()));
    }
}
