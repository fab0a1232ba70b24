package dev.wasmota.routes.oem;

import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.oem.audit.VehicleAnchors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The OEM worker's counters, each registered at zero for every label value it can take, so a
 * dashboard shows a series before its first event: intake results by outcome, status reports by
 * result (and whether they repeated an answer already counted), and messages sent to vehicles by
 * kind.
 */
public final class OemMeters {
    public static final String INTAKE = "ota.intake.results";
    public static final String STATUS = "ota.status.reports";
    public static final String SENT = "ota.dispatch.sent";
    /** Vehicles' status reports whose audit-log head contradicts an anchor the OEM holds, by kind (issue 17). */
    public static final String LOG_CONTRADICTIONS = "ota.audit.log.contradictions";

    /** How an intake ended. */
    public enum IntakeOutcome {
        /** Every check passed; countersigned and published. */
        ACCEPTED,
        /** The intake ran and a check refused the package. */
        REJECTED,
        /** Not read: malformed, not signed by a trusted supplier, or sent on another supplier's topic. */
        REFUSED
    }

    /** What went to a vehicle's update topic. */
    public enum Sent {
        INSTRUCTION, TRUST_UPDATE, STATUS_REQUEST, SHADOW_COMMAND
    }

    private final Map<IntakeOutcome, Counter> intake = new EnumMap<>(IntakeOutcome.class);
    private final Map<StatusReport.Result, Counter[]> status = new EnumMap<>(StatusReport.Result.class);
    private final Map<Sent, Counter> sent = new EnumMap<>(Sent.class);
    private final Map<VehicleAnchors.Verdict, Counter> contradictions =
            new EnumMap<>(VehicleAnchors.Verdict.class);

    public OemMeters(MeterRegistry registry) {
        for (IntakeOutcome o : IntakeOutcome.values()) {
            intake.put(o, Counter.builder(INTAKE).description("submissions taken in, by outcome")
                    .tag("outcome", name(o)).register(registry));
        }
        for (StatusReport.Result r : StatusReport.Result.values()) {
            status.put(r, new Counter[] {statusCounter(registry, r, false), statusCounter(registry, r, true)});
        }
        for (Sent s : Sent.values()) {
            sent.put(s, Counter.builder(SENT).description("messages published to vehicles' update topics, by kind")
                    .tag("kind", name(s)).register(registry));
        }
        for (VehicleAnchors.Verdict v : VehicleAnchors.Verdict.values()) {
            if (v.securityEvent()) {
                contradictions.put(v, Counter.builder(LOG_CONTRADICTIONS)
                        .description("status reports whose audit-log head contradicts the OEM's anchors (security events), by kind")
                        .tag("kind", v.name()).register(registry));
            }
        }
    }

    private static Counter statusCounter(MeterRegistry registry, StatusReport.Result result, boolean repeated) {
        return Counter.builder(STATUS).description("vehicles' status reports taken in (refused ones are dead letters)")
                .tag("result", result.name()).tag("repeated", Boolean.toString(repeated)).register(registry);
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    void intake(IntakeOutcome outcome) {
        intake.get(outcome).increment();
    }

    void status(StatusReport.Result result, boolean repeated) {
        status.get(result)[repeated ? 1 : 0].increment();
    }

    void logContradiction(VehicleAnchors.Verdict verdict) {
        Counter c = contradictions.get(verdict);
        if (c != null) {
            c.increment();
        }
    }

    void sent(Sent kind) {
        sent.get(kind).increment();
    }
}
