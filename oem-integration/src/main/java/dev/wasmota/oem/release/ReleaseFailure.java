package dev.wasmota.oem.release;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the release store refused a publication or a lookup (exit 4; bad signatures are {@code TrustFailure}, exit 3). */
public enum ReleaseFailure implements Reason {
    /** Another package is already published under the same module id and version. */
    RELEASE_CONFLICT,
    /** No release is published under the module id and version asked for. */
    UNKNOWN_RELEASE,
    /** The module has no release below the one asked for, so there is nothing to roll back to. */
    NO_PREVIOUS_RELEASE,
    /** The integration report given with a package is not a JSON object, or too large. */
    MALFORMED_REPORT,
    /** The release index on disk is not a well-formed index. */
    MALFORMED_INDEX;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}
