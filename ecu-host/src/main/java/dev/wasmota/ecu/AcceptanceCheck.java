package dev.wasmota.ecu;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.RepeatedCall;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.pkg.AcceptanceVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the OEM's acceptance vectors ({@link AcceptanceVectors}) on the vehicle, before an install
 * commits: one fresh instance of the vehicle's own compiled module in a sandbox of its own
 * (simulated buses, so nothing reaches the vehicle's CAN or I2C), the cases in order. Calls are
 * judged by their results, not their speed: each runs under the relaxed deadline the intake's
 * warm-up uses ({@link #relaxedDeadlineMicros}), so a cold JIT on a loaded ECU refuses nothing
 * while a runaway still does.
 */
public final class AcceptanceCheck {
    private AcceptanceCheck() {
    }

    /** The deadline acceptance calls run under: ten deadlines, at least 100 ms, within the host's maximum. */
    public static long relaxedDeadlineMicros(long deadlineMicros) {
        return Math.min(ModuleLimits.MAX_DEADLINE_MICROS, Math.max(100_000, 10 * deadlineMicros));
    }

    /**
     * Runs {@code vectors} on {@code compiled}.
     *
     * @return a one-line summary for the audit log
     * @throws RejectedException {@link AcceptanceFailure#ACCEPTANCE_VECTOR_FAILED} naming the first failing case
     */
    public static String run(CompiledModule compiled, ModuleLimits limits, AcceptanceVectors vectors, String moduleId) {
        HostEnvironment own = HostEnvironment.simulated().withLog((id, line) -> { });
        ModuleLimits relaxed = limits.withDeadlineMicros(relaxedDeadlineMicros(limits.deadlineMicros()));
        try (SandboxedModule sandbox = SandboxedModule.builder(compiled).id(moduleId + "#acceptance").limits(relaxed)
                .environment(own).build()) {
            for (AcceptanceVectors.Case c : vectors.cases()) {
                runCase(sandbox, c).ifPresent(why -> {
                    throw new RejectedException(AcceptanceFailure.ACCEPTANCE_VECTOR_FAILED, c.label() + " of " + moduleId
                            + " failed on this vehicle's compiled code: " + why + "; the install is refused, the active"
                            + " slot is unchanged");
                });
            }
        }
        return vectors.cases().size() + " acceptance cases (" + vectors.calls() + " calls) passed on this vehicle's"
                + " compiled code";
    }

    /** Why the case failed, or empty. */
    private static Optional<String> runCase(SandboxedModule sandbox, AcceptanceVectors.Case c) {
        Optional<FunctionType> type = sandbox.compiled().exportType(c.export());
        if (type.isEmpty()) {
            return Optional.of("the module exports no function '" + c.export() + "'");
        }
        FunctionType t = type.get();
        if (t.params().size() != c.args().size() || c.expect().map(e -> e.size() != t.results().size()).orElse(false)) {
            return Optional.of(c.export() + " has type " + t + ", which the case's values do not fit");
        }
        long[] args = c.args().stream().mapToLong(Long::longValue).toArray();
        c.can().forEach((id, value) -> sandbox.environment().can().set(id, value));
        RepeatedCall.Outcome o = sandbox.callRepeatedly(c.export(), args, c.repeat(),
                r -> c.expect().isEmpty() || matches(c.expect().get(), r.values(), t));
        CallResult r = o.last();
        String call = c.repeat() == 1 ? "" : "call " + o.calls() + " of " + c.repeat() + ": ";
        if (!r.ok()) {
            return Optional.of(call + r.fault() + ": " + r.detail());
        }
        if (c.expect().isPresent() && !matches(c.expect().get(), r.values(), t)) {
            return Optional.of(call + "expected " + format(c.expect().get(), t) + ", got " + format(box(r.values()), t));
        }
        return Optional.empty();
    }

    /** Compares by WASM type: i32 on its low 32 bits, floats as values (any NaN equals any NaN), else exactly. */
    static boolean matches(List<Long> expected, long[] actual, FunctionType type) {
        if (actual.length != expected.size()) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            long e = expected.get(i);
            long a = actual[i];
            boolean same = switch (type.results().get(i)) {
                case "i32" -> (int) e == (int) a;
                case "f32" -> Float.compare(Float.intBitsToFloat((int) e), Float.intBitsToFloat((int) a)) == 0;
                case "f64" -> Double.compare(Double.longBitsToDouble(e), Double.longBitsToDouble(a)) == 0;
                default -> e == a;
            };
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> box(long[] values) {
        List<Long> out = new ArrayList<>();
        for (long v : values) {
            out.add(v);
        }
        return out;
    }

    private static List<String> format(List<Long> values, FunctionType type) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            out.add(switch (i < type.results().size() ? type.results().get(i) : "i64") {
                case "i32" -> Integer.toString((int) v);
                case "f32" -> Float.toString(Float.intBitsToFloat((int) v));
                case "f64" -> Double.toString(Double.longBitsToDouble(v));
                default -> Long.toString(v);
            });
        }
        return out;
    }
}
