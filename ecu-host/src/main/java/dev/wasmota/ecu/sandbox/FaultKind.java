package dev.wasmota.ecu.sandbox;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * How a call into a module failed at run time. Every kind but {@link #HOST_OVERLOAD} is the
 * module's fault: the fault window counts it, and all but {@link #INTERNAL_ERROR} mean the module
 * misbehaved (exit 5). A call stopped in the middle discards the instance.
 */
public enum FaultKind implements Reason {
    /** The module trapped: unreachable, out-of-bounds memory access, division by zero, ... */
    TRAP,
    /**
     * The call ran past its deadline and was stopped (or returned too late), having used at least
     * {@link #BLAMED_CPU_PERCENT} % of its budget in CPU time of its own.
     */
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
    },
    /**
     * The call ran past its wall-clock deadline and was stopped (or returned too late), but its
     * own CPU time stayed under {@link #BLAMED_CPU_PERCENT} % of its budget: the host did not give
     * it the CPU. Recorded and metered, never counted against the module (exit 1: the machine's
     * state, not the module's).
     */
    HOST_OVERLOAD {
        @Override
        public ExitCode exitCode() {
            return ExitCode.INTERNAL;
        }

        @Override
        public boolean blamesModule() {
            return false;
        }
    };

    /**
     * The share of its budget a late call must have used in CPU time of its own to be the
     * module's fault ({@link #DEADLINE_MISS}) rather than the host's ({@link #HOST_OVERLOAD}). Not
     * 100: a call stopped at its deadline has used its budget less whatever time the host kept it
     * from running, so a runaway that lost a little time to other threads is still blamed, while a
     * module the intake measured within its margin (50 % by default) is not.
     */
    public static final int BLAMED_CPU_PERCENT = 90;

    /** Whether a call that failed so counts against the module (its fault window, its faults). */
    public boolean blamesModule() {
        return true;
    }

    @Override
    public ExitCode exitCode() {
        return ExitCode.MODULE_FAULT;
    }
}
