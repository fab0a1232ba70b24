package dev.wasmota.contract.error;

/**
 * A named cause of a refusal. Each module keeps its own enum of reasons; every reason belongs to
 * one exit-code category, so the mapping to CONTRACT exit codes lives in the reason itself.
 */
public interface Reason {
    /** The constant's name, e.g. {@code BAD_SIGNATURE}. */
    String name();

    /** The exit code a command ends with when it refuses for this reason. */
    ExitCode exitCode();
}
