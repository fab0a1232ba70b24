package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmota.signing.error.RejectedException;
import org.junit.jupiter.api.Test;

class ModuleLimitsTest {
    @Test
    void memoryCapIsTheLowerOfManifestAndHost() {
        assertEquals(16, ModuleLimits.of(16, 256, 1_000, 10).memoryPages());
        assertEquals(256, ModuleLimits.of(4096, 256, 1_000, 10).memoryPages());
    }

    @Test
    void instanceLimitsAlsoHonourTheDeclaredMaximum() {
        ModuleLimits limits = new ModuleLimits(16, 1_000, 10);
        assertEquals(2, limits.memoryLimits(new MemoryLimits(1, 2)).maximumPages());
        assertEquals(16, limits.memoryLimits(new MemoryLimits(1)).maximumPages(), "no declared maximum");
        assertEquals(3, limits.memoryLimits(new MemoryLimits(3, 100)).initialPages());
    }

    @Test
    void refusesInitialMemoryAboveTheCap() {
        var e = assertThrows(RejectedException.class,
                () -> new ModuleLimits(2, 1_000, 10).memoryLimits(new MemoryLimits(3, 10)));
        assertEquals(HostPolicyFailure.MEMORY_LIMIT_EXCEEDED, e.reason());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        var e = assertThrows(RejectedException.class, () -> new ModuleLimits(-1, 0, 0));
        assertEquals(HostPolicyFailure.LIMITS_OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("memory") && e.getMessage().contains("deadline")
                && e.getMessage().contains("period"), e.getMessage());
    }
}
