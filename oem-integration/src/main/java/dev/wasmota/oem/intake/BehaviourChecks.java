package dev.wasmota.oem.intake;

import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.oem.vectors.CaseResult;
import dev.wasmota.oem.vectors.TestVectors;
import dev.wasmota.oem.vectors.VectorReport;
import dev.wasmota.oem.vectors.VectorRunner;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The checks that run the module in the vehicle's sandbox: warm-up, vectors, soak and timing.
 *
 * <p>Timing verdicts are the CPU time each call used on the sandbox's worker thread, which other
 * load on the OEM's machine does not stretch as it stretches wall time; a call is stopped only at
 * {@link #WALL_CLOCK_ALLOWANCE} budgets of wall time (at least 200 ms more). Every run repeats exactly (the
 * same vectors, the same seeded CAN inputs), so a verdict is confirmed by running again: a
 * deadline miss refuses the module when it recurs at the same call, or when {@link #MAX_RUNS}
 * runs in a row miss one; a worst call over the margin is measured again (up to {@code
 * MAX_RUNS - 1} times, see {@link TimingCheck}) and each call counts with the least of its times. A slow or runaway code path is slow every time; a pause of
 * the machine rarely hits the same call twice. Traps and wrong results refuse at once.
 */
final class BehaviourChecks {
    /** Most runs of the vectors or the soak when deadline misses do not recur at the same call. */
    static final int MAX_RUNS = 3;

    private final IntakeOptions options;
    private final IntakeRun run;

    BehaviourChecks(IntakeOptions options, IntakeRun run) {
        this.options = options;
        this.run = run;
    }

    /**
     * How long a call may take at intake by the wall clock before it is stopped: this many budgets,
     * and at least its budget plus {@link #WALL_CLOCK_EXTRA}. Calls are judged by their own CPU time
     * (a call that used more than its budget is a deadline miss however soon it returned), so other
     * load on the OEM's machine, which stretches wall time, decides nothing; a runaway is still
     * stopped, there.
     */
    static final int WALL_CLOCK_ALLOWANCE = 2;
    /** See {@link #WALL_CLOCK_ALLOWANCE}: a module with a 2 ms deadline on a machine loaded ten times over still gets its CPU. */
    static final java.time.Duration WALL_CLOCK_EXTRA = java.time.Duration.ofMillis(200);

    /** A fresh sandbox as on the vehicle: the manifest's capabilities, {@code limits}, simulated buses; calls judged by their CPU time. */
    static SandboxedModule sandbox(IntakeRun run, ModuleLimits limits) {
        HostEnvironment env = HostEnvironment.simulated().withLog(run.log());
        return run.keep(SandboxedModule.builder(run.compiled).id(run.manifest().moduleId()).limits(limits)
                .environment(env).wallClockAllowance(WALL_CLOCK_ALLOWANCE, WALL_CLOCK_EXTRA).build());
    }

    String warmup(Optional<byte[]> vectorsJson) {
        Manifest m = run.manifest();
        run.seed = options.seed().orElse(Long.parseUnsignedLong(m.wasmSha256().substring(0, 15), 16));
        run.inputs = CanInputs.of(m.capabilities(), options.maxCanIds());
        TestVectors vectors = null;
        try {
            vectors = vectorsJson.map(TestVectors::parse).orElse(null);
        } catch (RejectedException malformed) {
            // the vectors check refuses them
        }
        long relaxedUs = Math.min(ModuleLimits.MAX_DEADLINE_MICROS, Math.max(100_000, 10 * m.deadlineUs()));
        ModuleLimits relaxed = run.limits.withDeadlineMicros(relaxedUs);
        try (SandboxedModule sandbox = sandbox(run, relaxed)) {
            run.warmup = Warmup.run(sandbox, vectors, run.inputs, new Random(run.seed));
        }
        Warmup w = run.warmup;
        return w.calls() + " calls under a relaxed " + relaxedUs / 1_000 + " ms deadline, not judged; slowest "
                + TimingCheck.us(w.worstNanos()) + " (" + w.worstCall() + ")"
                + (w.fault().isEmpty() ? "" : "; stopped at a fault the checks below judge: " + w.fault());
    }

    String vectors(byte[] json) {
        run.testVectors = TestVectors.parse(json);
        List<String> misses = new ArrayList<>();
        run.vectors = untilConfirmed(this::runVectors, BehaviourChecks::missedCase, r -> r.failures().get(0).toString(),
                misses);
        try {
            run.vectors.requirePassed();
        } catch (RejectedException e) {
            throw new RejectedException(e.reason(), e.getMessage() + confirmation(misses));
        }
        int n = run.testVectors.cases().size();
        TimingCheck.Worst slowest = TimingCheck.slowestCase(run.vectors);
        return n + " of " + n + " cases passed; slowest call " + TimingCheck.us(slowest.nanos()) + " (" + slowest.call()
                + ")" + confirmation(misses);
    }

    String soak() {
        List<String> misses = new ArrayList<>();
        SandboxedModule first = run.soakSandbox;
        run.soak = untilConfirmed(() -> Soak.run(misses.isEmpty() ? first : sandbox(run, run.limits), run.inputs,
                new Random(run.seed), options.soakTicks()), Soak::missedAt, Soak::faultAt, misses);
        run.soakSummary = new IntakeReport.SoakSummary(options.soakTicks(), run.soak.ticksRun(), run.seed,
                run.inputs.ids(), run.inputs.capped());
        requireNoFault(run.soak, confirmation(misses));
        long refused = first.refusedTableGrows();
        return run.soak.ticksRun() + " ticks after init(), no fault; random inputs on " + run.inputs.ids().size()
                + " CAN ids" + (run.inputs.capped() ? " (capped)" : "") + ", seed " + run.seed + confirmation(misses)
                + (refused == 0 ? "" : "; " + refused + " table grows refused at the cap of "
                        + run.limits.resources().tableElements() + " elements (returned -1)");
    }

    String timing() {
        Manifest m = run.manifest();
        TimingCheck.Worst first = TimingCheck.worst(run.vectors, run.soak);
        long budget = m.deadlineUs() * 1_000L * options.marginPercent() / 100;
        List<String> misses = new ArrayList<>();
        TimingCheck.Worst confirmed = first.nanos() > budget ? measureAgain(budget, misses) : null;
        String note = misses.isEmpty() ? "" : "; measuring again, soaks missed a deadline at: " + String.join("; ", misses);
        TimingCheck.Worst cold = new TimingCheck.Worst(run.warmup.worstNanos(), run.warmup.worstCall());
        run.timing = TimingCheck.timing(first, confirmed == null ? OptionalLong.empty() : OptionalLong.of(confirmed.nanos()),
                cold, run.soak, m.deadlineUs(), options.marginPercent(), TimingCheck.worstWall(run.vectors, run.soak));
        String figures = TimingCheck.describe(run.timing, confirmed == null ? "" : confirmed.call()) + note;
        if (!run.timing.withinMargin()) {
            throw new RejectedException(IntakeFailure.TIMING_MARGIN, "too slow for its deadline: " + figures);
        }
        return figures;
    }

    /**
     * Runs the vectors and the soak again, up to {@code MAX_RUNS - 1} times while the worst call
     * (each at its least over the runs) is over {@code budget}; refuses a fault other than a
     * deadline miss. {@code misses} gets where a run stopped at a deadline miss.
     */
    private TimingCheck.Worst measureAgain(long budget, List<String> misses) {
        List<VectorReport> vectorsAgain = new ArrayList<>();
        List<Soak> soaksAgain = new ArrayList<>();
        TimingCheck.Worst confirmed = null;
        for (int runs = 1; runs < MAX_RUNS && (confirmed == null || confirmed.nanos() > budget); runs++) {
            if (run.testVectors != null) {
                VectorReport again = runVectors();
                if (missedCase(again).isEmpty()) {
                    again.requirePassed();
                }
                vectorsAgain.add(again);
            }
            Soak again = Soak.run(sandbox(run, run.limits), run.inputs, new Random(run.seed), options.soakTicks());
            if (again.missedAt().isEmpty()) {
                requireNoFault(again, "");
            } else {
                misses.add(again.faultAt());
            }
            soaksAgain.add(again);
            confirmed = TimingCheck.confirmed(run.vectors, vectorsAgain, run.soak, soaksAgain);
        }
        return confirmed;
    }

    /**
     * Runs {@code attempt} until it misses no deadline, a miss recurs at the same call, or
     * {@link #MAX_RUNS} runs missed one; returns the last run. {@code misses} gets where earlier runs missed.
     */
    private static <T> T untilConfirmed(Supplier<T> attempt, Function<T, OptionalInt> missedAt,
            Function<T, String> where, List<String> misses) {
        Set<Integer> seen = new HashSet<>();
        T result = attempt.get();
        for (int runs = 1; runs < MAX_RUNS; runs++) {
            OptionalInt at = missedAt.apply(result);
            if (at.isEmpty() || !seen.add(at.getAsInt())) {
                return result;
            }
            misses.add(where.apply(result));
            result = attempt.get();
        }
        return result;
    }

    private static String confirmation(List<String> misses) {
        return misses.isEmpty() ? "" : " (run " + (misses.size() + 1) + " of up to " + MAX_RUNS
                + " with the same inputs; earlier runs missed a deadline at: " + String.join("; ", misses) + ")";
    }

    /** The index of the first failed case if it failed by a deadline miss or the machine's overload. */
    private static OptionalInt missedCase(VectorReport r) {
        if (r.passed()) {
            return OptionalInt.empty();
        }
        CaseResult first = r.failures().get(0);
        return first.fault() == FaultKind.DEADLINE_MISS || first.fault() == FaultKind.HOST_OVERLOAD
                ? OptionalInt.of(first.index()) : OptionalInt.empty();
    }

    private VectorReport runVectors() {
        try (SandboxedModule sandbox = sandbox(run, run.limits)) {
            return new VectorRunner().run(sandbox, run.testVectors);
        }
    }

    /** Refuses the module for the fault a soak stopped at, naming the call and its inputs. */
    private void requireNoFault(Soak soak, String confirmation) {
        if (soak.fault().isPresent()) {
            CallResult f = soak.fault().get();
            throw new RejectedException(f.fault(), soak.faultAt() + ": " + f.fault() + ": " + f.detail()
                    + " (soak seed " + run.seed + ")" + confirmation);
        }
    }
}
