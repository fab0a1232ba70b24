package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TickTimerTest {
    private static final TickTimer.Listener NOBODY = new TickTimer.Listener() {
        @Override
        public void result(CallResult result) {
        }

        @Override
        public void skipped(long periods) {
        }
    };

    @Test
    void aTickWithinItsPeriodSkipsNothingAndTheNextIsOnePeriodLater() {
        TickTimer t = new TickTimer(10, 100, NOBODY);
        assertEquals(0, t.advance(100, 103));
        assertEquals(110, t.nextDue);
    }

    @Test
    void periodsDueWhileATickRanAreSkippedAndCounted() {
        TickTimer t = new TickTimer(10, 100, NOBODY);
        assertEquals(2, t.advance(100, 125), "110 and 120 came due during the tick");
        assertEquals(130, t.nextDue);
        assertEquals(1, t.advance(130, 140), "a tick ending exactly when the next is due skips it");
        assertEquals(150, t.nextDue);
    }

    @Test
    void anIdleWorkersAlarmIsTheNextTicksDeadlineMovedPastNow() {
        TickTimer t = new TickTimer(10, 100, NOBODY);
        assertEquals(105, t.nextAlarm(90, 5));
        assertEquals(115, t.nextAlarm(106, 5), "the tick due at 100 is late: the alarm waits for the next period's");
        assertEquals(125, t.nextAlarm(115, 5));
    }
}
