package demo;

import static io.jasyncio.Asyncio.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.annotations.Async;
import io.jasyncio.junit.AsyncTest;
import io.jasyncio.junit.TestClock;

class RetryTest {
    @AsyncTest
    @Async
    Coroutine<Void> retriesAfterAMinute(EventLoop loop, TestClock clock) {
        await(sleep(60));
        assertEquals(60.0, clock.now());
        return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> anHourOfSleepOnVirtualTime(TestClock clock) {
        await(sleep(3600));
        assertEquals(3600.0, clock.now());
        assertEquals("hello test", await(Hello.greet("test")));
        return done();
    }
}
