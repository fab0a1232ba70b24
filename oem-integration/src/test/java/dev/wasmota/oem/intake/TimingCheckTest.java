package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimingCheckTest {
    static Soak soak(long init, long... ticks) {
        return new Soak(init, ticks, Optional.empty(), "", 0);
    }

    @Test
    void worstIsTheLongestCallInitIncluded() {
        assertEquals(new TimingCheck.Worst(90, "init (soak health check)"), TimingCheck.worst(null, soak(90, 10, 80)));
        assertEquals(new TimingCheck.Worst(80, "tick (soak tick 2)"), TimingCheck.worst(null, soak(-1, 10, 80)));
    }

    @Test
    void aConfirmedCallCountsWithTheLesserOfItsTwoTimes() {
        Soak first = soak(5, 10, 900, 20, 30);
        Soak again = soak(6, 700, 15, 25, 35);
        assertEquals(new TimingCheck.Worst(30, "tick (soak tick 4)"), TimingCheck.confirmed(null, List.of(), first, List.of(again)));
    }

    @Test
    void aSlowPathSlowBothTimesStays() {
        Soak first = soak(-1, 10, 900, 20);
        Soak again = soak(-1, 10, 880, 20);
        assertEquals(new TimingCheck.Worst(880, "tick (soak tick 2)"), TimingCheck.confirmed(null, List.of(), first, List.of(again)));
    }

    @Test
    void callsTheSecondRunNeverReachedKeepTheirFirstTime() {
        Soak first = soak(-1, 10, 20, 900);
        Soak stoppedEarly = soak(-1, 10);
        assertEquals(900, TimingCheck.confirmed(null, List.of(), first, List.of(stoppedEarly)).nanos());
    }

    @Test
    void aCallTheFirstConfirmationNeverReachedIsCoveredByTheNext() {
        Soak first = soak(-1, 10, 20, 900);
        Soak stoppedEarly = soak(-1, 10);
        Soak full = soak(-1, 12, 22, 30);
        assertEquals(new TimingCheck.Worst(30, "tick (soak tick 3)"),
                TimingCheck.confirmed(null, List.of(), first, List.of(stoppedEarly, full)));
    }
}
