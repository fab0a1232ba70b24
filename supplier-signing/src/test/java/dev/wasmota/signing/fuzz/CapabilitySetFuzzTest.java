package dev.wasmota.signing.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Capability;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.nio.charset.StandardCharsets;

/**
 * The capability grammar (a comma-separated LIST of {@code log}, {@code clock},
 * {@code can.read:LO-HI}, {@code can.write:LO-HI}, {@code i2c:BUS:ADDR}) on arbitrary text.
 */
class CapabilitySetFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parsesToACanonicalSetOrRefuses(byte[] utf8) {
        String text = new String(utf8, StandardCharsets.UTF_8);
        CapabilitySet set;
        try {
            set = CapabilitySet.parse(text);
        } catch (RejectedException e) {
            FuzzFixtures.assertNamed(e);
            return;
        }
        assertTrue(set.items().size() <= CapabilitySet.MAX_ITEMS);
        CapabilitySet again = CapabilitySet.parse(set.canonical());
        assertEquals(set, again, "the canonical text parses back to the same set");
        assertEquals(set.canonical(), again.canonical());
        for (Capability c : set.items()) {
            assertTrue(set.covers(c), "a set covers each of its items: " + c.canonical());
            assertTrue(set.uncovered(CapabilitySet.parse(c.canonical())).isEmpty());
        }
    }
}
