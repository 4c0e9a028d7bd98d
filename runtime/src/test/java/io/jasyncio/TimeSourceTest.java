package io.jasyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** TimeSource.virtual and system. */
class TimeSourceTest extends LoopTestBase {

    @Test
    void virtual_startsAtZeroAndStandsStill() {
        TimeSource clock = TimeSource.virtual();
        assertEquals(0L, clock.nanoTime());
        assertEquals(0L, clock.nanoTime());
    }

    @Test
    void virtual_advanceToJumpsExactlyToTheDeadline() {
        TimeSource clock = TimeSource.virtual();
        assertTrue(clock.advanceTo(1_500_000_000L));
        assertEquals(1_500_000_000L, clock.nanoTime());
        assertTrue(clock.advanceTo(1_500_000_001L));
        assertEquals(1_500_000_001L, clock.nanoTime());
    }

    @Test
    void virtual_neverGoesBackwards() {
        TimeSource clock = TimeSource.virtual();
        clock.advanceTo(5_000L);
        assertTrue(clock.advanceTo(1_000L)); // still "handled": the loop must not block
        assertEquals(5_000L, clock.nanoTime());
    }

    @Test
    void virtual_clocksAreIndependent() {
        TimeSource a = TimeSource.virtual();
        TimeSource b = TimeSource.virtual();
        a.advanceTo(10L);
        assertEquals(0L, b.nanoTime());
    }

    @Test
    void system_doesNotAdvanceAndIsMonotonic() {
        TimeSource clock = TimeSource.system();
        long t0 = clock.nanoTime();
        assertFalse(clock.advanceTo(t0 + 1_000_000_000_000L));
        long t1 = clock.nanoTime();
        assertTrue(t1 >= t0);
        assertTrue(t1 - t0 < 1_000_000_000_000L);
    }

    @Test
    void loop_onVirtualTimeRunsAnHourOfSleepsAtOnce() {
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            loop.runUntilComplete(Asyncio.sleep(36.0));
        }
        assertEquals(3600.0, loop.time(), 1e-9);
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void loop_timeReadsItsTimeSource() {
        long[] now = {7_250_000_000L};
        EventLoop manual = track(new EventLoop(() -> now[0]));
        assertEquals(7.25, manual.time());
        now[0] = 9_000_000_000L;
        assertEquals(9.0, manual.time());
        assertEquals(10.5, manual.callLater(1.5, () -> { }).when());
    }

    @Test
    void loop_rejectsANullTimeSource() {
        assertThrows(NullPointerException.class, () -> new EventLoop(null));
    }
}
