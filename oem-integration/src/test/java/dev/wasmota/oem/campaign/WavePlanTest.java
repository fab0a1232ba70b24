package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WavePlanTest {
    private static List<Integer> sizes(String plan, int targets) {
        return WavePlan.parse(plan).resolve(targets).stream().map(WavePlan.Slice::size).toList();
    }

    @Test
    void countsAreCumulative() {
        assertEquals(List.of(1, 9, 90), sizes("1,10,100", 100));
    }

    @Test
    void countsAboveTheTargetsMeanAllOfThem() {
        assertEquals(List.of(1, 9, 40), sizes("1,10,100", 50));
    }

    @Test
    void percentagesAreCumulativeAndRoundUp() {
        assertEquals(List.of(10, 40, 50), sizes("10%,50%,100%", 100));
        assertEquals(List.of(1, 1, 1), sizes("10%,50%,100%", 3));
    }

    @Test
    void wavesThatAddNobodyAreDropped() {
        List<WavePlan.Slice> slices = WavePlan.parse("1,10,100").resolve(5);

        assertEquals(List.of(new WavePlan.Slice("1", 1), new WavePlan.Slice("10", 4)), slices);
    }

    @Test
    void mixesCountsAndPercentages() {
        assertEquals(List.of(1, 24, 75), sizes("1,25%,100%", 100));
    }

    @Test
    void refusesPlanThatDoesNotReachEveryTarget() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sizes("1,10,100", 500));

        assertEquals("waves 1,10,100 reach 100 of the 500 targeted vehicles; end the plan with 100% or a count of"
                + " at least 500", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sizes("10%,50%", 10));
    }

    @Test
    void refusesMixedPlanThatShrinks() {
        assertThrows(IllegalArgumentException.class, () -> sizes("50%,10,100%", 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1,,2", "0,10", "10,5", "10%,10%", "101%", "-1", "1.5", "ten", "5%,3%,100%"})
    void refusesMalformedPlan(String plan) {
        assertThrows(IllegalArgumentException.class, () -> WavePlan.parse(plan));
    }

    @Test
    void printsAsParsed() {
        assertEquals("1,25%,100%", WavePlan.parse(" 1, 25%,100% ").toString());
    }
}
