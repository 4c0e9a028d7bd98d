package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** callLater/callAt on virtual time (SEMANTICS 6-8). */
class TimerTest extends LoopTestBase {

    @Test
    void callLater_runsInDeadlineOrderAtExactlyTheDeadline() {
        List<String> log = new ArrayList<>();
        loop.callLater(3.0, () -> log.add("3.0@" + loop.time()));
        loop.callLater(0.5, () -> log.add("0.5@" + loop.time()));
        loop.callLater(1.25, () -> log.add("1.25@" + loop.time()));
        loop.callLater(3.0, loop::stop);
        loop.runForever();
        assertEquals(List.of("0.5@0.5", "1.25@1.25", "3.0@3.0"), log);
    }

    @Test
    void callLater_isRelativeToTheCurrentLoopTime() {
        List<Double> at = new ArrayList<>();
        loop.callLater(2.0, () -> {
            TimerHandle h = loop.callLater(1.5, () -> {
                at.add(loop.time());
                loop.stop();
            });
            at.add(h.when());
        });
        loop.runForever();
        assertEquals(List.of(3.5, 3.5), at);
    }

    @Test
    void callLater_negativeDelaysRunInDeadlineOrder() {
        // BE test_call_later_negative_delays
        List<String> log = new ArrayList<>();
        loop.callLater(-1.0, () -> log.add("a"));
        loop.callLater(-2.0, () -> log.add("b"));
        runOnce();
        assertEquals(List.of("b", "a"), log);
    }

    @Test
    void callLater_negativeOrZeroDelayRunsInTheNextIterationWithoutAdvancingTime() {
        List<String> log = new ArrayList<>();
        loop.callLater(0.0, () -> log.add("zero"));
        loop.callLater(-5.0, () -> log.add("negative"));
        loop.callLater(0.001, () -> log.add("later"));
        runOnce();
        assertTrue(log.containsAll(List.of("zero", "negative")) && log.size() == 2, log.toString());
        assertEquals(0.0, loop.time());
    }

    @Test
    void callLater_dueTimersRunAfterTheCallbacksAlreadyReady() {
        // asyncio: call_later(0, t); call_soon(s) runs ['soon', 'timer0'] in one iteration
        List<String> log = new ArrayList<>();
        loop.callLater(0.0, () -> log.add("timer0"));
        loop.callSoon(() -> log.add("soon"));
        runOnce();
        assertEquals(List.of("soon", "timer0"), log);
    }

    @Test
    void callAt_inThePastRunsInTheNextIterationBeforeLaterDeadlines() {
        List<String> log = new ArrayList<>();
        loop.callLater(1.0, () -> log.add("later"));
        loop.callAt(-10.0, () -> log.add("past"));
        runOnce();
        assertEquals(List.of("past"), log);
        assertEquals(0.0, loop.time());
    }

    @Test
    void callAt_equalDeadlinesRunInSchedulingOrder() {
        List<Integer> log = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            if (i % 3 == 0) {
                loop.callLater(1.0, () -> log.add(n));
            } else {
                loop.callAt(1.0, () -> log.add(n));
            }
            loop.callAt(0.5 + (i % 2), () -> { }); // other deadlines interleaved in the heap
        }
        loop.callAt(2.0, loop::stop);
        loop.runForever();
        assertEquals(EventLoopTest.range(50), log);
    }

    @Test
    void timers_fireInDeadlineThenSchedulingOrderForRandomDeadlines() {
        Random random = new Random(42);
        List<long[]> fired = new ArrayList<>(); // {deadline in ms, scheduling index}
        List<long[]> scheduled = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long ms = random.nextInt(200); // many equal deadlines
            long[] key = {ms, i};
            scheduled.add(key);
            loop.callAt(ms / 1000.0, () -> fired.add(key));
        }
        loop.callAt(1.0, loop::stop);
        loop.runForever();
        scheduled.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
        assertEquals(render(scheduled), render(fired));
    }

    @Test
    void timers_manyTimersScheduledAndCancelledWhileFiringRunInTheOrderOfAReferenceQueue() {
        // 20,000 timers (a heap several levels deep), many equal deadlines; each firing callback may schedule
        // a new timer (delay 0 included: next iteration, after the timers already due) and may cancel any timer
        // made so far (a no-op once it ran). The firing order must be that of a priority queue on
        // (deadline, scheduling order) driven by the same choices.
        int initial = 20_000;
        long seed = 13;
        List<Integer> expected = referenceFiringOrder(initial, seed);
        Random random = new Random(seed);
        List<TimerHandle> handles = new ArrayList<>();
        List<Integer> fired = new ArrayList<>();
        for (int i = 0; i < initial; i++) {
            scheduleTracked(handles, fired, random, random.nextInt(3_000));
        }
        loop.callAt(1e6, loop::stop);
        loop.runForever();
        assertEquals(expected.size(), fired.size());
        assertEquals(expected, fired);
        assertTrue(loop.toString().contains("timers=0"), loop.toString());
    }

    private void scheduleTracked(List<TimerHandle> handles, List<Integer> fired, Random random, long atMs) {
        int id = handles.size();
        handles.add(loop.callAt(atMs / 1000.0, () -> {
            fired.add(id);
            if (random.nextInt(4) == 0) {
                scheduleTracked(handles, fired, random, atMs + random.nextInt(4) * random.nextInt(300));
            }
            if (random.nextInt(3) == 0) {
                handles.get(random.nextInt(handles.size())).cancel();
            }
        }));
    }

    /** The same choices as {@link #scheduleTracked}, on a {@code java.util.PriorityQueue}: the ids in firing order. */
    private static List<Integer> referenceFiringOrder(int initial, long seed) {
        Random random = new Random(seed);
        java.util.PriorityQueue<long[]> queue = new java.util.PriorityQueue<>(
                Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1])); // {ms, id}
        List<Boolean> cancelled = new ArrayList<>();
        for (int i = 0; i < initial; i++) {
            queue.add(new long[] {random.nextInt(3_000), i});
            cancelled.add(false);
        }
        List<Integer> fired = new ArrayList<>();
        while (!queue.isEmpty()) {
            long[] k = queue.poll();
            int id = (int) k[1];
            if (cancelled.get(id)) {
                continue;
            }
            cancelled.set(id, true); // ran: a later cancel is a no-op
            fired.add(id);
            if (random.nextInt(4) == 0) {
                queue.add(new long[] {k[0] + random.nextInt(4) * random.nextInt(300), cancelled.size()});
                cancelled.add(false);
            }
            if (random.nextInt(3) == 0) {
                cancelled.set(random.nextInt(cancelled.size()), true);
            }
        }
        return fired;
    }

    @Test
    void cancel_beforeTheDeadlineMeansTheTimerNeverRuns() {
        List<String> log = new ArrayList<>();
        TimerHandle h = loop.callLater(1.0, () -> log.add("cancelled"));
        loop.callLater(1.0, () -> log.add("kept"));
        h.cancel();
        assertTrue(h.cancelled());
        h.cancel(); // again: no effect
        assertTrue(loop.toString().contains("timers=1"), loop.toString());
        loop.callLater(2.0, loop::stop);
        loop.runForever();
        assertEquals(List.of("kept"), log);
    }

    @Test
    void cancel_byACallbackOfTheIterationInWhichBothAreDue() {
        List<String> log = new ArrayList<>();
        TimerHandle[] b = new TimerHandle[1];
        loop.callAt(1.0, () -> {
            log.add("a");
            b[0].cancel();
        });
        b[0] = loop.callAt(1.0, () -> log.add("b"));
        loop.callAt(2.0, loop::stop);
        loop.runForever();
        assertEquals(List.of("a"), log);
    }

    @Test
    void cancel_ofTheEarliestTimerLetsTheLoopSleepToTheNextOne() {
        List<Double> at = new ArrayList<>();
        TimerHandle first = loop.callLater(1.0, () -> at.add(-1.0));
        loop.callLater(4.0, () -> {
            at.add(loop.time());
            loop.stop();
        });
        first.cancel();
        loop.runForever();
        assertEquals(List.of(4.0), at);
    }

    @Test
    void cancel_afterTheTimerRanDoesNotChangeTheTimerCount() {
        TimerHandle h = loop.callLater(1.0, () -> { });
        loop.callLater(1.0, loop::stop);
        loop.callLater(5.0, () -> { });
        loop.runForever(); // h ran at 1.0; one timer (5.0) is left
        assertTrue(loop.toString().contains("timers=1"), loop.toString());
        h.cancel(); // asyncio: a no-op for the loop once the handle is no longer scheduled
        assertTrue(loop.toString().contains("timers=1"), loop.toString());
    }

    @Test
    void heapCompaction_keepsTheOrderOfTheTimersLeft() {
        Random random = new Random(7);
        List<long[]> expected = new ArrayList<>();
        List<long[]> fired = new ArrayList<>();
        List<TimerHandle> toCancel = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            long ms = random.nextInt(100);
            long[] key = {ms, i};
            TimerHandle h = loop.callAt(ms / 1000.0, () -> fired.add(key));
            if (i % 5 == 0) {
                expected.add(key);
            } else {
                toCancel.add(h); // 80% cancelled: the heap is compacted several times
            }
        }
        java.util.Collections.shuffle(toCancel, random);
        for (TimerHandle h : toCancel) {
            h.cancel();
        }
        assertTrue(loop.toString().contains("timers=120"), loop.toString());
        loop.callAt(1.0, loop::stop);
        loop.runForever();
        expected.sort(Comparator.<long[]>comparingLong(k -> k[0]).thenComparingLong(k -> k[1]));
        assertEquals(render(expected), render(fired));
    }

    @Test
    void heapCompaction_dropsCancelledTimersWhenTheyDominate() throws InterruptedException {
        // BE test__run_once_cancelled_event_cleanup: once more than half of >100 timers are cancelled, the heap
        // lets go of them at once, before their deadlines. Observed through the callbacks becoming unreachable.
        List<WeakReference<Runnable>> cancelledCallbacks = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            loop.callLater(100.0 + i, () -> { });
        }
        for (int i = 0; i < 160; i++) {
            Runnable r = new Runnable() {
                @Override
                public void run() {
                }
            };
            cancelledCallbacks.add(new WeakReference<>(r));
            loop.callLater(50.0, r).cancel();
        }
        // 310 timers, 160 cancelled: compaction ran at the 151st cancel; leave the handles unreachable
        awaitCollected(cancelledCallbacks.subList(0, 150));
    }

    @Test
    void callLaterAndCallAt_rejectNaN() {
        assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }));
        assertTrue(loop.toString().contains("timers=0"), loop.toString());
    }

    @Test
    void callLater_infiniteDelayNeverFires() {
        List<String> log = new ArrayList<>();
        loop.callLater(Double.POSITIVE_INFINITY, () -> log.add("never"));
        loop.callLater(1e6, loop::stop);
        loop.runForever();
        assertEquals(List.of(), log);
        assertEquals(1e6, loop.time());
        assertTrue(loop.toString().contains("timers=1"), loop.toString());
    }

    @Test
    void time_onVirtualTimeStandsStillWhileCallbacksRun() {
        Runnable[] chain = new Runnable[1];
        List<Double> times = new ArrayList<>();
        chain[0] = () -> {
            times.add(loop.time());
            if (times.size() < 100) {
                loop.callSoon(chain[0]);
            }
        };
        loop.callSoon(chain[0]);
        loop.callLater(1.0, loop::stop);
        loop.runForever();
        assertEquals(100, times.size());
        assertTrue(times.stream().allMatch(t -> t == 0.0), times.toString());
        assertEquals(1.0, loop.time());
    }

    @Test
    void time_onVirtualTimeJumpsWithoutSleeping() {
        long start = System.nanoTime();
        List<Double> at = new ArrayList<>();
        loop.callLater(3600.0, () -> at.add(loop.time()));
        loop.callLater(86400.0, () -> {
            at.add(loop.time());
            loop.stop();
        });
        loop.runForever();
        assertEquals(List.of(3600.0, 86400.0), at);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "virtual time must not sleep for real");
    }

    @Test
    void timerHandle_whenIsTheDeadlineInLoopTime() {
        assertEquals(2.5, loop.callLater(2.5, () -> { }).when());
        assertEquals(7.0, loop.callAt(7.0, () -> { }).when());
    }

    @Test
    void timerHandle_decimalDeadlinesAreExact() {
        // asyncio keeps float seconds: loop.call_at(1.001, cb).when() == 1.001 and the callback sees time() 1.001
        assertEquals(1.001, loop.callAt(1.001, () -> { }).when());
        List<Double> at = new ArrayList<>();
        loop.callLater(2.003, () -> {
            at.add(loop.time());
            loop.stop();
        });
        loop.runForever();
        assertEquals(List.of(2.003), at);
        Task<String> t = loop.createTask(Asyncio.sleep(1.005, "slept"));
        loop.runUntilComplete(t);
        assertEquals(2.003 + 1.005, loop.time(), 1e-12);
    }

    @Test
    void timerHandle_toStringSaysCancelled() {
        TimerHandle h = loop.callLater(1.0, () -> { });
        assertFalse(h.toString().contains("cancelled"), h.toString());
        h.cancel();
        assertTrue(h.toString().contains("cancelled"), h.toString());
    }

    private static List<String> render(List<long[]> keys) {
        List<String> s = new ArrayList<>();
        for (long[] k : keys) {
            s.add(k[0] + "/" + k[1]);
        }
        return s;
    }

    static void awaitCollected(List<? extends WeakReference<?>> refs) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            if (refs.stream().allMatch(r -> r.get() == null)) {
                return;
            }
            Thread.sleep(5);
        }
        long alive = refs.stream().filter(r -> r.get() != null).count();
        throw new AssertionError(alive + " of " + refs.size() + " objects are still reachable");
    }
}
