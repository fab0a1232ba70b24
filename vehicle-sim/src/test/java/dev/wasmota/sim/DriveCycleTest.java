package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DriveCycleTest {
    @Test
    void cruisesSteadilyInTheBandTheFaultyModuleCannotStand() {
        for (long t = 8_000; t < 14_000; t += 10) {
            long v = DriveCycle.speed(t, 0);
            assertTrue(v >= 5_000 && v < 6_000, "cruise at " + t + " ms: " + v);
        }
    }

    @Test
    void cityAndHighwayStayOutOfTheCruiseBand() {
        for (long t = 0; t < 8_000; t += 10) {
            assertTrue(DriveCycle.speed(t, 0) < 5_000, "city at " + t);
        }
        for (long t = 14_000; t < 20_000; t += 10) {
            assertTrue(DriveCycle.speed(t, 0) >= 9_000, "highway at " + t);
        }
    }

    @Test
    void standsStillAtALightAtTheStartOfEachCycle() {
        for (long t = 0; t < DriveCycle.STOP_MILLIS; t += 10) {
            assertEquals(0, DriveCycle.speed(t, 0), "stopped at " + t);
            assertEquals(0, DriveCycle.speed(t + DriveCycle.CYCLE_MILLIS, 0));
        }
        assertTrue(DriveCycle.speed(DriveCycle.STOP_MILLIS + 500, 0) > 0, "moving off");
    }

    @Test
    void offsetsShiftTheCycleAndItRepeats() {
        assertEquals(DriveCycle.speed(9_000, 0), DriveCycle.speed(4_000, 5_000));
        assertEquals(DriveCycle.speed(3_000, 0), DriveCycle.speed(23_000, 0));
    }
}
