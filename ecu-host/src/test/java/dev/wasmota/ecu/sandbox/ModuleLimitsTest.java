package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.util.List;
import java.util.Optional;
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
    void aManifestsResourceCapsAreKeptNotLoweredAndCarriedThroughAnotherDeadline() {
        ResourceCaps caps = new ResourceCaps(1, 365, 1, 1, 15, 1, 365);
        ModuleLimits limits = ModuleLimits.of(manifest(caps), 256, ResourceCaps.DEFAULT_CEILINGS);
        assertEquals(caps, limits.resources());
        assertEquals(16, limits.memoryPages());
        assertEquals(caps, limits.withDeadlineMicros(100_000).resources());
        assertEquals(100_000, limits.withDeadlineMicros(100_000).deadlineMicros());
    }

    @Test
    void refusesAManifestsCapsAboveTheHostsCeilings() {
        var e = assertThrows(RejectedException.class, () -> ModuleLimits.of(
                manifest(ResourceCaps.DEFAULT_CEILINGS.withTableElements(65_537)), 256, ResourceCaps.DEFAULT_CEILINGS));
        assertEquals(PolicyFailure.RESOURCE_LIMIT, e.reason());
    }

    private static Manifest manifest(ResourceCaps caps) {
        return new Manifest("m", "1.0.0", 1, "acme", "0".repeat(64), 1, List.of(), CapabilitySet.EMPTY, 16, caps,
                1_000, 10, List.of(), Optional.empty());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        var e = assertThrows(RejectedException.class, () -> new ModuleLimits(-1, 0, 0));
        assertEquals(HostPolicyFailure.LIMITS_OUT_OF_RANGE, e.reason());
        assertTrue(e.getMessage().contains("memory") && e.getMessage().contains("deadline")
                && e.getMessage().contains("period"), e.getMessage());
    }
}
