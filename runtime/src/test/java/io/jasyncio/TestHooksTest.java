package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What jasyncio-junit's {@code @AsyncTest} reads from a loop: slow-callback reports, creation sites, unawaited coroutines. */
class TestHooksTest extends LoopTestBase {

    private static void busyWait(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /**
     * A creation site, recorded: it starts below the runtime's own frames, which here include the test's (it is in
     * package io.jasyncio), so with the reflective call that JUnit made of the test method.
     */
    private static void assertOutsideTheRuntime(List<StackTraceElement> trace) {
        assertTrue(trace != null && !trace.isEmpty(), "no creation site");
        assertTrue(!trace.get(0).getClassName().startsWith("io.jasyncio."), trace::toString);
        assertTrue(trace.stream().anyMatch(e -> e.getClassName().startsWith("org.junit.")), trace::toString);
    }

    @Test
    void slowCallbackHandler_getsTheReportInsteadOfTheLog() {
        loop.setDebug(true);
        loop.setSlowCallbackDuration(0.001);
        List<ExceptionContext> slow = new ArrayList<>();
        ExceptionHandler handler = (l, c) -> slow.add(c);
        loop.setSlowCallbackHandler(handler);
        assertSame(handler, loop.getSlowCallbackHandler());
        Handle h = loop.callSoon(() -> busyWait(5));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(1, slow.size(), slow::toString);
        ExceptionContext c = slow.get(0);
        assertTrue(c.message().startsWith("Executing Handle") && c.message().contains("blocked the event loop"), c.message());
        assertSame(h, c.handle());
        assertNull(c.exception());
        assertOutsideTheRuntime(c.sourceTraceback());
        loop.setSlowCallbackHandler(null);
        loop.setDebug(false);
        // reported.verifyNone() after the test: nothing was logged
    }

    @Test
    void getSourceTraceback_isWhereTheFutureWasCreatedInDebugModeOnly() {
        Future<Void> plain = loop.createFuture();
        assertNull(plain.getSourceTraceback());
        loop.setDebug(true);
        Future<Void> traced = loop.createFuture();
        assertOutsideTheRuntime(traced.getSourceTraceback());
        loop.setDebug(false);
    }

    @Test
    void reportUnawaitedCoroutines_reportsEachCoroutineMadeOnTheLoopAndNotStartedOnce() {
        loop.setDebug(true);
        List<ExceptionContext> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        List<Coroutine<?>> kept = new ArrayList<>();
        loop.callSoon(() -> {
            kept.add(Asyncio.sleep(1)); // never awaited
            loop.createTask(Asyncio.sleep(0)); // started: not reported
        });
        loop.callSoon(loop::stop);
        loop.runForever();
        loop.runUntilComplete(Asyncio.sleep(0));
        assertEquals(1, loop.reportUnawaitedCoroutines());
        assertEquals(1, reports.size(), reports::toString);
        assertTrue(reports.get(0).message().endsWith("was never awaited"), reports.get(0).message());
        assertOutsideTheRuntime(reports.get(0).sourceTraceback());
        assertEquals(0, loop.reportUnawaitedCoroutines());
        assertEquals(1, kept.size());
        loop.setDebug(false);
    }
}
