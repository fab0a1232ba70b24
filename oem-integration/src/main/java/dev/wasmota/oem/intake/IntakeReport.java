package dev.wasmota.oem.intake;

import dev.wasmota.oem.vectors.CaseResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the intake found about one submission, accepted or not: each check with its result, the
 * vector results, the soak, the timing against the deadline and the compiled output. Written
 * beside the release as JSON by {@link IntakeReportJson}. Parts the intake never reached are empty.
 *
 * @param time when the intake ran (the options' clock)
 * @param accepted whether the package was countersigned
 * @param packageSha256 SHA-256 of the submitted package file
 * @param packageBytes length of the submitted package file
 * @param releaseSha256 SHA-256 of the countersigned package file, when accepted
 * @param module the authenticated manifest's identity and limits, once the supplier signature checked out
 * @param checks every check in order, with those never run as {@link CheckResult.Status#NOT_RUN}
 * @param rejection why it was refused, when it was
 * @param vectors each vector case's result, in file order (empty without vectors)
 * @param soak the soak's inputs and extent, once it ran
 * @param timing call times against the deadline, once anything ran in the sandbox
 * @param compiled the compiled output, once compiled
 * @param moduleLog the first lines the module logged
 */
public record IntakeReport(Instant time, boolean accepted, String packageSha256, long packageBytes,
        Optional<String> releaseSha256, Optional<ModuleSummary> module, List<CheckResult> checks,
        Optional<Rejection> rejection, List<CaseResult> vectors, Optional<SoakSummary> soak, Optional<Timing> timing,
        Optional<Compiled> compiled, List<String> moduleLog) {

    public IntakeReport {
        checks = List.copyOf(checks);
        vectors = List.copyOf(vectors);
        moduleLog = List.copyOf(moduleLog);
    }

    /** The result of {@code check}. */
    public CheckResult check(IntakeCheck check) {
        return checks.stream().filter(c -> c.check() == check).findFirst().orElseThrow();
    }

    /** The module as its authenticated manifest describes it. */
    public record ModuleSummary(String id, String version, long securityVersion, String supplier, String wasmSha256,
            long wasmBytes, String capabilities, int memoryPages, long deadlineUs, long periodMs) {
    }

    /** The refusal: the check that refused, the reason's name and exit code, and the one-line detail. */
    public record Rejection(String check, String reason, int exitCode, String detail) {
    }

    /**
     * The soak: how many ticks were planned and completed, and the random CAN inputs' seed and ids.
     *
     * @param canIdsCapped whether the capabilities cover more ids than were driven
     */
    public record SoakSummary(int ticksPlanned, int ticksRun, long seed, List<Integer> canIds, boolean canIdsCapped) {
        public SoakSummary {
            canIds = List.copyOf(canIds);
        }
    }

    /**
     * Call times in the vehicle's sandbox, against the manifest's deadline: each call's time is the
     * CPU time of its own (the sandbox worker thread's), which the OEM machine's other load does not
     * inflate; the worst wall-clock time is reported beside it. The margin applies to
     * every call of the vectors and the soak, which run after the warm-up (the cold calls, when
     * the JVM first links the module's code, are reported apart). When the worst call is over the
     * budget, vectors and soak run again with the same inputs and each call counts with the lesser
     * of its two times, so a pause of the OEM's own machine does not refuse a module while a slow
     * code path, slow both times, does.
     *
     * @param worstNanos the most CPU time a call of the vectors and the soak used
     * @param worstCall which call that was, e.g. {@code tick (soak tick 17)}
     * @param confirmedWorstNanos the longest call counting each with the lesser of two measurements,
     *     when the first worst was over the budget
     * @param coldWorstNanos the longest call of the warm-up
     * @param coldWorstCall which call that was
     * @param p50Nanos median of the soak's ticks
     * @param p99Nanos 99th percentile of the soak's ticks
     * @param samples the soak ticks measured
     * @param deadlineUs the manifest's per-call budget
     * @param marginPercent the share of it the worst call may take
     * @param worstWallNanos the longest call of the vectors and the soak by the wall clock (not judged)
     */
    public record Timing(long worstNanos, String worstCall, OptionalLong confirmedWorstNanos, long coldWorstNanos,
            String coldWorstCall, long p50Nanos, long p99Nanos, int samples, long deadlineUs, int marginPercent,
            long worstWallNanos) {
        /** The most the worst call may take: {@code marginPercent} of the deadline. */
        public long budgetNanos() {
            return deadlineUs * 1_000L * marginPercent / 100;
        }

        /** Whether the worst call, or if it was over the budget its confirmation, is within the budget. */
        public boolean withinMargin() {
            return worstNanos <= budgetNanos()
                    || confirmedWorstNanos.isPresent() && confirmedWorstNanos.getAsLong() <= budgetNanos();
        }
    }

    /**
     * The vehicle compiler's output for the module, as the countersignature states it.
     *
     * @param reproduced whether a second compilation gave the same digest (false when not tried)
     */
    public record Compiled(String compiler, String sha256, long compileNanos, boolean reproduced) {
    }
}
