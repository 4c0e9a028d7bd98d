package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The future state table and done-callbacks (SEMANTICS 15-20). */
class FutureTest extends LoopTestBase {

    @Test
    void newFuture_isPendingAndHasNoResultYet() {
        Future<String> f = loop.createFuture();
        assertFalse(f.done());
        assertFalse(f.cancelled());
        assertSame(loop, f.getLoop());
        assertThrows(InvalidStateException.class, f::result);
        assertThrows(InvalidStateException.class, f::exception);
        assertEquals("<Future pending>", f.toString());
    }

    @Test
    void setResult_makesItDoneWithThatResultAndNoException() {
        Future<String> f = loop.createFuture();
        f.setResult("v");
        assertTrue(f.done());
        assertFalse(f.cancelled());
        assertEquals("v", f.result());
        assertNull(f.exception());
        assertEquals("<Future finished result=v>", f.toString());
    }

    @Test
    void setResult_nullIsAResult() {
        Future<String> f = loop.createFuture();
        f.setResult(null);
        assertTrue(f.done());
        assertNull(f.result());
        assertNull(f.exception());
    }

    @Test
    void setException_isThrownUnchangedByResultAndReturnedByException() {
        Future<String> f = loop.createFuture();
        IOException boom = new IOException("checked");
        f.setException(boom);
        assertTrue(f.done());
        assertFalse(f.cancelled());
        assertSame(boom, assertThrows(IOException.class, f::result));
        assertSame(boom, f.exception());
    }

    @Test
    void setException_rejectsNull() {
        Future<String> f = loop.createFuture();
        assertThrows(NullPointerException.class, () -> f.setException(null));
        assertFalse(f.done());
    }

    @Test
    void cancel_throwsCancelledErrorCarryingTheMessage() {
        Future<String> f = loop.createFuture();
        assertTrue(f.cancel("why"));
        assertTrue(f.done());
        assertTrue(f.cancelled());
        assertEquals("why", assertThrows(CancelledError.class, f::result).getMessage());
        assertEquals("why", assertThrows(CancelledError.class, f::exception).getMessage());
        assertEquals("<Future cancelled>", f.toString());
    }

    @Test
    void cancel_withoutMessage() {
        Future<String> f = loop.createFuture();
        assertTrue(f.cancel());
        assertNull(assertThrows(CancelledError.class, f::result).getMessage());
    }

    @Test
    void cancel_ofADoneOrCancelledFutureReturnsFalseAndChangesNothing() {
        Future<String> done = loop.createFuture();
        done.setResult("v");
        assertFalse(done.cancel("late"));
        assertFalse(done.cancelled());
        assertEquals("v", done.result());

        Future<String> cancelled = loop.createFuture();
        assertTrue(cancelled.cancel("first"));
        assertFalse(cancelled.cancel("second"));
        assertEquals("first", assertThrows(CancelledError.class, cancelled::result).getMessage());
    }

    @Test
    void setResultOrSetException_onADoneFutureThrowsInvalidState() {
        Future<String> f = loop.createFuture();
        f.setResult("first");
        assertThrows(InvalidStateException.class, () -> f.setResult("second"));
        assertThrows(InvalidStateException.class, () -> f.setException(new RuntimeException()));
        assertEquals("first", f.result());

        Future<String> failed = loop.createFuture();
        failed.setException(new RuntimeException("first"));
        assertThrows(InvalidStateException.class, () -> failed.setResult("second"));
        assertEquals("first", failed.exception().getMessage()); // read, so not reported as never retrieved

        Future<String> cancelled = loop.createFuture();
        cancelled.cancel();
        assertThrows(InvalidStateException.class, () -> cancelled.setResult("x"));
        assertThrows(InvalidStateException.class, () -> cancelled.setException(new RuntimeException()));
        assertTrue(cancelled.cancelled());
    }

    @Test
    void invalidStateException_isAnIllegalStateException() {
        Future<String> f = loop.createFuture();
        assertThrows(IllegalStateException.class, f::result);
    }

    @Test
    void doneCallbacks_areScheduledWithCallSoonInTheOrderAddedNeverInline() {
        Future<String> f = loop.createFuture();
        List<String> log = new ArrayList<>();
        f.addDoneCallback(x -> log.add("cb1 " + x.result()));
        f.addDoneCallback(x -> log.add("cb2"));
        f.addDoneCallback(x -> log.add("cb3"));
        loop.callSoon(() -> log.add("queued before setResult"));
        f.setResult("v");
        assertEquals(List.of(), log); // not inline
        runOnce();
        assertEquals(List.of("queued before setResult", "cb1 v", "cb2", "cb3"), log);
    }

    @Test
    void doneCallbacks_addedAfterDoneAreScheduledAtOnceInOrder() {
        // asyncio: cb1 added before set_result, then call_soon(soon), then cb2 -> ['cb1', 'soon', 'cb2']
        Future<String> f = loop.createFuture();
        List<String> log = new ArrayList<>();
        f.addDoneCallback(x -> log.add("cb1"));
        f.setResult("v");
        loop.callSoon(() -> log.add("soon"));
        f.addDoneCallback(x -> log.add("cb2"));
        assertEquals(List.of(), log);
        runOnce();
        assertEquals(List.of("cb1", "soon", "cb2"), log);
    }

    @Test
    void doneCallbacks_receiveTheFuture() {
        Future<String> f = loop.createFuture();
        List<Future<String>> got = new ArrayList<>();
        f.addDoneCallback(got::add);
        f.cancel();
        runOnce();
        assertEquals(1, got.size());
        assertSame(f, got.get(0));
    }

    @Test
    void doneCallbacks_runOnCancelAndOnException() {
        List<String> log = new ArrayList<>();
        Future<String> cancelled = loop.createFuture();
        cancelled.addDoneCallback(x -> log.add("cancelled=" + x.cancelled()));
        Future<String> failed = loop.createFuture();
        failed.addDoneCallback(x -> log.add("exception=" + x.exception().getMessage()));
        cancelled.cancel();
        failed.setException(new RuntimeException("boom"));
        runOnce();
        assertEquals(List.of("cancelled=true", "exception=boom"), log);
    }

    @Test
    void doneCallback_thatThrowsIsReportedAndTheOthersRun() {
        Future<String> f = loop.createFuture();
        List<String> log = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        f.addDoneCallback(x -> {
            throw boom;
        });
        f.addDoneCallback(x -> log.add("second"));
        f.setResult("v");
        runOnce();
        assertEquals(List.of("second"), log);
        LogRecord r = reported.takeOne();
        assertSame(boom, r.getThrown());
    }

    @Test
    void doneCallbacks_keepTheirPlaceAmongOtherCallbacksAndAreReportedWithAHandleInDebugModeToo() {
        // The loop queues a done callback without a Handle of its own (two slots: the callback, its future);
        // ordering, the ready count, and the report of one that throws (with a handle, as asyncio's) stay.
        for (boolean debug : new boolean[] {false, true}) {
            loop.setDebug(debug);
            List<ExceptionContext> contexts = new ArrayList<>();
            loop.setExceptionHandler((l, c) -> {
                if (c.message().startsWith("Exception in callback")) { // not another test's coroutine, collected now
                    contexts.add(c);
                }
            });
            Future<String> f = loop.createFuture();
            Future<String> g = loop.createFuture();
            List<String> log = new ArrayList<>();
            RuntimeException boom = new RuntimeException("boom");
            f.addDoneCallback(x -> log.add("f1 " + x.result()));
            g.addDoneCallback(x -> {
                throw boom;
            });
            f.addDoneCallback(x -> log.add("f2"));
            loop.callSoon(() -> log.add("a"));
            f.setResult("v");
            loop.callSoon(() -> log.add("b"));
            g.setResult("w");
            g.addDoneCallback(x -> log.add("g2 " + x.result())); // added once done: scheduled at once
            loop.callSoon(() -> log.add("c"));
            assertTrue(loop.toString().contains("ready=7"), loop.toString());
            runOnce();
            assertEquals(List.of("a", "f1 v", "f2", "b", "g2 w", "c"), log, "debug=" + debug);
            assertEquals(1, contexts.size(), contexts::toString);
            assertSame(boom, contexts.get(0).exception());
            assertTrue(contexts.get(0).handle() != null, contexts::toString);
            assertTrue(loop.toString().contains("ready=0"), loop.toString());
        }
        loop.setDebug(false);
    }

    @Test
    void removeDoneCallback_returnsHowManyItRemoved() {
        Future<String> f = loop.createFuture();
        List<String> log = new ArrayList<>();
        Consumer<Future<String>> a = x -> log.add("a");
        Consumer<Future<String>> b = x -> log.add("b");
        Consumer<Future<String>> never = x -> log.add("never added");
        f.addDoneCallback(a);
        f.addDoneCallback(b);
        f.addDoneCallback(a);
        assertEquals(0, f.removeDoneCallback(never));
        assertEquals(2, f.removeDoneCallback(a));
        assertEquals(0, f.removeDoneCallback(a));
        f.setResult("v");
        runOnce();
        assertEquals(List.of("b"), log);
    }

    @Test
    void removeDoneCallback_ofTheOnlyCallback() {
        Future<String> f = loop.createFuture();
        List<String> log = new ArrayList<>();
        Consumer<Future<String>> a = x -> log.add("a");
        f.addDoneCallback(a);
        assertEquals(1, f.removeDoneCallback(a));
        f.addDoneCallback(x -> log.add("b"));
        f.setResult("v");
        runOnce();
        assertEquals(List.of("b"), log);
    }

    @Test
    void removeDoneCallback_afterDoneRemovesNothingAndTheScheduledOnesRun() {
        Future<String> f = loop.createFuture();
        List<String> log = new ArrayList<>();
        Consumer<Future<String>> a = x -> log.add("a");
        f.addDoneCallback(a);
        f.setResult("v");
        assertEquals(0, f.removeDoneCallback(a));
        runOnce();
        assertEquals(List.of("a"), log);
    }

    @Test
    void doneCallback_thatAddsAnotherToTheSameDoneFuture() {
        Future<String> f = loop.createFuture();
        List<String> log = new ArrayList<>();
        f.addDoneCallback(x -> {
            log.add("first");
            x.addDoneCallback(y -> log.add("added while running"));
        });
        f.addDoneCallback(x -> log.add("second"));
        f.setResult("v");
        runOnce();
        assertEquals(List.of("first", "second"), log);
        runOnce();
        assertEquals(List.of("first", "second", "added while running"), log);
    }

    @Test
    void addDoneCallback_rejectsNull() {
        Future<String> f = loop.createFuture();
        assertThrows(NullPointerException.class, () -> f.addDoneCallback(null));
    }

    @Test
    void newFuture_rejectsANullLoop() {
        assertThrows(NullPointerException.class, () -> new Future<String>(null));
    }
}
