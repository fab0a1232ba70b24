package dev.wasmota.ecu;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the host refused to run a release as a shadow (exit 4: policy). */
public enum ShadowFailure implements Reason {
    /** The host does not run (a shadow compares against the running active module). */
    HOST_NOT_RUNNING,
    /** No version of the module is active and running to compare against. */
    NO_ACTIVE_MODULE,
    /** The package is the active version itself. */
    ALREADY_ACTIVE,
    /** The module already has a shadow. */
    SHADOW_ALREADY_RUNNING,
    /** The host's memory or CPU budget ({@link ShadowBudget}) cannot take the shadow beside what runs. */
    SHADOW_UNAFFORDABLE,
    /** The module has no shadow to promote or discard. */
    NO_SHADOW,
    /**
     * The vehicle's safe-execution preconditions (stationary, supply voltage; {@code safety.SafeExecution})
     * do not hold: a promotion activates the new version, so it waits (issue 17).
     */
    PRECONDITIONS_NOT_MET,
    /**
     * An operator's shadow command names a shadow run that is not running on this host: replayed,
     * concluded already (by its rule or an earlier command), or started by another instruction.
     */
    STALE_COMMAND;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}
