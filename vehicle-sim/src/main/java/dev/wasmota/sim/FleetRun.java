package dev.wasmota.sim;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.HealthGate;
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

/**
 * {@code ota sim run}: a fleet with injected faults. The simulator that runs the OEM submits v1
 * and rolls it out to the whole fleet (all shards) in waves; a vehicles-only shard serves its
 * vehicles for the given time. Either way it ends with a summary and, for the OEM's shard, the
 * HTML report.
 */
public final class FleetRun {
    /** How a run ended. */
    public record Outcome(Optional<Campaign.State> campaign, Map<String, Integer> activeVersions, Map<String, Integer> faults,
                          int logsIntact, int vehicles, Optional<SimReport> report, Optional<Campaign> then) {
    }

    /** What follows v1's rollout (issue 19). */
    public enum Then {
        /** Nothing. */
        NOTHING,
        /** A v2 that agrees with v1 ({@code shadow_v3_fixed.wasm} as 2.0.0) delivered as a shadow, then promoted. */
        SHADOW,
        /**
         * A v2 that regresses in call time only on the highway ({@code slow_highway.wasm}), its campaign
         * gated on runtime health (p99 within 150 % of the intake's worst call, no deadline miss), each
         * wave held 30 s: the vehicles' signed health stops it.
         */
        CALL_TIME_REGRESSION
    }

    /**
     * What to roll out and how.
     *
     * @param then what follows v1's rollout
     * @param shadowTicks with {@link Then#SHADOW}: compared ticks before promotion
     */
    public record Plan(String waves, Duration hold, Duration timeout, Duration vehiclesOnlyFor, Then then, long shadowTicks) {
        public Plan(String waves, Duration hold, Duration timeout, Duration vehiclesOnlyFor) {
            this(waves, hold, timeout, vehiclesOnlyFor, Then.NOTHING, 0);
        }
    }

    /** How long each wave of the call-time-regression campaign is watched. */
    static final Duration REGRESSION_HOLD = Duration.ofSeconds(30);

    /** Time for faults injected after the last commit (a second copy, a corrupted copy) to land and be counted. */
    static final Duration SETTLE = Duration.ofSeconds(2);

    private FleetRun() {
    }

    public static Outcome run(FleetConfig config, Plan plan, Path corpus, Optional<Path> reportFile, Narrator narrator)
            throws Exception {
        Instant started = Instant.now();
        int shard = config.lastVehicle() - config.firstVehicle() + 1;
        narrator.say("starting " + shard + " vehicles (" + FleetConfig.vehicleId(config.firstVehicle()) + ".."
                + FleetConfig.vehicleId(config.lastVehicle()) + " of " + config.vehicles() + ")"
                + (config.runsOem() ? ", the OEM and supplier acme" : "") + "; faults: " + config.faults());
        try (Fleet fleet = Fleet.start(config, n -> narrator.progress(n, shard, "vehicles connected " + n + "/" + shard))) {
            fleet.events().narrateWith(narrator::say);
            narrator.say(shard + " vehicles online at " + fleet.brokerUrl());
            Optional<Campaign.State> end = Optional.empty();
            Optional<Campaign> then = Optional.empty();
            Scenario s = new Scenario(fleet, narrator, corpus);
            if (config.runsOem()) {
                Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.of("healthy_v1.vectors.json"));
                end = Optional.of(s.rollout(v1, plan.waves(), plan.hold(), plan.timeout(), true));
                Thread.sleep(SETTLE.toMillis());
                then = then(fleet, s, plan, narrator);
            } else {
                narrator.say("serving for " + plan.vehiclesOnlyFor().toSeconds() + " s (the OEM runs elsewhere)");
                Thread.sleep(plan.vehiclesOnlyFor().toMillis());
            }
            Map<String, Integer> versions = Demo.versions(fleet);
            int intact = (int) fleet.vehicles().values().stream().filter(v -> AuditLog.verify(v.host().auditFile()).ok()).count();
            int rolledBack = Demo.rolledBack(fleet);
            if (rolledBack > 0) {
                fleet.events().rollback("FAULT_THRESHOLD", rolledBack);
            }
            narrator.say("summary: active " + versions + "; faults injected " + fleet.events().faults() + "; refusals "
                    + fleet.events().refusals() + "; " + intact + " of " + shard + " vehicle audit logs verify");
            Optional<SimReport> report = Optional.empty();
            if (config.runsOem()) {
                SimReport r = new SimReport("ota sim run --vehicles " + config.vehicles(), started,
                        Duration.between(started, Instant.now()), config.vehicles(), s.campaigns, fleet.events().faults(),
                        fleet.events().rollbacks(), fleet.events().refusals(), narrator.story());
                if (reportFile.isPresent()) {
                    HtmlReport.write(r, reportFile.get());
                    narrator.say("report: " + reportFile.get().toAbsolutePath());
                }
                report = Optional.of(r);
            }
            return new Outcome(end, versions, fleet.events().faults(), intact, shard, report, then);
        }
    }

    /** Runs what the plan says follows v1; the campaign as it ended. */
    private static Optional<Campaign> then(Fleet fleet, Scenario s, FleetRun.Plan plan, Narrator narrator) throws Exception {
        if (plan.then() == Then.NOTHING) {
            return Optional.empty();
        }
        Release v2;
        RolloutOptions options;
        Duration hold;
        if (plan.then() == Then.SHADOW) {
            v2 = s.submit("shadow_v3_fixed.wasm", "2.0.0", 2, Optional.empty());
            options = RolloutOptions.shadow(new ShadowDelivery(plan.shadowTicks(), 0, 0, java.util.List.of()));
            hold = plan.hold();
        } else {
            v2 = s.submit("slow_highway.wasm", "2.0.0", 2, Optional.empty());
            narrator.say("v2 computes what v1 does, but slowly after 0.6 s at highway speed: its campaign is"
                    + " gated on the vehicles' runtime health (p99 within 150% of the intake's worst call, no deadline miss)");
            options = RolloutOptions.NONE.withHealth(HealthGate.margin(150, 0));
            hold = REGRESSION_HOLD.compareTo(plan.hold()) > 0 ? REGRESSION_HOLD : plan.hold();
        }
        s.rollout(v2, plan.waves(), hold, plan.timeout(), false, options);
        Campaign c = s.oem().campaigns().list().stream().filter(k -> k.release().equals(v2.id())).reduce((a, b) -> b)
                .orElseThrow();
        c.cause().ifPresent(why -> narrator.say("campaign " + c.id() + " " + c.state() + ": " + why));
        return Optional.of(c);
    }
}
