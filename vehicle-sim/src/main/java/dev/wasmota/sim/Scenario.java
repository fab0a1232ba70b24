package dev.wasmota.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.supplier.SubmitResult;
import dev.wasmota.routes.supplier.SupplierClient;
import dev.wasmota.protocol.wire.Submission;
import dev.wasmota.sim.report.SimReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The steps the demo and a fleet run are made of, each told as it happens: the supplier submits,
 * the OEM integrates, a campaign rolls out in waves and is watched to its end.
 */
public final class Scenario {
    public static final String MODULE = "healthy";
    /** How long a completed campaign (it completes at its advance threshold) waits for its last answers. */
    static final Duration STRAGGLERS = Duration.ofSeconds(15);

    private final Fleet fleet;
    private final Narrator narrator;
    private final Path corpus;
    final List<SimReport.CampaignRun> campaigns = new ArrayList<>();

    Scenario(Fleet fleet, Narrator narrator, Path corpus) {
        this.fleet = fleet;
        this.narrator = narrator;
        this.corpus = corpus;
    }

    OemNode oem() {
        return fleet.oem().orElseThrow(() -> new IllegalStateException("this simulator does not run the OEM"));
    }

    /** The supplier packages, signs and submits {@code wasm}; returns the release the OEM published. */
    Release submit(String wasm, String version, long securityVersion, Optional<String> vectors) throws IOException,
            InterruptedException {
        SimSupplier supplier = fleet.supplier().orElseThrow();
        byte[] pkg = supplier.sign(read(wasm), MODULE, version, securityVersion);
        narrator.say("supplier " + supplier.id() + " signs " + MODULE + " " + version + " (" + wasm + ", security version "
                + securityVersion + ") and submits it over MQTT");
        try (SupplierClient client = SupplierClient.connect(supplier.id(), fleet.mqtt(), fleet.properties())) {
            client.submit(new Submission(pkg, vectors.isPresent() ? Optional.of(read(vectors.get())) : Optional.empty()));
            SubmitResult r = client.awaitResult(Duration.ofMinutes(2));
            tellIntake(r);
            if (!r.accepted()) {
                throw new IllegalStateException("the OEM refused " + version + ": " + r.reason().orElse("?"));
            }
            return oem().releases().get(ReleaseId.parse(r.release().orElseThrow()));
        }
    }

    private void tellIntake(SubmitResult r) {
        JsonNode report = r.json().path("report");
        StringBuilder line = new StringBuilder("OEM intake:");
        for (JsonNode c : report.path("checks")) {
            line.append(' ').append(c.path("name").asText()).append(' ').append(c.path("result").asText()).append(',');
        }
        JsonNode timing = report.path("timing");
        if (timing.has("worstUs")) {
            line.append(String.format(Locale.ROOT, " %d vector cases, %d soak ticks, worst call %.0f us of %d us",
                    report.path("vectors").size(), report.path("soak").path("ticksRun").asInt(),
                    timing.path("worstUs").asDouble(), timing.path("deadlineUs").asLong()));
        }
        narrator.say(line.toString());
        narrator.say(r.accepted() ? "OEM countersigns: release " + r.release().orElse("?") + " published"
                : "OEM refuses at " + r.check().orElse("?") + " (" + r.reason().orElse("?") + "): " + r.detail().orElse(""));
    }

    /** The update record (UN R156 7.1.2) the simulated OEM states for a rollout of {@code release}. */
    static dev.wasmota.oem.record.UpdateRecord updateRecord(Release release) {
        return new dev.wasmota.oem.record.UpdateRecord(Optional.of("simulated rollout of " + release.id()),
                List.of("chassis"), List.of("wheel-speed plausibility"), Optional.of(false),
                Optional.of("simulated fleet only; no type-approval relevant function changes"), Optional.of(false),
                Optional.empty(), Optional.of("over the air, A/B slots, trial activation with health check and automatic"
                        + " rollback"), Optional.of("simulated vehicles, any time"), Optional.of(true));
    }

    /** Creates and starts a campaign of {@code release} to the whole fleet; watches it to its end. */
    Campaign.State rollout(Release release, String waves, Duration hold, Duration timeout, boolean dropNetworks)
            throws InterruptedException {
        return rollout(release, waves, hold, timeout, dropNetworks, RolloutOptions.NONE);
    }

    /** As {@link #rollout(Release, String, Duration, Duration, boolean)}, with a shadow run or a health gate. */
    Campaign.State rollout(Release release, String waves, Duration hold, Duration timeout, boolean dropNetworks,
            RolloutOptions options) throws InterruptedException {
        List<String> targets = fleet.allVehicleIds();
        Campaign c = oem().campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(targets),
                WavePlan.parse(waves)).hold(hold).build(), options);
        narrator.say("campaign " + c.id() + ": " + release.id() + " to " + targets.size() + " vehicles in waves " + waves
                + (hold.isZero() ? "" : ", each wave watched " + hold.toSeconds() + " s before the next")
                + options.shadow().map(sh -> ", as a shadow first (" + sh.ticks() + " ticks compared, "
                        + sh.maxDisagreementPpm() / 10_000.0 + "% may disagree)").orElse("")
                + "; stop at " + c.stopAt() + "% errors");
        oem().workspace().records("sim").state(c.id(), updateRecord(release));
        CampaignWatch watch = new CampaignWatch(oem(), c.id());
        oem().campaigns().start(c.id());
        if (dropNetworks) {
            fleet.dropNetworks();
        }
        Campaign.State end = watch.await(timeout, narrator, fleet.events());
        if (end == Campaign.State.COMPLETED) {
            watch.settle(STRAGGLERS, narrator, fleet.events(), () -> watch.run().waves().stream()
                    .allMatch(w -> w.pending() == 0));
        }
        SimReport.CampaignRun run = watch.run();
        campaigns.add(run);
        for (SimReport.WaveRun w : run.waves()) {
            narrator.say(String.format(Locale.ROOT, "  wave %d %-9s %3d vehicles: %3d committed, %2d failed, %2d rolled back%s",
                    w.index(), w.state(), w.targeted(), w.committed(), w.failed(), w.rolledBack(),
                    w.pending() > 0 ? ", " + w.pending() + " without answer" : ""));
        }
        narrator.say("campaign " + c.id() + " " + run.outcome());
        return end;
    }

    private byte[] read(String file) throws IOException {
        Path p = corpus.resolve(file);
        if (Files.size(p) > 16L * 1024 * 1024) {
            throw new IOException(p + " is over 16 MiB");
        }
        return Files.readAllBytes(p);
    }
}
