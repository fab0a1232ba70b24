package dev.wasmota.oem.campaign;

import dev.wasmota.signing.instruction.ShadowDelivery;
import java.util.Objects;
import java.util.Optional;

/**
 * What a campaign asks of each vehicle beyond installing its release (issue 19): to run it first
 * as a shadow beside the active version, promoted or discarded by the shadow's rule, which every
 * install instruction of the campaign then carries.
 *
 * @param shadow the shadow run, if any
 */
public record RolloutOptions(Optional<ShadowDelivery> shadow) {
    /** Install at once. */
    public static final RolloutOptions NONE = new RolloutOptions(Optional.empty());

    public RolloutOptions {
        Objects.requireNonNull(shadow, "shadow");
    }

    public static RolloutOptions shadow(ShadowDelivery shadow) {
        return new RolloutOptions(Optional.of(shadow));
    }
}
