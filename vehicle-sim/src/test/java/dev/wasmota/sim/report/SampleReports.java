package dev.wasmota.sim.report;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import dev.wasmota.sim.report.SimReport.WaveRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Reports for the tests: a realistic two-campaign run (seeded, so every run draws the same), an empty one, a hostile one. */
final class SampleReports {
    static final String COMPLETED = "brake-assist-7";
    static final String STOPPED = "lane-keep-3";

    private SampleReports() {}

    /** Two campaigns: one COMPLETED in three waves, one STOPPED in its second wave with the third cancelled. */
    static SimReport twoCampaigns() {
        Random random = new Random(42);
        CampaignRun completed = new CampaignRun(COMPLETED, "BRAKE_ASSIST@1.4.0", "COMPLETED: every wave passed", List.of(
                new WaveRun(1, "PASSED", 10, 10, 0, 0, 0, commits(random, 10, 2_000, 9_000)),
                new WaveRun(2, "PASSED", 40, 38, 2, 0, 0, commits(random, 38, 12_000, 30_000)),
                new WaveRun(3, "PASSED", 150, 147, 1, 0, 2, commits(random, 147, 33_000, 70_000))));
        CampaignRun stopped = new CampaignRun(STOPPED, "LANE_KEEP@2.0.1",
                "STOPPED: wave 2 failure rate 35% over the 10% threshold", List.of(
                new WaveRun(1, "PASSED", 10, 10, 0, 0, 0, commits(random, 10, 1_500, 7_000)),
                new WaveRun(2, "FAILED", 40, 26, 14, 6, 0, commits(random, 26, 9_000, 25_000)),
                new WaveRun(3, "CANCELLED", 150, 0, 0, 0, 150, List.of())));
        return new SimReport("ota sim demo", Instant.parse("2025-03-01T10:15:30Z"), Duration.ofMillis(184_250), 200,
                List.of(completed, stopped),
                Map.of("power-loss", 3, "corrupt-download", 50, "module-trap", 9, "deadline-overrun", 6),
                Map.of("FAULT_THRESHOLD", 6, "BOOT_FAILURE", 3),
                Map.of("DIGEST_MISMATCH", 50, "SIGNATURE_INVALID", 4, "DEAD_LETTER", 2),
                List.of("200 vehicles came online.",
                        "Campaign brake-assist-7 rolled out BRAKE_ASSIST@1.4.0 in three waves; every wave passed.",
                        "50 corrupted downloads were refused by the digest check.",
                        "Campaign lane-keep-3 stopped in wave 2 after module traps; 6 vehicles rolled back."));
    }

    /** {@link #twoCampaigns} with two releases run as shadows: one disagreeing (discarded), one agreeing (promoted). */
    static SimReport withShadows() {
        SimReport r = twoCampaigns();
        List<SimReport.ShadowSample> samples = List.of(
                new SimReport.ShadowSample("3.0.0", 1_000, 0, 0, 4, 0, 0),
                new SimReport.ShadowSample("3.0.0", 2_000, 40, 30, 4, 0, 0),
                new SimReport.ShadowSample("3.0.0", 3_000, 80, 41, 0, 0, 4),
                new SimReport.ShadowSample("3.0.1", 4_000, 40, 40, 4, 0, 0),
                new SimReport.ShadowSample("3.0.1", 5_000, 120, 120, 0, 4, 0));
        return new SimReport(r.title(), r.startedAt(), r.elapsed(), r.vehicles(), r.campaigns(), r.faultsInjected(),
                r.rollbacksByCause(), r.refusalsByReason(), r.story(), samples);
    }

    /** No campaigns, no faults, no story. */
    static SimReport empty() {
        return new SimReport("empty", Instant.parse("2025-03-01T10:15:30Z"), Duration.ZERO, 0, List.of(), Map.of(),
                Map.of(), Map.of(), List.of());
    }

    /** One campaign whose waves never committed. */
    static SimReport noCommits() {
        CampaignRun c = new CampaignRun("idle", "X@1", "STOPPED: nobody answered", List.of(
                new WaveRun(1, "FAILED", 5, 0, 5, 0, 0, List.of()), new WaveRun(2, "CANCELLED", 5, 0, 0, 0, 5, List.of())));
        return new SimReport("no commits", null, null, 10, List.of(c), Map.of(), Map.of(), Map.of(), List.of());
    }

    /** Markup and ampersands in every string the model carries. */
    static SimReport hostile(String evil) {
        CampaignRun c = new CampaignRun("c" + evil, "R" + evil, "O" + evil, List.of(
                new WaveRun(1, "S" + evil, 2, 2, 0, 0, 0, List.of(1_000L, 2_000L))));
        return new SimReport("T" + evil, Instant.EPOCH, Duration.ofSeconds(1), 2, List.of(c), Map.of("f" + evil, 1),
                Map.of("r" + evil, 2), Map.of("x" + evil, 3), List.of("story " + evil));
    }

    /** {@code n} ascending commit times over {@code from..to} milliseconds, most near the middle. */
    static List<Long> commits(Random random, int n, long from, long to) {
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double u = (random.nextDouble() + random.nextDouble()) / 2;
            out.add(from + (long) (u * (to - from)));
        }
        out.sort(null);
        return out;
    }
}
