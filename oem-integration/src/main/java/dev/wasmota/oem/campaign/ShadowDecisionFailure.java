package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why an operator's promote or discard of a campaign's shadow runs was refused (exit 4: policy). */
public enum ShadowDecisionFailure implements Reason {
    /** The campaign delivers its release without shadow runs. */
    NO_SHADOW_CAMPAIGN,
    /** An operator already promoted or discarded the campaign's shadows: a campaign is decided once. */
    SHADOW_DECIDED,
    /** No vehicle of the campaign runs its shadow now (none instructed yet, or every one answered). */
    NO_SHADOW_RUNNING,
    /** The operator's reason is longer than a shadow command carries, or not printable. */
    INVALID_REASON;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}
