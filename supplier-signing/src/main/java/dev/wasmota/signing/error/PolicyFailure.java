package dev.wasmota.signing.error;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why a package, manifest or module was refused by policy or as malformed input (exit 4). */
public enum PolicyFailure implements Reason {
    /** The package file is not a well-formed package (magic, entries, sizes). */
    MALFORMED_PACKAGE,
    /** The manifest is not valid canonical manifest JSON, or a field is out of range. */
    MALFORMED_MANIFEST,
    /** A capability string does not follow the CONTRACT grammar. */
    MALFORMED_CAPABILITY,
    /** The manifest requests capabilities beyond what the supplier's certificate allows. */
    CAPABILITY_NOT_CERTIFIED,
    /** The module imports something its capabilities do not cover. */
    IMPORT_NOT_PERMITTED,
    /** The binary is not valid WebAssembly, or uses a feature the host does not run. */
    INVALID_WASM,
    /** The manifest's exports do not match the module's. */
    EXPORT_MISMATCH,
    /** The module needs more memory than the manifest or the host allows. */
    MEMORY_LIMIT,
    /**
     * The module declares more tables, table elements, globals or segments than its manifest's
     * caps, or the manifest's caps exceed the host's ceilings.
     */
    RESOURCE_LIMIT,
    /** A key, certificate or request file is unusable. */
    MALFORMED_KEY_MATERIAL;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}
