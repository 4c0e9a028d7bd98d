package io.jasyncio.junit;

import static io.jasyncio.Asyncio.await;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.done;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link AsyncTests}: the checks of {@code @AsyncTest} for a {@code void} test method. */
class AsyncTestsTest {

    @Test
    void runTestRunsTheBodyOnVirtualTimeAndReturnsItsResult() throws Exception {
        long start = System.nanoTime();
        String r = AsyncTests.runTest(clock -> {
            await(sleep(3600));
            assertEquals(3600.0, clock.now());
            assertEquals(3600.0, getRunningLoop().time());
            return done("slept");
        });
        assertEquals("slept", r);
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    void whatTheBodyLeavesBehindFailsTheCallNamingTheTest() {
        AssertionError e = assertThrows(AssertionError.class, () -> AsyncTests.runTest(clock -> {
            createTask(sleep(100), "left");
            return done();
        }));
        assertTrue(e.getMessage().startsWith("@AsyncTest whatTheBodyLeavesBehindFailsTheCallNamingTheTest(): task 'left'"),
                e.getMessage());
    }

    @Test
    void theBodysExceptionIsThrownUnchanged() {
        IOException e = assertThrows(IOException.class, () -> AsyncTests.runTest(clock -> {
            await(sleep(1));
            throw new IOException("gone");
        }));
        assertEquals("gone", e.getMessage());
    }

    @Test
    void settings() throws Exception {
        AsyncTests.realTime().run(clock -> {
            assertFalse(clock.isVirtual());
            return done();
        });
        AssertionError e = assertThrows(AssertionError.class, () -> AsyncTests.virtualTime().timeout(5).run(clock -> {
            await(sleep(60));
            return done();
        }));
        assertTrue(e.getMessage().contains("timed out after 5.0 s of virtual time"), e.getMessage());
        AssertionError blocked = assertThrows(AssertionError.class, () -> AsyncTests.virtualTime().blockLimit(0.02)
                .run(clock -> {
                    Samples.busyWait(60);
                    return done();
                }));
        assertTrue(blocked.getMessage().contains("blocked longer than the limit of 0.02 s"), blocked.getMessage());
    }
}
