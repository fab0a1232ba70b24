package dev.wasmota.oem.sbom;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why intake refused a package for its SBOM. All are policy refusals (exit 4). */
public enum SbomFailure implements Reason {
    /** The OEM's policy requires an SBOM and the package carries none. */
    MISSING_SBOM,
    /** The SBOM is not CycloneDX JSON 1.5 or later, or not valid against its schema. */
    MALFORMED_SBOM,
    /** The SBOM describes another module: its described component's SHA-256 is not the module's. */
    SBOM_OTHER_MODULE,
    /** A component the SBOM lists is on the OEM's known-vulnerable list with the action {@code refuse}. */
    VULNERABLE_COMPONENT,
    /** The OEM's known-vulnerable list cannot be read or is not its format. */
    MALFORMED_VULNERABLE_LIST;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}
