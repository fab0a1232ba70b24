package dev.wasmota.sim;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.ecu.ShadowReport;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.oem.release.Release;
import dev.wasmota.sim.report.HtmlReport;
import dev.wasmota.sim.report.SimReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code ota sim demo}: the whole story on one machine. 50 vehicles, a supplier and the OEM on the
 * embedded broker: v1 rolls out in waves and every vehicle commits; a faulty v2 (it traps when a
 * car cruises steadily) reaches the first wave, whose hosts roll back by themselves, and the
 * campaign stops at its error threshold before the next wave; then an attacker's tampered package
 * is refused by every vehicle; a v3 that differs on the highway runs as a shadow on the first wave,
 * disagrees and is discarded without ever actuating, and a v3' that agrees is promoted (issue 19).
 * Ends with a summary and the HTML report.
 */
public final class Demo {
    /** What the demo ended with, for its caller (and its test) to check. */
    public record Outcome(Campaign.State v1, Campaign.State v2, Map<String, Integer> activeVersions, int rolledBack,
                          int tamperedSent, int tamperedRefused, boolean slotsUnchanged, int logsIntact, SimReport report,
                          Path reportFile, ShadowChapter shadows) {
    }

    private Demo() {
    }

    public static Outcome run(Path workDir, int vehicles, Path corpus, Path reportFile, Narrator narrator) throws Exception {
        return run(workDir, vehicles, corpus, reportFile, narrator, Optional.empty());
    }

    /**
     * As {@link #run(Path, int, Path, Path, Narrator)}, with the OEM's live console when
     * {@code beforeClose} is given: served on 127.0.0.1 from the start (its sign-in link is told),
     * and kept up after the story until {@code beforeClose} returns (e.g. until Enter is pressed).
     */
    public static Outcome run(Path workDir, int vehicles, Path corpus, Path reportFile, Narrator narrator,
                              Optional<Runnable> beforeClose) throws Exception {
        Instant started = Instant.now();
        narrator.say("starting the embedded MQTT broker, the OEM, supplier acme and " + vehicles + " vehicles");
        try (Fleet fleet = Fleet.start(FleetConfig.of(workDir, vehicles),
                n -> narrator.progress(n, vehicles, "vehicles connected " + n + "/" + vehicles))) {
            fleet.events().narrateWith(line -> { });
            narrator.say(vehicles + " vehicles online at " + fleet.brokerUrl() + ": each its own ECU host, slots, audit"
                    + " log, key and MQTT session; compiled modules shared");
            try (DemoConsole console = beforeClose.isPresent() ? DemoConsole.open(fleet, narrator) : DemoConsole.NONE) {
                Outcome o = story(fleet, vehicles, corpus, reportFile, narrator, started);
                beforeClose.ifPresent(Runnable::run);
                return o;
            }
        }
    }

    private static Outcome story(Fleet fleet, int vehicles, Path corpus, Path reportFile, Narrator narrator, Instant started)
            throws Exception {
        Scenario s = new Scenario(fleet, narrator, corpus);

        Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.of("healthy_v1.vectors.json"));
        Campaign.State v1End = s.rollout(v1, "10%,50%,100%", Duration.ZERO, Duration.ofSeconds(90), false);
        narrator.say(count(fleet, "1.0.0") + " of " + vehicles + " vehicles run healthy 1.0.0");

        Release v2 = s.submit("faulty_v2.wasm", "2.0.0", 2, Optional.empty());
        narrator.say("v2 passed intake: its bug shows only when a car holds a steady 50-60 km/h for 30 ms");
        Campaign.State v2End = s.rollout(v2, "10%,100%", Duration.ofSeconds(25), Duration.ofSeconds(60), false);
        int wave1 = Math.max(1, (int) Math.ceil(vehicles * 0.10));
        waitFor(() -> rolledBack(fleet) >= wave1, Duration.ofSeconds(25));
        int rolledBack = rolledBack(fleet);
        fleet.events().rollback("FAULT_THRESHOLD", rolledBack);
        narrator.say(rolledBack + " vehicles trapped under a steady cruise and rolled back to 1.0.0 by themselves;"
                + " the other " + (vehicles - rolledBack) + " never received v2");

        Map<String, String> slotsBefore = activePackages(fleet);
        int before = refused(fleet);
        int sent = fleet.tap().tamperAll();
        narrator.say("an attacker on the network sends every vehicle its last update again, one bit of the module flipped");
        waitFor(() -> refused(fleet) - before >= sent, Duration.ofSeconds(30));
        int refused = refused(fleet) - before;
        boolean unchanged = activePackages(fleet).equals(slotsBefore);
        narrator.say(refused + " of " + sent + " tampered packages refused at the vehicles (dead-lettered, audited); "
                + (unchanged ? "no slot changed" : "SLOTS CHANGED"));

        ShadowChapter shadows = shadowChapter(fleet, s, narrator);

        Map<String, Integer> versions = versions(fleet);
        int intact = (int) fleet.vehicles().values().stream().filter(v -> AuditLog.verify(v.host().auditFile()).ok()).count();
        narrator.say("summary: active " + versions + "; " + intact + " of " + vehicles + " vehicle audit logs verify");
        SimReport report = new SimReport("ota sim demo", started, Duration.between(started, Instant.now()), vehicles,
                s.campaigns, fleet.events().faults(), fleet.events().rollbacks(), fleet.events().refusals(),
                narrator.story(), shadows.samples());
        Map<String, String> evidence = exportEvidence(fleet, s.campaigns, reportFile, narrator);
        HtmlReport.write(report, reportFile, evidence);
        narrator.say("report: " + reportFile.toAbsolutePath());
        return new Outcome(v1End, v2End, versions, rolledBack, sent, refused, unchanged, intact, report, reportFile,
                shadows);
    }

    /**
     * What the shadow chapter ended with (issue 19).
     *
     * @param v3 the campaign of v3 (run as a shadow; it caps the request above 100 km/h)
     * @param discarded vehicles whose v3 shadow was discarded
     * @param example the first disagreement one of them saw
     * @param v3Fixed the campaign of v3' (run as a shadow; agrees)
     * @param promoted vehicles that promoted v3'
     * @param agreement per vehicle that ran v3', its shadow's agreement (compared ticks that agreed)
     */
    public record ShadowChapter(Campaign.State v3, int discarded, String example, Campaign.State v3Fixed, int promoted,
                                Map<String, Double> agreement, java.util.List<SimReport.ShadowSample> samples) {
    }

    /** Samples the fleet's shadow runs of each release every second while the chapter runs, for the report. */
    private static final class ShadowSampler implements AutoCloseable {
        private final java.util.List<SimReport.ShadowSample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "demo-shadow-sampler");
                    t.setDaemon(true);
                    return t;
                });
        private final long start = System.nanoTime();

        ShadowSampler(Fleet fleet, String... releases) {
            timer.scheduleAtFixedRate(() -> {
                for (String release : releases) {
                    java.util.List<ShadowReport> runs = shadows(fleet, release);
                    if (!runs.isEmpty()) {
                        samples.add(new SimReport.ShadowSample(release, (System.nanoTime() - start) / 1_000_000,
                                runs.stream().mapToLong(ShadowReport::compared).sum(),
                                runs.stream().mapToLong(ShadowReport::agreements).sum(),
                                count(runs, ShadowReport.State.RUNNING), count(runs, ShadowReport.State.PROMOTED),
                                count(runs, ShadowReport.State.DISCARDED)));
                    }
                }
            }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }

        private static int count(java.util.List<ShadowReport> runs, ShadowReport.State state) {
            return (int) runs.stream().filter(r -> r.state() == state).count();
        }

        java.util.List<SimReport.ShadowSample> samples() {
            return java.util.List.copyOf(samples);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /** Compared ticks each shadow needs: 20 s at the module's 10 ms period, a whole drive cycle (city, cruise, highway). */
    static final long SHADOW_TICKS = 2_000;

    private static ShadowChapter shadowChapter(Fleet fleet, Scenario s, Narrator narrator) throws Exception {
        try (ShadowSampler sampler = new ShadowSampler(fleet, "3.0.0", "3.0.1")) {
            ShadowChapter c = shadowChapter(fleet, s, narrator, sampler);
            return new ShadowChapter(c.v3(), c.discarded(), c.example(), c.v3Fixed(), c.promoted(), c.agreement(),
                    sampler.samples());
        }
    }

    private static ShadowChapter shadowChapter(Fleet fleet, Scenario s, Narrator narrator, ShadowSampler sampler)
            throws Exception {
        Release v3 = s.submit("shadow_v3.wasm", "3.0.0", 3, Optional.empty());
        narrator.say("v3 caps the request on 0x220 above 100 km/h; it goes out as a shadow: each vehicle runs it beside"
                + " 1.0.0 on the same CAN reads, its writes captured, never sent, for a whole drive cycle");
        RolloutOptions shadow = RolloutOptions.shadow(new ShadowDelivery(SHADOW_TICKS, 0, 0, java.util.List.of()));
        Campaign.State v3End = s.rollout(v3, "10%,100%", Duration.ZERO, Duration.ofSeconds(120), false, shadow);
        // the campaign stops at the first discard; the other first-wave shadows end on their own highway stretch
        waitFor(() -> shadows(fleet, "3.0.0").stream().noneMatch(r -> r.state() == ShadowReport.State.RUNNING),
                Duration.ofSeconds(40));
        java.util.List<ShadowReport> v3Shadows = shadows(fleet, "3.0.0");
        int discarded = (int) v3Shadows.stream().filter(r -> r.state() == ShadowReport.State.DISCARDED).count();
        String example = v3Shadows.stream().filter(r -> !r.examples().isEmpty()).findFirst()
                .map(r -> r.examples().get(0).toString()).orElse("none");
        narrator.say(discarded + " first-wave vehicles discarded v3's shadow on the highway (e.g. " + example + "); 1.0.0"
                + " ran throughout and v3 never actuated; the campaign " + v3End);

        Release v3Fixed = s.submit("shadow_v3_fixed.wasm", "3.0.1", 3, Optional.empty());
        Campaign.State fixedEnd = s.rollout(v3Fixed, "100%", Duration.ZERO, Duration.ofSeconds(120), false, shadow);
        Map<String, Double> agreement = new TreeMap<>();
        for (SimVehicle v : fleet.vehicles().values()) {
            v.host().shadow(Scenario.MODULE).filter(r -> r.shadowVersion().equals("3.0.1"))
                    .ifPresent(r -> agreement.put(v.id, r.agreement()));
        }
        int promoted = count(fleet, "3.0.1");
        for (ShadowReport r : shadows(fleet, "3.0.1")) {
            if (r.state() != ShadowReport.State.PROMOTED) {
                narrator.say("  a v3' shadow not promoted: " + r.summary());
            }
        }
        narrator.say(promoted + " vehicles promoted v3' after it agreed with 1.0.0 on every compared tick of a drive"
                + " cycle; the campaign " + fixedEnd);
        return new ShadowChapter(v3End, discarded, example, fixedEnd, promoted, agreement, java.util.List.of());
    }

    /** The shadow runs of {@code version} the vehicles made (the last one of each). */
    static java.util.List<ShadowReport> shadows(Fleet fleet, String version) {
        return fleet.vehicles().values().stream().map(v -> v.host().shadow(Scenario.MODULE))
                .flatMap(Optional::stream).filter(r -> r.shadowVersion().equals(version)).toList();
    }

    /**
     * Exports each campaign's evidence bundle beside the report ({@code evidence/<campaign>/}); returns
     * each campaign's bundle page relative to the report.
     */
    static Map<String, String> exportEvidence(Fleet fleet, java.util.List<SimReport.CampaignRun> runs, Path reportFile,
                                              Narrator narrator) throws java.io.IOException {
        Map<String, String> links = new TreeMap<>();
        Path base = reportFile.toAbsolutePath().resolveSibling("evidence");
        for (SimReport.CampaignRun run : runs) {
            Path dir = base.resolve(run.campaignId());
            new dev.wasmota.oem.evidence.EvidenceExport(fleet.oem().orElseThrow().workspace()).export(run.campaignId(), dir);
            links.put(run.campaignId(), "evidence/" + run.campaignId() + "/" + dev.wasmota.oem.evidence.EvidenceBundle.HTML);
            narrator.say("evidence of campaign " + run.campaignId() + ": " + dir + " (ota oem evidence verify " + dir + ")");
        }
        return links;
    }

    /** Each vehicle's active package digest. */
    static Map<String, String> activePackages(Fleet fleet) {
        Map<String, String> m = new TreeMap<>();
        for (SimVehicle v : fleet.vehicles().values()) {
            v.host().modules().forEach(s -> m.put(v.id + "/" + s.moduleId(), s.activeMetadata().packageSha256()));
        }
        return m;
    }

    static int count(Fleet fleet, String version) {
        return (int) fleet.vehicles().values().stream()
                .filter(v -> v.activeVersion(Scenario.MODULE).filter(version::equals).isPresent()).count();
    }

    static Map<String, Integer> versions(Fleet fleet) {
        Map<String, Integer> m = new TreeMap<>();
        for (SimVehicle v : fleet.vehicles().values()) {
            m.merge(v.activeVersion(Scenario.MODULE).orElse("none"), 1, Integer::sum);
        }
        return m;
    }

    static int rolledBack(Fleet fleet) {
        return (int) fleet.vehicles().values().stream().filter(v -> v.rollbacks().values().stream()
                .mapToLong(Long::longValue).sum() > 0).count();
    }

    static int refused(Fleet fleet) {
        return fleet.events().refusals().entrySet().stream().filter(e -> !e.getKey().equals("INJECTION_FAILED"))
                .mapToInt(Map.Entry::getValue).sum();
    }

    static void waitFor(java.util.function.BooleanSupplier done, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }
}
