package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectorTest {
    @Test
    void backOffDoublesFromOneSecondToThirtyWithJitterOfAtMostHalf() {
        SplittableRandom r = new SplittableRandom(7);
        long[] steps = {1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000};
        for (int attempts = 0; attempts < steps.length; attempts++) {
            for (int i = 0; i < 200; i++) {
                long d = Reconnector.delayMillis(attempts, r);
                assertTrue(d >= steps[attempts] / 2 && d <= steps[attempts], "attempt " + attempts + ": " + d);
            }
        }
        long late = Reconnector.delayMillis(Integer.MAX_VALUE, r);
        assertTrue(late >= 15_000 && late <= 30_000, "no overflow after many attempts: " + late);
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int attempts = 0; attempts < 10; attempts++) {
            assertEquals(Reconnector.delayMillis(attempts, a), Reconnector.delayMillis(attempts, b));
        }
    }
}
