package dev.wasmota.ecu.sandbox;

import dev.wasmota.testkit.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FaultWindowTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void tripsOnTheThirdFaultWithinFiveMinutes() {
        FaultWindow w = FaultWindow.defaults(clock);
        assertFalse(w.record());
        clock.advance(Duration.ofMinutes(2));
        assertFalse(w.record());
        clock.advance(Duration.ofMinutes(2));
        assertTrue(w.record());
        assertTrue(w.tripped());
    }

    @Test
    void faultsOlderThanTheWindowNoLongerCount() {
        FaultWindow w = FaultWindow.defaults(clock);
        w.record();
        clock.advance(Duration.ofMinutes(3));
        w.record();
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertFalse(w.record(), "the first fault left the window");
        assertEquals(2, w.faultsInWindow());
        clock.advance(Duration.ofMinutes(3));
        assertEquals(1, w.faultsInWindow());
    }

    @Test
    void tripLatchesUntilReset() {
        FaultWindow w = new FaultWindow(2, Duration.ofSeconds(10), clock);
        w.record();
        assertTrue(w.record());
        assertFalse(w.record(), "reported once");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(w.tripped());
        w.reset();
        assertFalse(w.tripped());
        assertEquals(0, w.faultsInWindow());
    }

    @Test
    void refusesMeaninglessSettings() {
        assertThrows(IllegalArgumentException.class, () -> new FaultWindow(0, Duration.ofMinutes(1), clock));
        assertThrows(IllegalArgumentException.class, () -> new FaultWindow(3, Duration.ZERO, clock));
    }
}
