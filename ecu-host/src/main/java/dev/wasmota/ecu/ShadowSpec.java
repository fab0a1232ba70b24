package dev.wasmota.ecu;

import dev.wasmota.signing.instruction.ShadowDelivery;
import java.util.Objects;

/**
 * How a release runs as a shadow: the tolerance its writes are compared under, and the rule that
 * promotes or discards it.
 */
public record ShadowSpec(ShadowTolerance tolerance, ShadowRule rule) {
    public ShadowSpec {
        Objects.requireNonNull(tolerance, "tolerance");
        Objects.requireNonNull(rule, "rule");
    }

    /** What a campaign instruction's shadow request asks for. */
    public static ShadowSpec of(ShadowDelivery d) {
        ShadowTolerance tolerance = ShadowTolerance.exact();
        for (ShadowDelivery.Tolerance t : d.tolerances()) {
            tolerance = tolerance.with(t.canId(), new ShadowTolerance.Bound(t.absolute(),
                    (double) t.relativePpm() / ShadowDelivery.PPM));
        }
        return new ShadowSpec(tolerance, new ShadowRule(d.ticks(), (double) d.maxDisagreementPpm() / ShadowDelivery.PPM,
                d.maxFaults()));
    }
}
