package dev.wasmota.cli.bench;

import dev.wasmota.sim.Fleet;
import dev.wasmota.sim.FleetConfig;
import dev.wasmota.sim.Narrator;
import dev.wasmota.sim.Scenario;
import dev.wasmota.sim.SimSupplier;
import dev.wasmota.sim.thin.ThinFleet;

import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.supplier.SubmitResult;
import dev.wasmota.routes.supplier.SupplierClient;
import dev.wasmota.protocol.wire.Submission;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The measurement behind {@code ota bench campaign}: a fleet without faults, modules installed but not run. */
public final class FleetBench {
    /** What one run measured. */
    public record Result(long connectNanos, long intakeNanos, long totalNanos, Percentiles commitTimes, long peakRssKib,
                         long heapPerVehicleBytes, int threads) {
    }

    private FleetBench() {
    }

    public static Result run(Path dir, int vehicles, String waves, Path corpus, PrintWriter out) throws Exception {
        Narrator narrator = new Narrator(out, System.console() != null);
        try (Fleet fleet = Fleet.startWithoutVehicles(FleetConfig.of(dir, vehicles).withoutModulesRunning())) {
            OemNode oem = fleet.oem().orElseThrow();
            long start = System.nanoTime();
            SubmitResult result = submitBenchPackage(fleet, corpus);
            long intake = System.nanoTime() - start;
            long heapBefore = heapAfterGc();
            long t0 = System.nanoTime();
            fleet.connectVehicles(n -> narrator.progress(n, vehicles, "vehicles connected " + n + "/" + vehicles));
            narrator.clearProgress();
            long connect = System.nanoTime() - t0;
            long heapPerVehicle = (heapAfterGc() - heapBefore) / vehicles;
            Release release = oem.releases().get(ReleaseId.parse(result.release().orElseThrow()));
            var c = oem.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(fleet.allVehicleIds()),
                    WavePlan.parse(waves)).build());
            long campaignStart = System.nanoTime();
            oem.campaigns().start(c.id());
            Map<String, Long> committedAt = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (committedAt.size() < vehicles) {
                for (Action a : oem.campaigns().actions(c.id())) {
                    if (a.status() == Action.Status.COMMITTED) {
                        committedAt.putIfAbsent(a.vehicleId(), System.nanoTime() - campaignStart);
                    } else if (a.status() == Action.Status.FAILED) {
                        throw new IllegalStateException(a.vehicleId() + " failed: " + a.detail().orElse("?"));
                    }
                }
                narrator.progress(committedAt.size(), vehicles, "committed " + committedAt.size() + "/" + vehicles);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + committedAt.size() + " of " + vehicles + " committed in 10 min");
                }
                Thread.sleep(100);
            }
            narrator.clearProgress();
            long total = intake + (System.nanoTime() - campaignStart);
            List<Long> times = new ArrayList<>(committedAt.values());
            return new Result(connect, intake, total, Percentiles.of(times.stream().mapToLong(Long::longValue).toArray()),
                    peakRssKib(), heapPerVehicle, Thread.activeCount());
        }
    }

    /** The supplier's submission of healthy_v1 through the intake; refused means no bench. */
    private static SubmitResult submitBenchPackage(Fleet fleet, Path corpus) throws Exception {
        SimSupplier supplier = fleet.supplier().orElseThrow();
        byte[] pkg = supplier.sign(Files.readAllBytes(corpus.resolve("healthy_v1.wasm")), Scenario.MODULE, "1.0.0", 1);
        SubmitResult result;
        try (SupplierClient client = SupplierClient.connect(supplier.id(), fleet.mqtt(), fleet.properties())) {
            client.submit(new Submission(pkg, Optional.empty()));
            result = client.awaitResult(Duration.ofMinutes(2));
        }
        if (!result.accepted()) {
            throw new IllegalStateException("intake refused the bench package: " + result.detail().orElse("?"));
        }
        return result;
    }

    /**
     * How a thin run goes: the whole fleet's size, this process's share ({@code first..last}), whether this
     * process runs the OEM (or only vehicles, with the OEM directory another process created), and
     * whether the vehicles stay connected ({@code online} 0) or are parked with at most {@code online}
     * connected at once.
     */
    public record ThinPlan(Path dir, int vehicles, int first, int last, String waves, Path corpus, int threads,
                           Optional<String> broker, int online, boolean vehiclesOnly, Optional<Path> oemDir,
                           Optional<String> database, Duration campaignDelay, Duration timeout, long sessionExpirySeconds,
                           Map<String, String> settings) {
        public static ThinPlan of(Path dir, int vehicles, String waves, Path corpus, int threads, Optional<String> broker, int online) {
            return new ThinPlan(dir, vehicles, 1, vehicles, waves, corpus, threads, broker, online, false, Optional.empty(),
                    Optional.empty(), Duration.ZERO, Duration.ofMinutes(30), ThinFleet.DEFAULT_SESSION_EXPIRY_SECONDS, Map.of());
        }

        int shard() {
            return last - first + 1;
        }
    }

    /**
     * What a thin run measured in this process, beside {@link Result}: its share of the fleet, and
     * the time from the first instruction one of its vehicles received to the last report of its
     * vehicles the broker acknowledged (a process without the OEM does not know when the campaign
     * started).
     */
    public record ThinResult(Result result, int shard, long firstInstructionToLastReportNanos, boolean ranOem) {
    }

    /**
     * The measurement with thin vehicles ({@code ThinFleet}): the real protocol on one MQTT
     * connection each over a shared event loop of {@code threads} threads, nothing installed; the
     * commit time of each vehicle is when it sent its signed report. With the OEM in this process
     * the run ends when the OEM counted every vehicle of the fleet (all processes'); with
     * {@code vehiclesOnly} when the broker acknowledged every report of this process's vehicles.
     * Parked ({@code online} > 0): every vehicle has a persistent session on the broker but at most
     * {@code online} are connected at once; the campaign starts while all are offline (the broker
     * queues each instruction in its session), then they come online in a rolling way, take their
     * instruction, fetch the retained release, report and go offline once the broker acknowledged
     * the report. The "connect" figure is then the parking (each vehicle's first connection and
     * subscription). The OEM's process waits {@code campaignDelay} after its own vehicles are up
     * before it starts the campaign, for the other processes' vehicles to come up.
     */
    public static ThinResult runThin(ThinPlan plan, PrintWriter out) throws Exception {
        Narrator narrator = new Narrator(out, System.console() != null);
        FleetConfig config = FleetConfig.of(plan.dir(), plan.vehicles()).withoutModulesRunning()
                .withBroker(plan.broker(), plan.oemDir()).withShard(plan.first(), plan.last(), !plan.vehiclesOnly())
                .withSettings(plan.settings());
        if (plan.database().isPresent()) {
            config = config.withOemDatabase(plan.database().get());
        }
        boolean parked = plan.online() > 0;
        try (Fleet fleet = Fleet.startWithoutVehicles(config)) {
            Optional<OemNode> oem = fleet.oem();
            long start = System.nanoTime();
            Optional<SubmitResult> submitted = oem.isPresent() ? Optional.of(submitBenchPackage(fleet, plan.corpus())) : Optional.empty();
            long intake = System.nanoTime() - start;
            oem.ifPresent(o -> narrator.say("OEM directory " + plan.dir().resolve("oem").toAbsolutePath()
                    + " (the other processes: --vehicles-only --oem DIR)"));
            List<String> ids = new ArrayList<>();
            for (int n = plan.first(); n <= plan.last(); n++) {
                ids.add(dev.wasmota.sim.FleetConfig.vehicleId(n));
            }
            long heapBefore = heapAfterGc();
            long t0 = System.nanoTime();
            java.time.Clock clock = java.time.Clock.systemUTC();
            String verb = parked ? "parked" : "connected";
            try (ThinFleet thin = parked
                    ? ThinFleet.park(fleet.brokerUrl(), fleet.topicLayout(), fleet.pki().trustStore(), fleet.pki(), ids, clock,
                            plan.threads(), plan.online(), plan.sessionExpirySeconds(), n -> narrator.progress(n, ids.size(), "thin vehicles " + verb + " " + n + "/" + ids.size()))
                    : ThinFleet.connect(fleet.brokerUrl(), fleet.topicLayout(), fleet.pki().trustStore(), fleet.pki(), ids, clock,
                            plan.threads(), n -> narrator.progress(n, ids.size(), "thin vehicles " + verb + " " + n + "/" + ids.size()))) {
                narrator.clearProgress();
                long connect = System.nanoTime() - t0;
                long heapPerVehicle = (heapAfterGc() - heapBefore) / ids.size();
                narrator.say(ids.size() + " thin vehicles " + verb + " (" + ids.get(0) + ".." + ids.get(ids.size() - 1) + ")");
                Optional<String> campaign = Optional.empty();
                long campaignStart = System.nanoTime();
                if (oem.isPresent()) {
                    if (!plan.campaignDelay().isZero()) {
                        narrator.say("starting the campaign in " + plan.campaignDelay().toSeconds() + " s");
                        Thread.sleep(plan.campaignDelay().toMillis());
                    }
                    Release release = oem.get().releases().get(ReleaseId.parse(submitted.orElseThrow().release().orElseThrow()));
                    var c = oem.get().campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(fleet.allVehicleIds()),
                            WavePlan.parse(plan.waves())).build());
                    campaignStart = System.nanoTime();
                    oem.get().campaigns().start(c.id());
                    campaign = Optional.of(c.id());
                }
                long deadline = System.nanoTime() + plan.timeout().toNanos();
                java.util.concurrent.CompletableFuture<Void> rolling = parked
                        ? java.util.concurrent.CompletableFuture.runAsync(() -> {
                            try {
                                thin.roll(plan.online(), Duration.ofSeconds(3), deadline);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                        })
                        : java.util.concurrent.CompletableFuture.completedFuture(null);
                int goal = oem.isPresent() ? plan.vehicles() : ids.size();
                int done = 0;
                while (done < goal) {
                    int failed = 0;
                    if (campaign.isPresent()) {
                        var total = oem.get().campaigns().statusCounted(campaign.get()).total();
                        done = total.committed();
                        failed = total.failed();
                    } else {
                        done = thin.acknowledged();
                    }
                    if (failed > 0 || !thin.refusals().isEmpty()) {
                        throw new IllegalStateException(failed + " vehicle(s) failed; refusals: " + thin.refusals().stream().limit(3).toList());
                    }
                    if (rolling.isCompletedExceptionally()) {
                        rolling.join();
                    }
                    narrator.progress(done, goal, (campaign.isPresent() ? "committed " : "reported and acknowledged ") + done + "/" + goal
                            + " (this process's vehicles reported " + thin.committed() + "/" + ids.size()
                            + (parked ? ", " + plan.online() + " online at most" : "") + ")");
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + done + " of " + goal + " in " + plan.timeout().toMinutes() + " min");
                    }
                    Thread.sleep(parked ? 500 : 200);
                }
                narrator.clearProgress();
                long end = System.nanoTime();
                thin.stopRolling(); // every report counted; a vehicle still waiting for its acknowledgement is not waited for
                rolling.get(60, java.util.concurrent.TimeUnit.SECONDS);
                long first = thin.firstInstructedAtNanos();
                long lastReport = java.util.Arrays.stream(thin.committedAtNanos()).max().orElse(end);
                long from = campaign.isPresent() ? campaignStart : first;
                long[] times = java.util.Arrays.stream(thin.committedAtNanos()).map(t -> t - from).toArray();
                long total = campaign.isPresent() ? intake + (end - campaignStart) : end - first;
                Result r = new Result(connect, intake, total, Percentiles.of(times), peakRssKib(), heapPerVehicle, Thread.activeCount());
                return new ThinResult(r, ids.size(), first == 0 ? 0 : lastReport - first, oem.isPresent());
            }
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The process's peak resident set (VmHWM), in KiB; 0 where /proc is missing. */
    static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return 0;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
