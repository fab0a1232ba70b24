package dev.wasmota.ecu.sandbox;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * How a module misbehaved at run time. Every fault discards the instance; the fault window
 * counts them. All kinds but {@link #INTERNAL_ERROR} mean the module misbehaved (exit 5).
 */
public enum FaultKind implements Reason {
    /** The module trapped: unreachable, out-of-bounds memory access, division by zero, ... */
    TRAP,
    /** The call ran past its deadline and was interrupted (or returned too late). */
    DEADLINE_MISS,
    /** The module exhausted the memory the host gave it. */
    MEMORY_LIMIT,
    /** The module's call stack grew past the worker thread's stack. */
    STACK_OVERFLOW,
    /** {@code init()} returned non-zero or has the wrong type. */
    HEALTH_CHECK_FAILED,
    /**
     * Something neither a trap nor a resource limit escaped the module's call: a host or runtime
     * defect (exit 1). Still counted against the module, so the host fails safe.
     */
    INTERNAL_ERROR {
        @Override
        public ExitCode exitCode() {
            return ExitCode.INTERNAL;
        }
    };

    @Override
    public ExitCode exitCode() {
        return ExitCode.MODULE_FAULT;
    }
}
