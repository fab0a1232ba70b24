package dev.wasmota.ecu.sandbox;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the host refuses to run a module under its own policy, beyond the manifest checks (exit 4). */
public enum HostPolicyFailure implements Reason {
    /** A function is too large for Chicory's compiler and would run, uninterruptible, in the interpreter. */
    INTERPRETER_FALLBACK,
    /** The module needs more memory at instantiation than its cap allows. */
    MEMORY_LIMIT_EXCEEDED,
    /** A memory, deadline or period limit is outside what the host accepts. */
    LIMITS_OUT_OF_RANGE,
    /** Building the module's instance (memory, tables, globals, segments) took longer than the host allows. */
    INSTANTIATION_TIMEOUT,
    /** Compiling the module took longer than its {@link CompileBudget} allows for its size. */
    COMPILE_TOO_SLOW,
    /** Real-time scheduling was asked for but this process may not use it (not root, no CAP_SYS_NICE, no chrt). */
    REALTIME_NOT_PERMITTED;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}
