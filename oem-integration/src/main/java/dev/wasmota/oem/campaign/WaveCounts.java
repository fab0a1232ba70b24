package dev.wasmota.oem.campaign;

import java.util.List;

/**
 * How the actions of one wave (or of a rollback) stand. Rates are of the wave's members, so a
 * vehicle that never answers holds its wave back until its instruction expires and it counts as
 * failed.
 *
 * @param members vehicles in the wave
 * @param notInstructed vehicles without an instruction yet (the wave has not started)
 * @param awaiting vehicles instructed that have not answered
 * @param committed vehicles that committed
 * @param failed vehicles that failed, rolled back by themselves, or did not answer in time
 */
public record WaveCounts(int members, int notInstructed, int awaiting, int committed, int failed) {

    static WaveCounts of(List<Action> actions) {
        int pending = 0;
        int awaiting = 0;
        int committed = 0;
        int failed = 0;
        for (Action a : actions) {
            switch (a.status()) {
                case PENDING -> pending++;
                case INSTRUCTED -> awaiting++;
                case COMMITTED -> committed++;
                case FAILED, ROLLED_BACK -> failed++;
                case EXCLUDED -> { }
            }
        }
        return new WaveCounts(pending + awaiting + committed + failed, pending, awaiting, committed, failed);
    }

    /** The counts from how many actions are in each {@link Action.Status}, indexed by its ordinal. */
    static WaveCounts of(int[] byStatus) {
        int pending = byStatus[Action.Status.PENDING.ordinal()];
        int awaiting = byStatus[Action.Status.INSTRUCTED.ordinal()];
        int committed = byStatus[Action.Status.COMMITTED.ordinal()];
        int failed = byStatus[Action.Status.FAILED.ordinal()] + byStatus[Action.Status.ROLLED_BACK.ordinal()];
        return new WaveCounts(pending + awaiting + committed + failed, pending, awaiting, committed, failed);
    }

    /** Vehicles that were sent an instruction. */
    public int instructed() {
        return members - notInstructed;
    }

    /** Vehicles without a final answer: not instructed yet, or instructed and silent. */
    public int pending() {
        return notInstructed + awaiting;
    }

    /** Whether every member has answered (or timed out). */
    public boolean answered() {
        return members > 0 && pending() == 0;
    }

    /** Whether the success rate is at least {@code percent} (exact integer comparison). */
    public boolean successReaches(int percent) {
        return members > 0 && committed * 100L >= percent * (long) members;
    }

    /** Whether the error rate is at least {@code percent} (exact integer comparison). */
    public boolean errorsReach(int percent) {
        return members > 0 && failed * 100L >= percent * (long) members;
    }

    /** The success rate in whole percent, rounded down. */
    public int successPercent() {
        return members == 0 ? 0 : (int) (committed * 100L / members);
    }

    /** The error rate in whole percent, rounded down. */
    public int errorPercent() {
        return members == 0 ? 0 : (int) (failed * 100L / members);
    }
}
