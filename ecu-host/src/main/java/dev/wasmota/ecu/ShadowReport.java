package dev.wasmota.ecu;

import java.util.List;

/**
 * What a shadow run saw so far, or when it ended.
 *
 * @param moduleId the module
 * @param activeVersion the active version compared against
 * @param shadowVersion the shadow's version
 * @param state running, promoted or discarded
 * @param activeTicks ticks of the active module while the shadow ran
 * @param compared ticks the shadow ran on the active's inputs and was compared
 * @param agreements compared ticks whose writes all agreed
 * @param disagreements compared ticks with at least one write outside the tolerance
 * @param shadowFaults the shadow's own faults (its calls stopped; the active never affected)
 * @param activeFaults active ticks that faulted, so had nothing to compare
 * @param skipped active ticks the shadow was still busy with the previous one, or the host did not give it the CPU
 * @param examples the first disagreements, at most {@link #MAX_EXAMPLES}
 * @param activeCallNanos the active module's tick times while compared: p50, p99, max
 * @param shadowCallNanos the shadow's: p50, p99, max
 * @param reason why it was promoted or discarded; empty while it runs
 * @param spec its tolerance and rule
 */
public record ShadowReport(String moduleId, String activeVersion, String shadowVersion, State state, long activeTicks,
        long compared, long agreements, long disagreements, long shadowFaults, long activeFaults, long skipped,
        List<Example> examples, CallTimes activeCallNanos, CallTimes shadowCallNanos, String reason, ShadowSpec spec) {
    /** Most disagreement examples kept. */
    public static final int MAX_EXAMPLES = 5;

    public ShadowReport {
        examples = List.copyOf(examples);
    }

    /** A shadow run's lifecycle. */
    public enum State {
        /** Called beside the active module on its inputs, its writes captured and compared. */
        RUNNING,
        /** Promoted through the normal install path: now the active version. */
        PROMOTED,
        /** Stopped and forgotten; the active version ran throughout. */
        DISCARDED
    }

    /**
     * One write the two versions disagreed on.
     *
     * @param tick the active tick it happened at (from 1 when the shadow started)
     * @param signal {@code can:0x220} or {@code i2c:BUS:0xADDR:0xREG}
     * @param active what the active module wrote ({@code none} if it did not)
     * @param shadow what the shadow wrote ({@code none} if it did not)
     */
    public record Example(long tick, String signal, String active, String shadow) {
        @Override
        public String toString() {
            return "tick " + tick + " " + signal + ": active " + active + ", shadow " + shadow;
        }
    }

    /** Call times in nanoseconds. */
    public record CallTimes(long p50, long p99, long max) {
        public static final CallTimes NONE = new CallTimes(0, 0, 0);
    }

    /** Share of compared ticks that agreed, 0..1 (1 before any). */
    public double agreement() {
        return compared == 0 ? 1 : (double) agreements / compared;
    }

    /** A one-line summary. */
    public String summary() {
        return moduleId + " " + shadowVersion + " as shadow of " + activeVersion + ": " + state + ", " + compared
                + " ticks compared, " + agreements + " agreed, " + disagreements + " disagreed, " + shadowFaults
                + " shadow faults, " + skipped + " skipped" + (reason.isEmpty() ? "" : "; " + reason)
                + (examples.isEmpty() ? "" : "; first disagreements: " + examples);
    }
}
