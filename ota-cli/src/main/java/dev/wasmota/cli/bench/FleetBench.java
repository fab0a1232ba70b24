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
     * The same measurement with thin vehicles ({@code ThinFleet}): the real protocol on one MQTT
     * connection each over a shared event loop of {@code threads} threads, nothing installed; the
     * commit time of each vehicle is when it sent its signed report, the end when the OEM counted
     * the last one.
     */
    public static Result runThin(Path dir, int vehicles, String waves, Path corpus, int threads, Optional<String> broker,
                                 PrintWriter out) throws Exception {
        Narrator narrator = new Narrator(out, System.console() != null);
        try (Fleet fleet = Fleet.startWithoutVehicles(FleetConfig.of(dir, vehicles).withoutModulesRunning()
                .withBroker(broker, Optional.empty()))) {
            OemNode oem = fleet.oem().orElseThrow();
            long start = System.nanoTime();
            SubmitResult result = submitBenchPackage(fleet, corpus);
            long intake = System.nanoTime() - start;
            long heapBefore = heapAfterGc();
            long t0 = System.nanoTime();
            try (ThinFleet thin = ThinFleet.connect(fleet.brokerUrl(), fleet.topicLayout(), fleet.pki().trustStore(), fleet.pki(),
                    fleet.allVehicleIds(), java.time.Clock.systemUTC(), threads,
                    n -> narrator.progress(n, vehicles, "thin vehicles connected " + n + "/" + vehicles))) {
                narrator.clearProgress();
                long connect = System.nanoTime() - t0;
                long heapPerVehicle = (heapAfterGc() - heapBefore) / vehicles;
                Release release = oem.releases().get(ReleaseId.parse(result.release().orElseThrow()));
                var c = oem.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(fleet.allVehicleIds()),
                        WavePlan.parse(waves)).build());
                long campaignStart = System.nanoTime();
                oem.campaigns().start(c.id());
                long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
                int counted = 0;
                while (counted < vehicles) {
                    var total = oem.campaigns().statusCounted(c.id()).total();
                    counted = total.committed();
                    if (total.failed() > 0 || !thin.refusals().isEmpty()) {
                        throw new IllegalStateException(total.failed() + " vehicle(s) failed; refusals: "
                                + thin.refusals().stream().limit(3).toList());
                    }
                    narrator.progress(counted, vehicles, "committed " + counted + "/" + vehicles + " (reported "
                            + thin.committed() + ")");
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + counted + " of " + vehicles + " committed in 20 min");
                    }
                    Thread.sleep(200);
                }
                narrator.clearProgress();
                long total = intake + (System.nanoTime() - campaignStart);
                long[] times = java.util.Arrays.stream(thin.committedAtNanos()).map(t -> t - campaignStart).toArray();
                return new Result(connect, intake, total, Percentiles.of(times), peakRssKib(), heapPerVehicle,
                        Thread.activeCount());
            }
        }
    }

    /**
     * {@link #runThin} with parked vehicles ({@code ThinFleet.park}/{@code roll}): every vehicle
     * has a persistent session on the broker but at most {@code online} are connected at once;
     * the campaign starts while all are offline (the broker queues each instruction in its
     * session), then they come online in a rolling way, take their instruction, fetch the
     * retained release, report and go offline once the broker acknowledged the report. The
     * "connect" figure is the parking (each vehicle's first connection and subscription).
     */
    public static Result runParked(Path dir, int vehicles, String waves, Path corpus, int threads, Optional<String> broker,
                                   int online, PrintWriter out) throws Exception {
        Narrator narrator = new Narrator(out, System.console() != null);
        try (Fleet fleet = Fleet.startWithoutVehicles(FleetConfig.of(dir, vehicles).withoutModulesRunning()
                .withBroker(broker, Optional.empty()))) {
            OemNode oem = fleet.oem().orElseThrow();
            long start = System.nanoTime();
            SubmitResult result = submitBenchPackage(fleet, corpus);
            long intake = System.nanoTime() - start;
            long heapBefore = heapAfterGc();
            long t0 = System.nanoTime();
            try (ThinFleet thin = ThinFleet.park(fleet.brokerUrl(), fleet.topicLayout(), fleet.pki().trustStore(), fleet.pki(),
                    fleet.allVehicleIds(), java.time.Clock.systemUTC(), threads, online,
                    n -> narrator.progress(n, vehicles, "thin vehicles parked " + n + "/" + vehicles))) {
                narrator.clearProgress();
                long connect = System.nanoTime() - t0;
                long heapPerVehicle = (heapAfterGc() - heapBefore) / vehicles;
                Release release = oem.releases().get(ReleaseId.parse(result.release().orElseThrow()));
                var c = oem.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(fleet.allVehicleIds()),
                        WavePlan.parse(waves)).build());
                long campaignStart = System.nanoTime();
                oem.campaigns().start(c.id());
                long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
                java.util.concurrent.CompletableFuture<Void> rolling = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        thin.roll(online, Duration.ofSeconds(3), deadline);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
                int counted = 0;
                while (counted < vehicles) {
                    var total = oem.campaigns().statusCounted(c.id()).total();
                    counted = total.committed();
                    if (total.failed() > 0 || !thin.refusals().isEmpty()) {
                        throw new IllegalStateException(total.failed() + " vehicle(s) failed; refusals: "
                                + thin.refusals().stream().limit(3).toList());
                    }
                    if (rolling.isCompletedExceptionally()) {
                        rolling.join();
                    }
                    narrator.progress(counted, vehicles, "committed " + counted + "/" + vehicles + " (reported "
                            + thin.committed() + ", " + online + " online at most)");
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + counted + " of " + vehicles + " committed in 30 min");
                    }
                    Thread.sleep(500);
                }
                narrator.clearProgress();
                long total = intake + (System.nanoTime() - campaignStart);
                thin.stopRolling(); // every report counted; a vehicle still waiting for its acknowledgement is not waited for
                rolling.get(60, java.util.concurrent.TimeUnit.SECONDS);
                long[] times = java.util.Arrays.stream(thin.committedAtNanos()).map(t -> t - campaignStart).toArray();
                return new Result(connect, intake, total, Percentiles.of(times), peakRssKib(), heapPerVehicle,
                        Thread.activeCount());
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
