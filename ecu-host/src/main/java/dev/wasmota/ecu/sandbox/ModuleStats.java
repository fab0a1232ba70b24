package dev.wasmota.ecu.sandbox;

/**
 * What the scheduler saw of one module: calls, the worst call time, and faults by category.
 *
 * @param module the module id
 * @param calls ticks that ran, faults included
 * @param worstCallNanos the longest tick
 * @param deadlineMisses ticks stopped or returned past the deadline
 * @param traps ticks that trapped
 * @param otherFaults stack overflows, memory exhaustion, internal errors
 * @param skippedTicks periods skipped because the previous tick had not finished
 * @param droppedLogLines {@code ecu.log} lines dropped: over the rate limit or out of bounds
 * @param tripped whether the fault window tripped (the module is then suspended)
 * @param hostOverloads ticks stopped or late because the host did not give them the CPU: not faults
 */
public record ModuleStats(String module, long calls, long worstCallNanos, long deadlineMisses, long traps,
        long otherFaults, long skippedTicks, long droppedLogLines, boolean tripped, long hostOverloads) {

    /** Nothing yet: a module that has not run. */
    public static ModuleStats none(String module) {
        return new ModuleStats(module, 0, 0, 0, 0, 0, 0, 0, false, 0);
    }

    public long faults() {
        return deadlineMisses + traps + otherFaults;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "%s: calls=%d worst_us=%.1f deadline_misses=%d traps=%d other_faults=%d skipped=%d log_dropped=%d"
                        + " host_overloads=%d%s",
                module, calls, worstCallNanos / 1e3, deadlineMisses, traps, otherFaults, skippedTicks, droppedLogLines,
                hostOverloads, tripped ? " TRIPPED" : "");
    }
}
