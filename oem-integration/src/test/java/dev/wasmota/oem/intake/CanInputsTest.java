package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanInputsTest {
    @Test
    void drivesEveryIdTheReadCapabilitiesCoverAndNoWriteOnly() {
        CanInputs in = CanInputs.of(CapabilitySet.parse("log,can.read:1A0-1A3,can.read:1B0,can.write:3A0-3A3"), 64);
        assertEquals(List.of(0x1a0, 0x1a1, 0x1a2, 0x1a3, 0x1b0), in.ids());
        assertFalse(in.capped());
    }

    @Test
    void takesWideRangesRoundRobinFromTheirLowEndsUpToTheCap() {
        CanInputs in = CanInputs.of(CapabilitySet.parse("can.read:0-1fffffff,can.read:700"), 4);
        assertEquals(List.of(0, 1, 2, 0x700), in.ids());
        assertTrue(in.capped());
    }

    @Test
    void moduleWithoutCanReadsGetsNoInputs() {
        CanInputs in = CanInputs.of(CapabilitySet.parse("log,clock"), 64);
        assertEquals(List.of(), in.ids());
        assertEquals("no CAN inputs", CanInputs.describe(in.drive(new SimulatedCanBus(), new Random(1))));
    }

    @Test
    void theSameSeedGivesTheSameInputsWithBoundariesAndSilence() {
        CanInputs in = CanInputs.of(CapabilitySet.parse("can.read:120"), 64);
        Random a = new Random(9);
        Random b = new Random(9);
        SimulatedCanBus bus = new SimulatedCanBus();
        Set<Long> seen = new HashSet<>();
        boolean silent = false;
        for (int i = 0; i < 2000; i++) {
            Map<Integer, Long> x = in.drive(bus, a);
            assertEquals(x, in.drive(new SimulatedCanBus(), b));
            Long v = x.get(0x120);
            silent |= v == null && bus.value(0x120).isEmpty();
            if (v != null) {
                assertEquals(v, bus.value(0x120).getAsLong());
                seen.add(v);
            }
        }
        assertTrue(silent);
        assertTrue(seen.contains(Long.MIN_VALUE) && seen.contains(Long.MAX_VALUE) && seen.contains(0L), seen.toString());
        assertTrue(seen.size() > 1000);
    }
}
