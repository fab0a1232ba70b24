package dev.wasmota.oem.intake;

import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.oem.vectors.CaseResult;
import dev.wasmota.oem.vectors.TestVectors;
import dev.wasmota.oem.vectors.VectorReport;
import dev.wasmota.oem.vectors.VectorRunner;
import dev.wasmota.signing.manifest.EcuAbi;
import java.util.Random;

/**
 * Brings the JVM to the steady state of a vehicle host that has been running: the first calls
 * into a newly compiled module pay for class linking and interpretation (measured: up to several
 * milliseconds per export, far more on a loaded machine), once. The vectors and some ticks run
 * once under a relaxed deadline; nothing here is judged, the checks that follow run everything
 * again under the real deadline. The longest of these cold calls is reported.
 *
 * @param calls calls made
 * @param worstNanos the longest of them
 * @param worstCall which that was
 * @param fault the first fault seen, if any (empty when none); the checks that follow judge it
 */
record Warmup(int calls, long worstNanos, String worstCall, String fault) {
    /** Ticks run after the vectors (fewer if they take longer than {@link #MAX_NANOS} in all). */
    static final int TICKS = 200;
    /** Longest the warm-up goes on. */
    static final long MAX_NANOS = 2_000_000_000L;

    static Warmup run(SandboxedModule relaxed, TestVectors vectors, CanInputs inputs, Random random) {
        long start = System.nanoTime();
        int calls = 0;
        long worst = 0;
        String worstCall = "";
        if (vectors != null) {
            VectorReport r = new VectorRunner().run(relaxed, vectors);
            for (CaseResult c : r.cases()) {
                calls += c.calls();
                if (c.worstCallNanos() > worst) {
                    worst = c.worstCallNanos();
                    worstCall = "vector " + c.label();
                }
            }
            if (!r.passed()) {
                return new Warmup(calls, worst, worstCall, r.failures().get(0).toString());
            }
            relaxed.reset();
        }
        if (relaxed.compiled().exportType(EcuAbi.INIT).isPresent()) {
            CallResult r = relaxed.init();
            calls++;
            if (r.elapsedNanos() > worst) {
                worst = r.elapsedNanos();
                worstCall = "init";
            }
            if (!r.ok()) {
                return new Warmup(calls, worst, worstCall, r.toString());
            }
        }
        for (int t = 1; t <= TICKS && System.nanoTime() - start < MAX_NANOS; t++) {
            inputs.drive(relaxed.environment().can(), random);
            CallResult r = relaxed.call(EcuAbi.TICK);
            calls++;
            if (r.elapsedNanos() > worst) {
                worst = r.elapsedNanos();
                worstCall = "tick " + t;
            }
            if (!r.ok()) {
                return new Warmup(calls, worst, worstCall, r.toString());
            }
        }
        return new Warmup(calls, worst, worstCall, "");
    }
}
