package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.evidence.EvidenceBundle;
import dev.wasmota.oem.evidence.EvidenceExport;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota bench evidence-bundle}: how long a campaign's evidence bundle takes to export and to verify, by campaign size. */
@Command(name = "evidence-bundle", mixinStandardHelpOptions = true,
        description = {"Measures exporting and verifying a campaign's evidence bundle.",
                "%nAn OEM on the embedded H2 database with N vehicles in one campaign (one wave), every vehicle's"
                        + " COMMITTED report with its log anchor taken in; then the bundle is exported R times and"
                        + " verified R times. Prints the median of each and the bundle's size.%n"})
public final class EvidenceBundleBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vehicles", paramLabel = "N", defaultValue = "1000", description = "campaign size (default: ${DEFAULT-VALUE})")
    int vehicles;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "7", description = "exports and verifications (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "${sys:ota.home:-.}/testdata/wasm",
            description = "the modules (default: ${DEFAULT-VALUE})")
    Path corpus;

    @Override
    public Integer call() throws Exception {
        if (vehicles < 1 || vehicles > 100_000 || repeat < 1 || repeat > 100) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--vehicles 1..100000, --repeat 1..100");
        }
        PrintWriter out = spec.commandLine().getOut();
        CapabilitySet caps = CapabilitySet.parse("log,clock,can.read:120,can.write:220");
        try (BenchPackages pkgs = new BenchPackages(caps);
             CampaignWorkspace ws = CampaignWorkspace.open(pkgs.oemDir(), Optional.empty(), Clock.systemUTC(),
                     new SecureRandom(), "bench")) {
            byte[] wasm = Files.readAllBytes(corpus.resolve("healthy_v1.wasm"));
            Release release = ws.releases().publish(pkgs.build(wasm, BenchPackages.spec("healthy", "1.0.0", 1, caps)),
                    Optional.of("{\"accepted\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= vehicles; i++) {
                ids.add(ws.vehicles().register(String.format(Locale.ROOT, "veh-%06d", i), "ecu-a").id());
            }
            Campaign k = ws.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(ids),
                    WavePlan.parse("100%")).id("bench-evidence").build());
            ws.campaigns().start(k.id());
            long seq = 1;
            for (Action a : ws.campaigns().actions(k.id())) {
                Action.Issued i = a.issued().orElseThrow();
                ws.campaigns().reportStatus(a.vehicleId(), k.id(), i.instructionId(), i.nonce(), Action.Status.COMMITTED,
                        "bench", Optional.of(new VehicleLogHead(a.vehicleId(), seq++, "ab".repeat(32))));
            }
            out.printf(Locale.ROOT, "campaign %s: %d vehicles committed, OEM audit trail %d records%n", k.id(), vehicles,
                    ws.trail().size());
            out.flush();
            Path base = Files.createTempDirectory("ota-bench-evidence");
            List<Long> exports = new ArrayList<>();
            List<Long> verifies = new ArrayList<>();
            long bytes = 0;
            for (int r = 0; r < repeat; r++) {
                Path dir = base.resolve("b" + r);
                long t0 = System.nanoTime();
                new EvidenceExport(ws).export(k.id(), dir);
                exports.add(System.nanoTime() - t0);
                long t1 = System.nanoTime();
                EvidenceBundle.Result v = EvidenceBundle.verify(dir, Optional.empty());
                verifies.add(System.nanoTime() - t1);
                if (!v.ok()) {
                    throw new IllegalStateException("the bundle does not verify: " + v.problems());
                }
                try (Stream<Path> files = Files.list(dir)) {
                    bytes = files.mapToLong(p -> p.toFile().length()).sum();
                }
            }
            out.printf(Locale.ROOT, "evidence_export_v%d_ms=%.1f%n", vehicles, Percentiles.of(exports).median() / 1e6);
            out.printf(Locale.ROOT, "evidence_verify_v%d_ms=%.1f%n", vehicles, Percentiles.of(verifies).median() / 1e6);
            out.printf(Locale.ROOT, "evidence_bundle_v%d_bytes=%d%n", vehicles, bytes);
            out.printf(Locale.ROOT, "# load average at the end: %.2f%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.flush();
            return 0;
        }
    }
}
