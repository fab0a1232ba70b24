package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.StatusTable;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.campaign.HealthGate;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.cli.DurationConverter;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** {@code ota oem campaign create}: defines a campaign, its targets and waves; nothing is sent until start. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Creates a campaign that rolls one release out to vehicles in waves.",
                "--package publishes a countersigned package into DIR/releases first (with PKG.report.json, if "
                + "present); --release names one published already. Vehicles must be registered "
                + "(ota oem vehicle register) and run on a hardware id the release allows, and be in no unfinished "
                + "campaign. Prints the campaign id.",
                "--record FILE states the campaign's update record (UN R156 7.1.2, wasmota-update-record/1; see "
                + "ota oem campaign record --help); a malformed record refuses the create (exit 4) before anything is written."})
public final class CampaignCreateCommand extends CampaignBaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source what;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--waves", required = true, paramLabel = "SPEC", converter = PlanConverter.class,
            description = "cumulative wave sizes: counts (1,10,100) or percentages (10%%,50%%,100%%); the last must reach every target")
    WavePlan waves;

    @Option(names = "--advance-at", paramLabel = "PCT", converter = PercentConverter.class,
            defaultValue = "" + CampaignSpec.DEFAULT_ADVANCE_AT,
            description = "success rate of a wave at which the next wave starts (default: ${DEFAULT-VALUE}%%)")
    int advanceAt;

    @Option(names = "--stop-at", paramLabel = "PCT", converter = PercentConverter.class,
            defaultValue = "" + CampaignSpec.DEFAULT_STOP_AT,
            description = "error rate of a wave at which the campaign stops (default: ${DEFAULT-VALUE}%%)")
    int stopAt;

    @Option(names = "--expires", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "24h",
            description = "how long each instruction is valid after it is issued, e.g. 30m, 24h (default: ${DEFAULT-VALUE})")
    Duration expires;

    @Option(names = "--hold", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
            description = "how long each wave is observed after it starts before the next may start, even once it "
                    + "reached the advance threshold, e.g. 30m, 24h; at most 7 days (default: ${DEFAULT-VALUE}, none)")
    Duration hold;

    @Option(names = "--id", paramLabel = "ID", description = "the campaign id (default: generated, c-<hex>)")
    String id;

    @Option(names = "--shadow-ticks", paramLabel = "N",
            description = "deliver the release as a shadow: each vehicle runs it beside the active version on the same"
                    + " inputs, its writes captured, for N compared ticks, then promotes it (COMMITTED) or discards it"
                    + " (FAILED SHADOW_DISCARDED) by the thresholds below (default: no shadow, install at once)")
    Long shadowTicks;

    @Option(names = "--shadow-max-disagreement", paramLabel = "PCT", defaultValue = "0",
            description = "share of compared ticks that may disagree, 0..100, decimals allowed (default: ${DEFAULT-VALUE})")
    double shadowMaxDisagreement;

    @Option(names = "--shadow-max-faults", paramLabel = "N", defaultValue = "0",
            description = "the shadow's own faults tolerated (default: ${DEFAULT-VALUE})")
    long shadowMaxFaults;

    @Option(names = "--shadow-tolerance", paramLabel = "ID:ABS[:REL%]",
            description = "a CAN signal's tolerance, e.g. 0x220:2 or 0x220:0:5%% (repeatable; default: exact)")
    java.util.List<String> shadowTolerances = new java.util.ArrayList<>();

    @Option(names = "--health-p99-margin", paramLabel = "PCT",
            description = "gate each wave on the vehicles' runtime health: stop when a vehicle's p99 call time exceeds PCT"
                    + " %% of the intake's worst call (e.g. 150), or the allowances below (default: no gate)")
    Integer healthMargin;

    @Option(names = "--health-max-misses", paramLabel = "N", defaultValue = "0",
            description = "deadline misses a vehicle may report under the gate (default: ${DEFAULT-VALUE})")
    long healthMaxMisses;

    @Option(names = "--health-max-traps", paramLabel = "N", defaultValue = "0",
            description = "traps a vehicle may report under the gate (default: ${DEFAULT-VALUE})")
    long healthMaxTraps;

    @Option(names = "--health-baseline-us", paramLabel = "US",
            description = "the baseline worst call time in µs (default: the release's intake report)")
    Long healthBaseline;

    @Option(names = "--record", paramLabel = "FILE", description = "the campaign's update record (JSON, "
            + dev.wasmota.oem.record.UpdateRecord.FORMAT + "); checked complete at start")
    Path record;

    /** The release to roll out: a package file or a published release. */
    static final class Source {
        @Option(names = "--package", required = true, paramLabel = "PKG", description = "a countersigned package to publish and roll out")
        Path pkg;

        @Option(names = "--release", required = true, paramLabel = "MODULE@VERSION", description = "a published release")
        String release;
    }

    /** Who the campaign is for. */
    static final class Target {
        @Option(names = "--vehicles", required = true, paramLabel = "LIST",
                description = "comma-separated vehicle ids, in rollout order (the first are the canaries)")
        String vehicles;

        @Option(names = "--hardware", required = true, paramLabel = "ID", description = "every registered vehicle with this hardware id")
        String hardware;
    }

    public CampaignCreateCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) throws Exception {
        if (expires.getNano() != 0 || expires.getSeconds() < 1) {
            throw new ParameterException(spec.commandLine(), "--expires must be whole seconds, at least 1s");
        }
        if (hold.getNano() != 0) {
            throw new ParameterException(spec.commandLine(), "--hold must be whole seconds");
        }
        Targets targets;
        try {
            targets = target.hardware != null ? Targets.hardware(target.hardware) : Targets.vehicles(target.vehicles);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Optional<dev.wasmota.oem.record.UpdateRecord> stated = record == null ? Optional.empty()
                : Optional.of(CampaignRecordCommand.read(spec.commandLine(), record));
        ReleaseId release = what.pkg != null ? publish(ws, what.pkg).id() : parseRelease(what.release);
        CampaignSpec.Builder b = CampaignSpec.builder(release, targets, waves).advanceAt(advanceAt).stopAt(stopAt)
                .validity(expires).hold(hold);
        if (id != null) {
            b.id(id);
        }
        RolloutOptions options = rolloutOptions();
        Campaign k = ws.campaigns().create(b.build(), options);
        out.printf("created campaign %s: %s to %d vehicles (%s) in %d waves %s; advance at %d%%, stop at %d%%,"
                        + " instructions valid %s, hold %s%n", k.id(), k.release(),
                ws.campaigns().status(k.id()).total().members(), k.targets(), k.waveCount(), k.wavePlan(), k.advanceAt(),
                k.stopAt(), StatusTable.human(k.validity()), StatusTable.human(k.hold()));
        RolloutOptions stored = ws.campaigns().rolloutOptions(k.id());
        stored.shadow().ifPresent(sh -> out.printf("  delivered as a shadow: %d compared ticks, at most %s%% disagreeing,"
                + " at most %d faults, %d signal tolerance(s)%n", sh.ticks(), sh.maxDisagreementPpm() / 10_000.0,
                sh.maxFaults(), sh.tolerances().size()));
        stored.health().ifPresent(h -> out.printf("  waves gated on runtime health: %s%n", h));
        if (stated.isPresent()) {
            CampaignRecordCommand.print(out, ws.records(ACTOR).state(k.id(), stated.get()));
        }
        return 0;
    }

    /** The shadow and health-gate options, refused with the option named when they do not fit. */
    private RolloutOptions rolloutOptions() {
        RolloutOptions o = RolloutOptions.NONE;
        try {
            if (shadowTicks != null) {
                if (!(shadowMaxDisagreement >= 0 && shadowMaxDisagreement <= 100)) {
                    throw new IllegalArgumentException("--shadow-max-disagreement must be within 0..100");
                }
                java.util.List<ShadowDelivery.Tolerance> tolerances = new java.util.ArrayList<>();
                for (String t : shadowTolerances) {
                    tolerances.add(tolerance(t));
                }
                o = RolloutOptions.shadow(new ShadowDelivery(shadowTicks, Math.round(shadowMaxDisagreement * 10_000),
                        shadowMaxFaults, tolerances));
            } else if (!shadowTolerances.isEmpty()) {
                throw new IllegalArgumentException("--shadow-tolerance needs --shadow-ticks");
            }
            if (healthMargin != null) {
                o = o.withHealth(new HealthGate(healthBaseline == null ? 0 : healthBaseline, healthMargin, healthMaxMisses,
                        healthMaxTraps));
            }
        } catch (IllegalArgumentException | dev.wasmota.contract.error.RejectedException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return o;
    }

    private static final Pattern TOLERANCE = Pattern.compile("(?:0[xX])?([0-9a-fA-F]{1,8}):(\\d{1,15})(?::(\\d{1,3}(?:\\.\\d{1,4})?)%?)?");

    private static ShadowDelivery.Tolerance tolerance(String text) {
        Matcher m = TOLERANCE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--shadow-tolerance '" + text + "' is not ID:ABS[:REL%], e.g. 0x220:2:5%");
        }
        long id = Long.parseLong(m.group(1), 16);
        double rel = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
        if (id > 0x1FFF_FFFFL || rel > 100) {
            throw new IllegalArgumentException("--shadow-tolerance '" + text + "': CAN id over 0x1fffffff or over 100%");
        }
        return new ShadowDelivery.Tolerance((int) id, Long.parseLong(m.group(2)), Math.round(rel * 10_000));
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        if (record != null) {
            throw new ParameterException(spec.commandLine(), "--record works with --oem, not through --api");
        }
        if (what.pkg != null) {
            throw new ParameterException(spec.commandLine(), "--package publishes into the database: through --api, name a"
                    + " published --release");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (id != null) {
            body.put("id", id);
        }
        body.put("release", parseRelease(what.release).toString());
        if (target.hardware != null) {
            body.put("hardware", target.hardware);
        } else {
            ArrayNode ids = body.putArray("vehicles");
            for (String v : target.vehicles.split(",", -1)) {
                ids.add(v.strip());
            }
        }
        body.put("waves", waves.toString());
        body.put("advanceAt", advanceAt);
        body.put("stopAt", stopAt);
        body.put("validitySeconds", expires.getSeconds());
        body.put("holdSeconds", hold.getSeconds());
        RolloutOptions options = rolloutOptions();
        options.shadow().ifPresent(sh -> body.set("shadow", sh.toJson()));
        options.health().ifPresent(h -> body.set("health", h.toJson()));
        JsonNode k = client.post("/api/v1/campaigns", body);
        printState(out, "created", k);
        if (k.path("shadow").isObject()) {
            out.printf("  delivered as a shadow: %d compared ticks%n", k.get("shadow").get("ticks").asLong());
        }
        if (k.path("health").isObject()) {
            out.printf("  waves gated on runtime health: p99 <= %d %% of %d µs%n",
                    k.get("health").get("p99MarginPercent").asInt(), k.get("health").get("baselineWorstUs").asLong());
        }
        return 0;
    }

    private ReleaseId parseRelease(String text) {
        try {
            return ReleaseId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--release: " + e.getMessage());
        }
    }

    private dev.wasmota.oem.release.Release publish(CampaignWorkspace ws, Path pkg) throws Exception {
        byte[] bytes = CliFiles.readBounded(spec.commandLine(), pkg, PackageFile.MAX_FILE_BYTES, "package");
        Path report = pkg.resolveSibling(pkg.getFileName() + ".report.json");
        Optional<byte[]> reportBytes = Files.isRegularFile(report) ? Optional.of(CliFiles.readBounded(spec.commandLine(),
                report, dev.wasmota.oem.release.ReleaseStore.MAX_REPORT_BYTES, "report")) : Optional.empty();
        return ws.releases().publish(bytes, reportBytes);
    }

    /** A wave plan option. */
    static final class PlanConverter implements ITypeConverter<WavePlan> {
        @Override
        public WavePlan convert(String value) {
            try {
                return WavePlan.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A percentage option, {@code 90} or {@code 90%}, within 1..100. */
    static final class PercentConverter implements ITypeConverter<Integer> {
        private static final Pattern FORM = Pattern.compile("(\\d{1,3})%?");

        @Override
        public Integer convert(String value) {
            Matcher m = FORM.matcher(value.strip());
            int pct = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (pct < 1 || pct > 100) {
                throw new TypeConversionException("'" + value + "' is not a percentage within 1..100");
            }
            return pct;
        }
    }
}
