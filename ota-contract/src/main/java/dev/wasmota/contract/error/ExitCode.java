package dev.wasmota.contract.error;

/** The process exit codes of CONTRACT.md; every refusal maps to exactly one of them. */
public enum ExitCode {
    /** Done. */
    OK(0),
    /** Internal error: a bug; the message says where. */
    INTERNAL(1),
    /** Usage error: bad options or arguments. */
    USAGE(2),
    /** Rejected: signature, certificate, trust chain or integrity (digest, length). */
    TRUST(3),
    /** Rejected: policy (capabilities, limits, anti-rollback, instruction, WASM feature, malformed input). */
    POLICY(4),
    /** Rejected: the module misbehaved (test vector, trap, deadline, health check). */
    MODULE_FAULT(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
