package dev.wasmota.ecu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.sandbox.Corpus;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Short runs of each benchmark: they work and their figures are plausible (real figures: {@code ota bench}). */
class BenchTest {
    @Test
    void percentilesUseNearestRankOnSortedSamples() {
        Percentiles p = Percentiles.of(new long[] {9, 1, 5, 3, 7, 2, 8, 4, 6, 10});
        assertEquals(5, p.median());
        assertEquals(10, p.percentile(99));
        assertEquals(1, p.min());
        assertEquals(10, p.max());
    }

    @Test
    void tickBenchMeasuresSandboxAndRawCalls() throws Exception {
        var r = new TickBench().run(new TickBench.Options(Corpus.path("empty.wasm"), 2_000, 3_000));
        assertTrue(r.rawMedianNs() > 0 && r.sandboxMedianNs() > r.rawMedianNs(), r.toString());
        assertTrue(r.lines().get(0).startsWith("tick_sandbox_median_ns="));
    }

    @Test
    void deadlineBenchStopsTheRunawayWithoutDisturbingTheOthers() throws Exception {
        var r = new DeadlineBench().run(new DeadlineBench.Options(Corpus.path(""), Duration.ofMillis(300), Duration.ofMillis(800), 20_000, 25));
        assertTrue(r.runawayMisses() >= 10, r.toString());
        assertTrue(r.overshootMaxNs() < Duration.ofMillis(300).toNanos(), r.toString());
        assertEquals(0, r.othersDeadlineMisses(), r.toString());
        assertTrue(r.othersCalls() >= 7 * 10, r.toString());
    }

    @Test
    void computeBenchTimesAPassOverTheVectors() throws Exception {
        var r = new ComputeBench().run(new ComputeBench.Options(Corpus.path("brake_temp.wasm"),
                Corpus.path("brake_temp.vectors.json"), 3, Optional.empty()));
        assertTrue(r.allPassed(), r.firstFailure());
        assertTrue(r.line().matches("compute_ms=\\d+\\.\\d"), r.line());
    }
}
