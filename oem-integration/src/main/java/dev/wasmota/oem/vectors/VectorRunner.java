package dev.wasmota.oem.vectors;

import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.RepeatedCall;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.manifest.FunctionType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Runs a test-vector file in the vehicle's own sandbox: one instance, the cases in order, each
 * call under the module's deadline, CAN signals set on the sandbox's simulated bus. A case's
 * repeated calls go to the sandbox's worker as one run ({@link SandboxedModule#callRepeatedly}),
 * each still a call of its own, checked before the next. Used by OEM intake and by
 * {@code ota bench compute}.
 */
public final class VectorRunner {
    /** Log lines kept in a report. */
    public static final int MAX_LOG_LINES = 100;

    /** Runs {@code vectors} in a new sandbox for {@code compiled} under {@code limits}, then closes it. */
    public VectorReport run(CompiledModule compiled, ModuleLimits limits, TestVectors vectors) {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> {
            if (log.size() < MAX_LOG_LINES) {
                log.add(line);
            }
        });
        try (SandboxedModule module = SandboxedModule.builder(compiled).id("vectors").limits(limits)
                .environment(env).build()) {
            VectorReport r = run(module, vectors);
            return new VectorReport(r.cases(), r.worstCallNanos(), r.wallNanos(), log);
        }
    }

    /** Runs {@code vectors} on an existing sandbox, starting from a fresh instance. */
    public VectorReport run(SandboxedModule module, TestVectors vectors) {
        return run(module, vectors, true);
    }

    /** Runs {@code vectors} on an existing sandbox, from a fresh instance or (benchmarks) on the one it has. */
    public VectorReport run(SandboxedModule module, TestVectors vectors, boolean freshInstance) {
        if (freshInstance) {
            module.reset();
        }
        long start = System.nanoTime();
        List<CaseResult> results = new ArrayList<>();
        for (TestVectors.Case c : vectors.cases()) {
            results.add(runCase(module, c));
        }
        long worst = results.stream().mapToLong(CaseResult::worstCallNanos).max().orElse(0);
        return new VectorReport(results, worst, System.nanoTime() - start, List.of());
    }

    private CaseResult runCase(SandboxedModule module, TestVectors.Case c) {
        Optional<FunctionType> type = module.compiled().exportType(c.export());
        List<String> expected = c.expect().map(e -> e.stream().map(String::valueOf).toList()).orElse(List.of());
        if (type.isEmpty()) {
            return failed(c, expected, "the module exports no function '" + c.export() + "'");
        }
        long[] args;
        try {
            args = arguments(c, type.get());
            c.expect().ifPresent(e -> checkExpectation(c, e, type.get()));
        } catch (IllegalArgumentException e) {
            return failed(c, expected, e.getMessage());
        }
        c.can().forEach((id, value) -> module.environment().can().set(id, value));
        FunctionType t = type.get();
        RepeatedCall.Outcome o = module.callRepeatedly(c.export(), args, c.repeat(),
                r -> c.expect().isEmpty() || matches(c.expect().get(), r.values(), t));
        CallResult r = o.last();
        int call = o.calls();
        if (!r.ok()) {
            return new CaseResult(c.index(), c.label(), false, call, expected, List.of(), r.fault(),
                    callOf(call, c) + r.fault() + ": " + r.detail(), o.worstElapsedNanos(), o.worstCpuNanos());
        }
        List<String> actual = format(r.values(), t);
        if (c.expect().isPresent() && !matches(c.expect().get(), r.values(), t)) {
            return new CaseResult(c.index(), c.label(), false, call, expected, actual, null,
                    callOf(call, c) + "expected " + expected + ", got " + actual, o.worstElapsedNanos(), o.worstCpuNanos());
        }
        return new CaseResult(c.index(), c.label(), true, c.repeat(), expected, actual, null, "", o.worstElapsedNanos(),
                o.worstCpuNanos());
    }

    private static long[] arguments(TestVectors.Case c, FunctionType type) {
        if (c.args().size() != type.params().size()) {
            throw new IllegalArgumentException(c.export() + " has type " + type + " but the case gives "
                    + c.args().size() + " arguments");
        }
        long[] out = new long[c.args().size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = ValueCodec.toWasm(c.args().get(i), type.params().get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("argument " + i + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static void checkExpectation(TestVectors.Case c, List<Number> expect, FunctionType type) {
        if (expect.size() != type.results().size()) {
            throw new IllegalArgumentException("expects " + expect.size() + " results, but " + c.export()
                    + " has type " + type);
        }
        for (int i = 0; i < expect.size(); i++) {
            try {
                ValueCodec.toWasm(expect.get(i), type.results().get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected value " + i + ": " + e.getMessage());
            }
        }
    }

    private static boolean matches(List<Number> expected, long[] actual, FunctionType type) {
        for (int i = 0; i < actual.length; i++) {
            if (!ValueCodec.matches(expected.get(i), actual[i], type.results().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static List<String> format(long[] values, FunctionType type) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(ValueCodec.format(values[i], type.results().get(i)));
        }
        return out;
    }

    private static String callOf(int call, TestVectors.Case c) {
        return c.repeat() == 1 ? "" : "call " + call + " of " + c.repeat() + ": ";
    }

    private static CaseResult failed(TestVectors.Case c, List<String> expected, String detail) {
        return new CaseResult(c.index(), c.label(), false, 0, expected, List.of(), null, detail, 0, 0);
    }
}
