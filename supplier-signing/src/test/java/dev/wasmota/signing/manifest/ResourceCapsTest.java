package dev.wasmota.signing.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceCapsTest {
    @Test
    void reportsEveryFigureOutOfRangeAtOnce() {
        RejectedException e = assertThrows(RejectedException.class,
                () -> new ResourceCaps(101, -1, 1_000_001, 0, ResourceCaps.MAX_DATA_BYTES + 1, 0, 0));
        assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason());
        for (String name : List.of("tables 101", "tableElements -1", "globals 1000001", "dataBytes 8388609")) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void theDefaultCeilingsAreWithinTheFormat() {
        assertEquals(List.of(), ResourceCaps.DEFAULT_CEILINGS.excessOver(ResourceCaps.FORMAT_MAXIMA));
        assertEquals(65_536, ResourceCaps.DEFAULT_CEILINGS.tableElements());
    }

    @Test
    void refusesCapsAboveAHostsCeilingsNamingEach() {
        ResourceCaps greedy = ResourceCaps.DEFAULT_CEILINGS.withTableElements(1_000_000);
        RejectedException e = assertThrows(RejectedException.class,
                () -> greedy.requireWithin(ResourceCaps.DEFAULT_CEILINGS, "this host's ceilings"));
        assertEquals(PolicyFailure.RESOURCE_LIMIT, e.reason());
        assertEquals("the manifest's caps exceed this host's ceilings: 1,000,000 table elements above 65,536",
                e.getMessage());
        assertEquals(greedy, greedy.requireWithin(ResourceCaps.FORMAT_MAXIMA, "the format"));
    }
}
