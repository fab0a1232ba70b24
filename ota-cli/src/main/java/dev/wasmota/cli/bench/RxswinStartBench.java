package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.oem.rxswin.RxswinRegister;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota bench rxswin}: what the start's compatibility check costs, by campaign size. */
@Command(name = "rxswin", mixinStandardHelpOptions = true,
        description = {"Measures a campaign's start with and without the RXSWIN compatibility check.",
                "%nAn OEM on the embedded H2 database with N vehicles, each with a reported configuration (one in ten"
                        + " on another RXSWIN); R times a campaign of a release without an RXSWIN statement and one of a"
                        + " release that changes R-A1 -> R-A2 and requires a module version are started (one wave) and"
                        + " aborted. Prints the median start of each and how many vehicles the check left out.%n"})
public final class RxswinStartBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vehicles", paramLabel = "N", defaultValue = "1000", description = "campaign size (default: ${DEFAULT-VALUE})")
    int vehicles;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "5", description = "starts of each (default: ${DEFAULT-VALUE})")
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
            Release plain = ws.releases().publish(pkgs.build(wasm, BenchPackages.spec("healthy", "1.0.0", 1, caps)));
            Release stated = ws.releases().publish(pkgs.build(wasm, BenchPackages.spec("healthy", "2.0.0", 2, caps)));
            RxswinRegister rx = ws.rxswin("bench");
            rx.define("ecu-a", "R-A1", Map.of("healthy", "1.0.0", "can-gw", "2.1.0"), "");
            rx.define("ecu-a", "R-A2", Map.of("healthy", "2.0.0", "can-gw", "2.1.0"), "");
            rx.state(ws.releases(), stated.id(), Optional.of("R-A1"), Optional.of("R-A2"), "bench",
                    List.of(dev.wasmota.oem.rxswin.Requirement.parse("can-gw>=2.0.0")));
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= vehicles; i++) {
                String id = ws.vehicles().register(String.format(Locale.ROOT, "veh-%06d", i), "ecu-a").id();
                ids.add(id);
                TreeMap<String, ReportedConfiguration.Module> m = new TreeMap<>();
                m.put("healthy", new ReportedConfiguration.Module("1.0.0", "ab".repeat(32)));
                m.put("can-gw", new ReportedConfiguration.Module("2.1.0", "cd".repeat(32)));
                rx.take(new ReportedConfiguration(id, Optional.of(i % 10 == 0 ? "R-A0" : "R-A1"), m, "i-0",
                        Clock.systemUTC().instant()));
            }
            List<Long> without = new ArrayList<>();
            List<Long> with = new ArrayList<>();
            long excluded = 0;
            for (int r = 0; r < repeat; r++) {
                without.add(timeStart(ws, plain, ids, "bench-plain-" + r));
                with.add(timeStart(ws, stated, ids, "bench-rxswin-" + r));
                excluded = ws.campaigns().actions("bench-rxswin-" + r).stream()
                        .filter(a -> a.status() == Action.Status.EXCLUDED).count();
            }
            out.printf(Locale.ROOT, "start_without_check_v%d_ms=%.1f%n", vehicles, Percentiles.of(without).median() / 1e6);
            out.printf(Locale.ROOT, "start_with_rxswin_check_v%d_ms=%.1f%n", vehicles, Percentiles.of(with).median() / 1e6);
            out.printf(Locale.ROOT, "excluded_v%d=%d%n", vehicles, excluded);
            out.printf(Locale.ROOT, "# load average at the end: %.2f%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.flush();
            return 0;
        }
    }

    private static long timeStart(CampaignWorkspace ws, Release release, List<String> ids, String id) {
        Campaign k = ws.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(ids), WavePlan.parse("100%"))
                .id(id).build());
        long t0 = System.nanoTime();
        ws.campaigns().start(k.id());
        long took = System.nanoTime() - t0;
        ws.campaigns().abort(k.id());
        return took;
    }
}
