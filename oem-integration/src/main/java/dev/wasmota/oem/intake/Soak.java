package dev.wasmota.oem.intake;

import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.manifest.EcuAbi;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

/**
 * The soak: on a fresh sandbox, the health check {@code init()} (if exported), then {@code tick()}
 * back to back, new CAN inputs before each, every call timed; it stops at the first fault. Times
 * are the worker thread's own CPU time of each call: what the module needs, whatever else runs on
 * the OEM's machine.
 *
 * @param initNanos the CPU time of {@code init()}, or -1 when the module has none (or it faulted)
 * @param tickNanos the CPU time of every tick that returned normally, in order
 * @param fault the call that faulted, if one did
 * @param faultAt where, e.g. {@code tick 5 of 2000 (0x120=42)}
 * @param worstWallNanos the longest call by the wall clock (for the report)
 */
record Soak(long initNanos, long[] tickNanos, Optional<CallResult> fault, String faultAt, long worstWallNanos) {
    private static final String AT_INIT = "the health check init()";

    static Soak run(SandboxedModule module, CanInputs inputs, Random random, int ticks) {
        long init = -1;
        long wall = 0;
        if (module.compiled().exportType(EcuAbi.INIT).isPresent()) {
            CallResult r = module.init();
            if (!r.ok()) {
                return new Soak(-1, new long[0], Optional.of(r), AT_INIT, r.elapsedNanos());
            }
            init = r.cpuNanos();
            wall = r.elapsedNanos();
        }
        long[] samples = new long[ticks];
        for (int t = 1; t <= ticks; t++) {
            Map<Integer, Long> in = inputs.drive(module.environment().can(), random);
            CallResult r = module.call(EcuAbi.TICK);
            wall = Math.max(wall, r.elapsedNanos());
            if (!r.ok()) {
                return new Soak(init, Arrays.copyOf(samples, t - 1), Optional.of(r),
                        "tick " + t + " of " + ticks + " (" + CanInputs.describe(in) + ")", wall);
            }
            samples[t - 1] = r.cpuNanos();
        }
        return new Soak(init, samples, Optional.empty(), "", wall);
    }

    int ticksRun() {
        return tickNanos.length;
    }

    /**
     * Which call a deadline miss, or a stop for the machine's overload, stopped the soak at: 0 for
     * {@code init}, N for tick N; empty if none did.
     */
    OptionalInt missedAt() {
        if (fault.isEmpty() || fault.get().fault() != FaultKind.DEADLINE_MISS
                && fault.get().fault() != FaultKind.HOST_OVERLOAD) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(faultAt.equals(AT_INIT) ? 0 : tickNanos.length + 1);
    }
}
