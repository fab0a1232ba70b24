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
                        + " one broker's open files cap how many can be connected at once).%n",
                "Across processes (thin only): one process runs the OEM and its share (--vehicle-ids FROM-TO, --db for a"
                        + " shared PostgreSQL, --work DIR to keep its OEM directory, --campaign-delay for the others to come"
                        + " up), the others --vehicles-only --oem DIR/oem with their --vehicle-ids, all on one --broker. Each"
                        + " prints its own figures: its share, memory, threads, and first instruction to last report.%n"})
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

    @Option(names = "--vehicle-ids", paramLabel = "FROM-TO", description = "with --thin: the vehicles this process runs"
            + " (default: all)")
    String vehicleIds;

    @Option(names = "--vehicles-only", description = "with --thin: run only vehicles; the OEM runs in another process"
            + " (needs --broker and --oem)")
    boolean vehiclesOnly;

    @Option(names = "--oem", paramLabel = "DIR", description = "with --vehicles-only: the OEM directory the OEM's process made")
    Path oemDir;

    @Option(names = "--db", paramLabel = "URL", description = "with --thin: the OEM's database, e.g."
            + " jdbc:postgresql://HOST/DB?user=ota (default: the OEM directory's embedded one)")
    String db;

    @Option(names = "--work", paramLabel = "DIR", description = "where state goes (default: a new temporary directory)")
    Path work;

    @Option(names = "--campaign-delay", paramLabel = "DURATION", defaultValue = "0s",
            converter = dev.wasmota.cli.DurationConverter.class,
            description = "with --thin: wait this long after this process's vehicles are up before starting the campaign,"
                    + " for the other processes' vehicles (default: ${DEFAULT-VALUE})")
    java.time.Duration campaignDelay;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", converter = dev.wasmota.cli.DurationConverter.class,
            description = "with --thin: give up after this (default: ${DEFAULT-VALUE})")
    java.time.Duration timeout;

    private static final String DEFAULT_SESSION_EXPIRY = "" + dev.wasmota.sim.thin.ThinFleet.DEFAULT_SESSION_EXPIRY_SECONDS;

    @Option(names = "--session-expiry", paramLabel = "SECONDS|never", defaultValue = DEFAULT_SESSION_EXPIRY,
            description = "with --online: how long the broker keeps a parked vehicle's session (default: ${DEFAULT-VALUE}, the"
                    + " vehicles' own ota.mqtt.sessionExpirySeconds). Mosquitto 2.0 inserts each disconnecting client with a"
                    + " finite expiry into a sorted list by walking it, a cost that grows with the parked fleet; 'never' keeps"
                    + " the sessions out of that list (when the broker sets no persistent_client_expiration)")
    String sessionExpiry;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "with --thin: a routes setting (ota.*) of the OEM"
            + " and vehicles, repeatable (e.g. ota.dispatch.window=1 to send one message at a time)")
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "${sys:ota.home:-.}/testdata/wasm",
            description = "the modules (default: ${DEFAULT-VALUE})")
    Path corpus;

    private void printThin(PrintWriter out, FleetBench.ThinResult t) {
        FleetBench.Result r = t.result();
        String n = "campaign_v" + vehicles;
        out.printf(Locale.ROOT, "%s_thin (thin vehicles on %d shared event-loop thread(s)%s; this process: %d vehicle(s)%s)%n", n,
                thinThreads, online.map(k -> ", parked (session expiry " + sessionExpiry + "), at most " + k + " online").orElse(""), t.shard(),
                t.ranOem() ? " and the OEM" : ", the OEM elsewhere");
        out.printf(Locale.ROOT, "%s_connect_s=%.1f (this process's vehicles %s, %d at a time)%n", n, r.connectNanos() / 1e9,
                online.isPresent() ? "parked: connected once, subscribed, offline" : "connected", online.map(k -> Math.min(k, 256)).orElse(256));
        if (t.ranOem()) {
            out.printf(Locale.ROOT, "%s_submit_to_all_committed_s=%.2f (intake %.2f s before the fleet connected, + rollout %.2f s)%n", n,
                    r.totalNanos() / 1e9, r.intakeNanos() / 1e9, (r.totalNanos() - r.intakeNanos()) / 1e9);
            out.printf(Locale.ROOT, "%s_commit_p50_s=%.2f p90_s=%.2f (campaign start to each of this process's vehicles' reports)%n", n,
                    r.commitTimes().median() / 1e9, r.commitTimes().percentile(90) / 1e9);
        } else {
            out.printf(Locale.ROOT, "%s_report_p50_s=%.2f p90_s=%.2f (this process's first instruction to each of its vehicles' reports)%n", n,
                    r.commitTimes().median() / 1e9, r.commitTimes().percentile(90) / 1e9);
        }
        out.printf(Locale.ROOT, "%s_first_instruction_to_last_report_s=%.2f (this process's %d vehicles; %.0f reports/s)%n", n,
                t.firstInstructionToLastReportNanos() / 1e9, t.shard(),
                t.firstInstructionToLastReportNanos() == 0 ? 0.0 : t.shard() / (t.firstInstructionToLastReportNanos() / 1e9));
        out.printf(Locale.ROOT, "%s_peak_rss_mib=%d heap_per_vehicle_kib=%d threads=%d%n", n, r.peakRssKib() / 1024,
                r.heapPerVehicleBytes() / 1024, r.threads());
        out.flush();
    }

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
        if (!thin && (vehicleIds != null || vehiclesOnly || oemDir != null || db != null || !campaignDelay.isZero()
                || !settings.isEmpty())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--vehicle-ids, --vehicles-only, --oem, --db, --campaign-delay and --set need --thin");
        }
        if (online.isEmpty() && !DEFAULT_SESSION_EXPIRY.equals(sessionExpiry)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--session-expiry is for parked vehicles (--online K)");
        }
        dev.wasmota.cli.VehicleIds share = dev.wasmota.cli.VehicleIds.parse(spec.commandLine(), vehicleIds, vehicles);
        int first = share.first();
        int last = share.last();
        try {
            dev.wasmota.protocol.RouteProperties.with(settings);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (vehiclesOnly && (oemDir == null || broker.isEmpty())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--vehicles-only needs --oem DIR and --broker URL");
        }
        if (vehiclesOnly && (db != null || !campaignDelay.isZero())) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--db and --campaign-delay are for the process that runs the OEM, not --vehicles-only");
        }
        if (!vehiclesOnly && oemDir != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--oem is for --vehicles-only");
        }
        long expiry;
        if ("never".equals(sessionExpiry)) {
            expiry = dev.wasmota.sim.thin.ThinFleet.NEVER_EXPIRES;
        } else {
            try {
                expiry = Long.parseLong(sessionExpiry);
            } catch (NumberFormatException e) {
                expiry = -1;
            }
            if (expiry < 1 || expiry >= dev.wasmota.sim.thin.ThinFleet.NEVER_EXPIRES) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--session-expiry must be 1.."
                        + (dev.wasmota.sim.thin.ThinFleet.NEVER_EXPIRES - 1) + " seconds or never, not '" + sessionExpiry + "'");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("ota-bench-campaign");
        if (thin) {
            FleetBench.ThinResult t = FleetBench.runThin(new FleetBench.ThinPlan(dir, vehicles, first, last, waves, corpus, thinThreads,
                    broker, online.orElse(0), vehiclesOnly, java.util.Optional.ofNullable(oemDir), java.util.Optional.ofNullable(db),
                    campaignDelay, timeout, expiry, settings), out);
            printThin(out, t);
            return 0;
        }
        FleetBench.Result r = FleetBench.run(dir, vehicles, waves, corpus, out);
        out.printf(Locale.ROOT, "campaign_v%d_connect_s=%.1f (all vehicles connected, 32 at a time)%n", vehicles,
                r.connectNanos() / 1e9);
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
