package dev.wasmota.ecu;

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
}
