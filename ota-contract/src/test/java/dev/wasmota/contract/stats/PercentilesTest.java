package dev.wasmota.contract.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void percentilesUseNearestRankOnSortedSamples() {
        Percentiles p = Percentiles.of(new long[] {9, 1, 5, 3, 7, 2, 8, 4, 6, 10});
        assertEquals(5, p.median());
        assertEquals(9, p.percentile(90));
        assertEquals(10, p.percentile(99));
        assertEquals(10, p.percentile(100));
        assertEquals(1, p.percentile(0));
        assertEquals(1, p.min());
        assertEquals(10, p.max());
        assertEquals(10, p.count());
        assertEquals(1, Percentiles.of(new long[] {1, 2}).median(), "nearest rank: the lower of two");
        assertEquals(7, Percentiles.of(new long[] {7}).percentile(99));
        assertEquals(5_000, Percentiles.of(List.of(10_000L, 1_000L, 5_000L, 3_000L)).percentile(75));
    }

    @Test
    void anEmptySetSaysSoAndHasNoPercentiles() {
        Percentiles none = Percentiles.of(new long[0]);
        assertTrue(none.isEmpty());
        assertEquals(0, none.count());
        assertThrows(IllegalStateException.class, none::median);
        assertThrows(IllegalStateException.class, none::max);
        assertThrows(IllegalStateException.class, none::min);
        assertFalse(Percentiles.of(new long[] {1}).isEmpty());
    }

    @Test
    void theCallersSamplesAreNotSortedInPlace() {
        long[] samples = {3, 1, 2};
        Percentiles.of(samples);
        assertEquals(List.of(3L, 1L, 2L), List.of(samples[0], samples[1], samples[2]));
    }
}
