package dev.wasmota.ecu;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.RepeatedCall;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.pkg.AcceptanceVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs the OEM's acceptance vectors ({@link AcceptanceVectors}) on the vehicle, before an install
 * commits: one fresh instance of the vehicle's own compiled module in a sandbox of its own
 * (simulated buses, so nothing reaches the vehicle's CAN or I2C), the cases in order. Calls are
 * judged by their results, not their speed: each runs under the relaxed deadline the intake's
 * warm-up uses ({@link #relaxedDeadlineMicros}), so a cold JIT on a loaded ECU refuses nothing
 * while a runaway still does. A case stopped because the host did not give it the CPU
 * ({@link FaultKind#HOST_OVERLOAD}) says nothing of the code: the whole set runs again in a fresh
 * sandbox, at most {@link #ATTEMPTS} times in all, and a host overloaded every time refuses the
 * install as {@link FaultKind#HOST_OVERLOAD} (exit 1, the machine's state: tried again later), never
 * as {@link AcceptanceFailure#ACCEPTANCE_VECTOR_FAILED}, which means the code behaved otherwise.
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
        ModuleLimits relaxed = limits.withDeadlineMicros(relaxedDeadlineMicros(limits.deadlineMicros()));
        judge(moduleId, () -> runAll(compiled, relaxed, vectors, moduleId));
        return vectors.cases().size() + " acceptance cases (" + vectors.calls() + " calls) passed on this vehicle's"
                + " compiled code";
    }

    /** How many times in all the set runs while the host is overloaded. */
    static final int ATTEMPTS = 3;

    /** The first failing case of one run of the set: its label, why, and whether the host was at fault. */
    record Failure(String label, String why, boolean hostOverload) {
    }

    /**
     * Runs {@code attempt} (the whole set, in a fresh sandbox) until it passes, fails on the
     * module's account, or has been overloaded {@link #ATTEMPTS} times.
     */
    static void judge(String moduleId, Supplier<Optional<Failure>> attempt) {
        Failure last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            Optional<Failure> f = attempt.get();
            if (f.isEmpty()) {
                return;
            }
            last = f.get();
            if (!last.hostOverload()) {
                throw new RejectedException(AcceptanceFailure.ACCEPTANCE_VECTOR_FAILED, last.label() + " of " + moduleId
                        + " failed on this vehicle's compiled code: " + last.why() + "; the install is refused, the"
                        + " active slot is unchanged");
            }
        }
        throw new RejectedException(FaultKind.HOST_OVERLOAD, "the acceptance cases of " + moduleId + " could not be"
                + " judged: the host did not give them the CPU in " + ATTEMPTS + " attempts (last: " + last.label() + ": "
                + last.why() + "); the install is refused for now, the active slot is unchanged");
    }

    private static Optional<Failure> runAll(CompiledModule compiled, ModuleLimits relaxed, AcceptanceVectors vectors,
                                            String moduleId) {
        HostEnvironment own = HostEnvironment.simulated().withLog((id, line) -> { });
        try (SandboxedModule sandbox = SandboxedModule.builder(compiled).id(moduleId + "#acceptance").limits(relaxed)
                .environment(own).build()) {
            for (AcceptanceVectors.Case c : vectors.cases()) {
                Optional<Failure> f = runCase(sandbox, c);
                if (f.isPresent()) {
                    return f;
                }
            }
        }
        return Optional.empty();
    }

    /** How the case failed, or empty. */
    private static Optional<Failure> runCase(SandboxedModule sandbox, AcceptanceVectors.Case c) {
        Optional<FunctionType> type = sandbox.compiled().exportType(c.export());
        if (type.isEmpty()) {
            return Optional.of(new Failure(c.label(), "the module exports no function '" + c.export() + "'", false));
        }
        FunctionType t = type.get();
        if (t.params().size() != c.args().size() || c.expect().map(e -> e.size() != t.results().size()).orElse(false)) {
            return Optional.of(new Failure(c.label(), c.export() + " has type " + t + ", which the case's values do not fit",
                    false));
        }
        long[] args = c.args().stream().mapToLong(Long::longValue).toArray();
        c.can().forEach((id, value) -> sandbox.environment().can().set(id, value));
        RepeatedCall.Outcome o = sandbox.callRepeatedly(c.export(), args, c.repeat(),
                r -> c.expect().isEmpty() || matches(c.expect().get(), r.values(), t));
        CallResult r = o.last();
        String call = c.repeat() == 1 ? "" : "call " + o.calls() + " of " + c.repeat() + ": ";
        if (!r.ok()) {
            return Optional.of(new Failure(c.label(), call + r.fault() + ": " + r.detail(),
                    r.fault() == FaultKind.HOST_OVERLOAD));
        }
        if (c.expect().isPresent() && !matches(c.expect().get(), r.values(), t)) {
            return Optional.of(new Failure(c.label(), call + "expected " + format(c.expect().get(), t) + ", got "
                    + format(box(r.values()), t), false));
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
