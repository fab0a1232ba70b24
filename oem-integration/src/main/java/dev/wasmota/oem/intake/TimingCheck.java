package dev.wasmota.oem.intake;

import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.oem.vectors.CaseResult;
import dev.wasmota.oem.vectors.VectorReport;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The timing figures of an intake. A call's time is the CPU time the sandbox's worker thread
 * spent in it: what the module's own code (and the host functions it called) needed, which other
 * load on the OEM's machine, a garbage collection or the JIT's threads do not inflate (a wall-clock
 * measurement of the same module varied from 367 µs to 2,412 µs between two intakes). When the
 * worst call is over the budget, the vectors and the soak run again with the same inputs (up to
 * twice), so every call has more measurements of the same code path; a call's time is then the
 * least of them, and the worst of those is what the margin judges. A slow path is slow in every
 * run. The worst wall-clock time is reported beside it.
 */
final class TimingCheck {
    /** The longest call of a measurement and which it was. */
    record Worst(long nanos, String call) {
        static final Worst NONE = new Worst(0, "");

        Worst max(Worst other) {
            return other.nanos > nanos ? other : this;
        }
    }

    private TimingCheck() {
    }

    /** The worst call of a vector run (may be null) and a soak. */
    static Worst worst(VectorReport vectors, Soak soak) {
        return confirmed(vectors, List.of(), soak, List.of());
    }

    /**
     * The worst call when each call's time is the least of its measurements over the first runs
     * and the runs {@code again}; a call a later run never reached (it stopped at a deadline miss
     * before) counts only with the runs that reached it.
     */
    static Worst confirmed(VectorReport vectors, List<VectorReport> vectorsAgain, Soak soak, List<Soak> soaksAgain) {
        Worst w = Worst.NONE;
        if (vectors != null) {
            for (CaseResult c : vectors.cases()) {
                long t = c.worstCpuNanos();
                for (VectorReport again : vectorsAgain) {
                    if (c.index() < again.cases().size()) {
                        t = Math.min(t, again.cases().get(c.index()).worstCpuNanos());
                    }
                }
                w = w.max(new Worst(t, "vector " + c.label()));
            }
        }
        if (soak.initNanos() >= 0) {
            long t = soak.initNanos();
            for (Soak again : soaksAgain) {
                t = again.initNanos() >= 0 ? Math.min(t, again.initNanos()) : t;
            }
            w = w.max(new Worst(t, "init (soak health check)"));
        }
        long[] ticks = soak.tickNanos();
        for (int i = 0; i < ticks.length; i++) {
            long t = ticks[i];
            for (Soak again : soaksAgain) {
                t = i < again.tickNanos().length ? Math.min(t, again.tickNanos()[i]) : t;
            }
            if (t > w.nanos()) {
                w = new Worst(t, "tick (soak tick " + (i + 1) + ")");
            }
        }
        return w;
    }

    static Worst slowestCase(VectorReport vectors) {
        Worst w = Worst.NONE;
        for (CaseResult c : vectors.cases()) {
            w = w.max(new Worst(c.worstCpuNanos(), "vector " + c.label()));
        }
        return w;
    }

    /** The longest call by the wall clock, of the vectors (may be null) and the soak. */
    static long worstWall(VectorReport vectors, Soak soak) {
        long w = soak.worstWallNanos();
        if (vectors != null) {
            for (CaseResult c : vectors.cases()) {
                w = Math.max(w, c.worstCallNanos());
            }
        }
        return w;
    }

    static IntakeReport.Timing timing(Worst first, OptionalLong confirmed, Worst cold, Soak soak, long deadlineUs,
            int marginPercent, long worstWallNanos) {
        long p50 = 0;
        long p99 = 0;
        if (soak.tickNanos().length > 0) {
            Percentiles p = Percentiles.of(soak.tickNanos());
            p50 = p.median();
            p99 = p.percentile(99);
        }
        return new IntakeReport.Timing(first.nanos(), first.call(), confirmed, cold.nanos(), cold.call(), p50, p99,
                soak.tickNanos().length, deadlineUs, marginPercent, worstWallNanos);
    }

    /** One line with every figure, for the check's detail and the refusal. */
    static String describe(IntakeReport.Timing t, String confirmedCall) {
        return "worst call " + us(t.worstNanos()) + " of CPU time (" + t.worstCall() + ")"
                + (t.confirmedWorstNanos().isPresent() ? "; measured again with the same inputs, each call at its least, the worst is "
                        + us(t.confirmedWorstNanos().getAsLong()) + " (" + confirmedCall + ")" : "")
                + "; budget " + us(t.budgetNanos()) + " = " + t.marginPercent() + "% of the " + t.deadlineUs()
                + " us deadline; p50 " + us(t.p50Nanos()) + ", p99 " + us(t.p99Nanos()) + " over " + t.samples()
                + " soak ticks; the worst call by the wall clock " + us(t.worstWallNanos())
                + "; cold calls (warm-up) up to " + us(t.coldWorstNanos()) + " (" + t.coldWorstCall() + ")";
    }

    static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
}
