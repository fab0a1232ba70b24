package dev.wasmota.oem.evidence;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why an evidence bundle was not exported, or does not verify. */
public enum EvidenceFailure implements Reason {
    /** The bundle's signature, a digest, an anchor or a cross-reference does not hold: it was changed or is incomplete. */
    INCONSISTENT_EVIDENCE(ExitCode.TRUST),
    /** The directory is not an evidence bundle (no manifest, another format, a file over its bound). */
    MALFORMED_EVIDENCE(ExitCode.POLICY);

    private final ExitCode exitCode;

    EvidenceFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}
