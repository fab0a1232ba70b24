package dev.wasmota.oem.campaign;

import dev.wasmota.signing.instruction.ShadowDelivery;
import java.util.Objects;
import java.util.Optional;

/**
 * What a campaign asks beyond installing its release (issue 19): that each vehicle run it first as
 * a shadow beside the active version (every install instruction of the campaign carries the
 * request), and that its waves pass only on healthy runtime figures ({@link HealthGate}).
 *
 * @param shadow the shadow run, if any
 * @param health the runtime-health gate, if any
 */
public record RolloutOptions(Optional<ShadowDelivery> shadow, Optional<HealthGate> health) {
    /** Install at once, gate on install results only. */
    public static final RolloutOptions NONE = new RolloutOptions(Optional.empty(), Optional.empty());

    public RolloutOptions {
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(health, "health");
    }

    public static RolloutOptions shadow(ShadowDelivery shadow) {
        return new RolloutOptions(Optional.of(shadow), Optional.empty());
    }

    public RolloutOptions withHealth(HealthGate gate) {
        return new RolloutOptions(shadow, Optional.of(gate));
    }

    boolean any() {
        return shadow.isPresent() || health.isPresent();
    }
}
