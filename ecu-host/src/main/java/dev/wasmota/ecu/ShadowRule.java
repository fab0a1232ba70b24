package dev.wasmota.ecu;

/**
 * When a shadow is promoted: after {@code ticks} compared ticks with at most
 * {@code maxDisagreementRatio} of them disagreeing and at most {@code maxFaults} faults of its own.
 * It is discarded as soon as it can no longer pass (more disagreements or faults than allowed).
 *
 * @param ticks compared ticks before the decision, 1..{@link #MAX_TICKS}
 * @param maxDisagreementRatio share of compared ticks that may disagree, 0..1
 * @param maxFaults faults of the shadow's own tolerated, at least 0
 */
public record ShadowRule(long ticks, double maxDisagreementRatio, long maxFaults) {
    public static final long MAX_TICKS = 100_000_000L;

    public ShadowRule {
        if (ticks < 1 || ticks > MAX_TICKS) {
            throw new IllegalArgumentException("a shadow runs 1.." + MAX_TICKS + " ticks, not " + ticks);
        }
        if (!(maxDisagreementRatio >= 0 && maxDisagreementRatio <= 1)) {
            throw new IllegalArgumentException("the disagreement threshold is a share 0..1, not " + maxDisagreementRatio);
        }
        if (maxFaults < 0) {
            throw new IllegalArgumentException("the fault threshold is at least 0, not " + maxFaults);
        }
    }

    /** The most disagreeing ticks that still pass. */
    public long allowedDisagreements() {
        return (long) Math.floor(maxDisagreementRatio * ticks);
    }

    @Override
    public String toString() {
        return ticks + " ticks, at most " + allowedDisagreements() + " disagreeing, at most " + maxFaults + " faults";
    }
}
