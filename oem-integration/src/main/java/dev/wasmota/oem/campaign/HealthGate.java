package dev.wasmota.oem.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.stats.ModuleHealth;
import java.util.ArrayList;
import java.util.List;

/**
 * A campaign's gate on what its vehicles' sandboxes see of the release running (issue 19): a wave
 * passes only while, on every vehicle that reported its health, the p99 call time stays within
 * {@code p99MarginPercent} of the intake's worst call ({@code baselineWorstMicros}) and the
 * deadline misses and traps within their allowance; a vehicle over it stops the campaign, naming
 * the metric and the vehicles, as the error threshold does.
 *
 * @param baselineWorstMicros the intake's worst call time of the release (CPU time, µs); 0 until
 *     the campaign is created, which takes it from the release's intake report
 * @param p99MarginPercent how far the p99 may go, in percent of the baseline (150: 1.5x), 1..10,000
 * @param maxDeadlineMisses deadline misses a vehicle may report
 * @param maxTraps traps a vehicle may report
 */
public record HealthGate(long baselineWorstMicros, int p99MarginPercent, long maxDeadlineMisses, long maxTraps) {
    /**
     * Calls a vehicle's figures must cover to be judged: a module just activated has a p99 of its
     * first few calls (the vehicle's own first compilation by the JIT), not of its code.
     */
    public static final long MIN_CALLS = 100;

    public HealthGate {
        if (baselineWorstMicros < 0 || p99MarginPercent < 1 || p99MarginPercent > 10_000 || maxDeadlineMisses < 0
                || maxTraps < 0) {
            throw new IllegalArgumentException("a health gate needs a baseline >= 0, a p99 margin of 1..10000 % and"
                    + " allowances >= 0");
        }
    }

    /** A gate whose baseline the campaign takes from its release's intake report. */
    public static HealthGate margin(int p99MarginPercent, long maxDeadlineMisses) {
        return new HealthGate(0, p99MarginPercent, maxDeadlineMisses, 0);
    }

    HealthGate withBaseline(long micros) {
        return new HealthGate(micros, p99MarginPercent, maxDeadlineMisses, maxTraps);
    }

    /** The most p99 call time that passes, µs. */
    public long p99LimitMicros() {
        return baselineWorstMicros * p99MarginPercent / 100;
    }

    /** One metric a vehicle's health is over the gate on. */
    record Violation(String metric, String detail) {
    }

    /** What {@code h} is over; empty when it passes, or when it covers fewer than {@link #MIN_CALLS} calls. */
    List<Violation> violations(ModuleHealth h) {
        List<Violation> out = new ArrayList<>();
        if (h.calls() < MIN_CALLS) {
            return out;
        }
        if (h.p99Micros() > p99LimitMicros()) {
            out.add(new Violation("p99 call time", h.p99Micros() + " µs > " + p99LimitMicros() + " µs ("
                    + p99MarginPercent + " % of the intake's worst " + baselineWorstMicros + " µs)"));
        }
        if (h.deadlineMisses() > maxDeadlineMisses) {
            out.add(new Violation("deadline misses", h.deadlineMisses() + " > " + maxDeadlineMisses));
        }
        if (h.traps() > maxTraps) {
            out.add(new Violation("traps", h.traps() + " > " + maxTraps));
        }
        return out;
    }

    /** The canonical JSON object, as stored and as the management API shows it. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("baselineWorstUs", baselineWorstMicros);
        o.put("p99MarginPercent", p99MarginPercent);
        o.put("maxDeadlineMisses", maxDeadlineMisses);
        o.put("maxTraps", maxTraps);
        return o;
    }

    static HealthGate fromJson(JsonNode o) {
        return new HealthGate(o.get("baselineWorstUs").longValue(), o.get("p99MarginPercent").intValue(),
                o.get("maxDeadlineMisses").longValue(), o.get("maxTraps").longValue());
    }

    @Override
    public String toString() {
        return "p99 <= " + p99MarginPercent + " % of " + baselineWorstMicros + " µs, deadline misses <= "
                + maxDeadlineMisses + ", traps <= " + maxTraps;
    }
}
