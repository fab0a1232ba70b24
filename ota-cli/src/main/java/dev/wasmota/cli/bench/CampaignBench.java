package dev.wasmota.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ota bench campaign}: how long a fleet takes from the supplier's submission until every
 * vehicle has committed, on one machine with the embedded broker, and the memory it takes.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = {"Measures submit-to-all-committed time and memory for a simulated fleet on one machine.",
                "%nEmbedded broker, the OEM and N vehicles (each an ECU host with its own state, key and two MQTT"
                        + " connections; modules installed, not run). One campaign wave to all. Prints connect time,"
                        + " submit-to-all-committed, peak RSS and heap per vehicle.%n",
                "With --thin, thin vehicles instead: the real protocol (release instruction, signed index, chunks,"
                        + " signed status) on one MQTT connection each over a shared Netty event loop, no ECU host;"
                        + " up to 100000.%n",
                "With --thin --online K, parked vehicles: persistent sessions on the broker, at most K connected at once;"
                        + " the campaign starts while all are offline, then each comes online in turn, takes its queued"
                        + " instruction, fetches the release, reports and goes offline (how a mostly parked fleet behaves;"
                        + " one broker's open files cap how many can be connected at once).%n"})
public final class CampaignBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vehicles", paramLabel = "N", defaultValue = "1000", description = "fleet size (default: ${DEFAULT-VALUE})")
    int vehicles;

    @Option(names = "--waves", paramLabel = "PLAN", defaultValue = "100%", description = "wave plan (default: ${DEFAULT-VALUE})")
    String waves;

    @Option(names = "--thin", description = "thin vehicles: the protocol without ECU hosts (see above)")
    boolean thin;

    @Option(names = "--broker", paramLabel = "URL",
            description = "with --thin: an external broker's plain listener (tcp://host:port), e.g. Mosquitto, instead of"
                    + " the embedded one (whose end of every connection would count against this process's open files)")
    java.util.Optional<String> broker;

    @Option(names = "--thin-threads", paramLabel = "N", defaultValue = "2",
            description = "event-loop threads all thin vehicles share (default: ${DEFAULT-VALUE})")
    int thinThreads;

    @Option(names = "--online", paramLabel = "K",
            description = "with --thin: parked vehicles, at most K connected at once (persistent sessions; each comes online,"
                    + " takes its queued instruction, fetches the release, reports and goes offline again)")
    java.util.Optional<Integer> online;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "${sys:ota.home:-.}/testdata/wasm",
            description = "the modules (default: ${DEFAULT-VALUE})")
    Path corpus;

    @Override
    public Integer call() throws Exception {
        int most = thin ? 100_000 : 20_000;
        if (vehicles < 1 || vehicles > most) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--vehicles must be 1.." + most
                    + (thin ? "" : " (100000 with --thin)"));
        }
        if (thinThreads < 1 || thinThreads > 64) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--thin-threads must be 1..64");
        }
        if (broker.isPresent() && !thin) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--broker needs --thin");
        }
        if (online.isPresent() && (!thin || online.get() < 1 || online.get() > 15_000)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--online needs --thin and must be 1..15000");
        }
        PrintWriter out = spec.commandLine().getOut();
        FleetBench.Result r = online.isPresent()
                ? FleetBench.runParked(Files.createTempDirectory("ota-bench-campaign"), vehicles, waves, corpus, thinThreads, broker,
                        online.get(), out)
                : thin
                ? FleetBench.runThin(Files.createTempDirectory("ota-bench-campaign"), vehicles, waves, corpus, thinThreads, broker, out)
                : FleetBench.run(Files.createTempDirectory("ota-bench-campaign"), vehicles, waves, corpus, out);
        if (thin) {
            out.printf(Locale.ROOT, "campaign_v%d_thin (thin vehicles on %d shared event-loop thread(s)%s)%n", vehicles, thinThreads,
                    online.map(k -> ", parked, at most " + k + " online").orElse(""));
        }
        out.printf(Locale.ROOT, "campaign_v%d_connect_s=%.1f (all vehicles %s, %d at a time)%n", vehicles,
                r.connectNanos() / 1e9, online.isPresent() ? "parked: connected once, subscribed, offline" : "connected",
                online.map(k -> Math.min(k, 256)).orElse(thin ? 256 : 32));
        out.printf(Locale.ROOT, "campaign_v%d_submit_to_all_committed_s=%.2f (intake %.2f s before the fleet connected, + rollout %.2f s)%n", vehicles,
                r.totalNanos() / 1e9, r.intakeNanos() / 1e9, (r.totalNanos() - r.intakeNanos()) / 1e9);
        out.printf(Locale.ROOT, "campaign_v%d_commit_p50_s=%.2f p90_s=%.2f (campaign start to each vehicle's commit counted)%n",
                vehicles, r.commitTimes().median() / 1e9, r.commitTimes().percentile(90) / 1e9);
        out.printf(Locale.ROOT, "campaign_v%d_peak_rss_mib=%d heap_per_vehicle_kib=%d threads=%d%n", vehicles,
                r.peakRssKib() / 1024, r.heapPerVehicleBytes() / 1024, r.threads());
        out.flush();
        return 0;
    }
}
