package dev.wasmota.ecu;

import dev.wasmota.contract.stats.ModuleHealth;
import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import java.util.Arrays;

/**
 * One running module's call times since its activation, for its {@link ModuleHealth}: the latest
 * {@link #KEPT} tick times after the first {@link #COLD_CALLS} (recorded on its worker thread after
 * each tick, a store into an array) and the longest of all. The memory high-water mark is sampled when the health is read.
 */
final class HealthMeter {
    /** Tick times kept for the percentiles. */
    static final int KEPT = 4096;
    /**
     * The first calls after activation, left out of the percentiles (still counted and in the max):
     * they pay for the JIT's first compilation of the module's code (the first one took 18 ms on
     * a loaded 2-core machine), which says nothing about the module's own call time.
     */
    static final int COLD_CALLS = 10;

    private final SandboxedModule sandbox;
    private final long[] nanos = new long[KEPT];
    private long count;
    private long seen;
    private long maxNanos;
    private long pagesHigh;

    HealthMeter(SandboxedModule sandbox) {
        this.sandbox = sandbox;
    }

    SandboxedModule sandbox() {
        return sandbox;
    }

    synchronized void record(CallResult r) {
        maxNanos = Math.max(maxNanos, r.elapsedNanos());
        if (seen++ < COLD_CALLS) {
            return;
        }
        nanos[(int) (count % KEPT)] = r.elapsedNanos();
        count++;
    }

    /** The health as of now; {@code stats} are the scheduler's for this sandbox. */
    ModuleHealth read(String version, ModuleStats stats, long shadowAgreementPpm) {
        long pages;
        try {
            pages = sandbox.memoryPages();
        } catch (RuntimeException closedOrBusy) {
            pages = 0;
        }
        long p50;
        long p99;
        long max;
        synchronized (this) {
            pagesHigh = Math.max(pagesHigh, pages);
            pages = pagesHigh;
            if (count == 0) {
                p50 = 0;
                p99 = 0;
            } else {
                Percentiles p = Percentiles.of(Arrays.copyOf(nanos, (int) Math.min(count, KEPT)));
                p50 = p.median();
                p99 = p.percentile(99);
            }
            max = maxNanos;
        }
        return new ModuleHealth(sandbox.id(), version, stats.calls(), p50 / 1_000, p99 / 1_000, max / 1_000,
                stats.deadlineMisses(), stats.traps(), pages, shadowAgreementPpm);
    }
}
