package dev.wasmota.oem.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One wave of a campaign (hawkBit's RolloutGroup): the vehicles instructed together.
 *
 * @param campaignId the campaign
 * @param index position in the campaign, from 1
 * @param step the wave plan's value that made it, e.g. {@code 10%} or {@code 100}
 * @param members the vehicles in it, in rollout order
 * @param state where the wave is
 * @param startedAt when its instructions were issued
 */
public record Wave(String campaignId, int index, String step, List<String> members, State state,
                   Optional<Instant> startedAt) {

    public Wave {
        members = List.copyOf(members);
    }

    /** How many vehicles the wave holds. */
    public int size() {
        return members.size();
    }

    /** When a hold of {@code hold} that began with this wave ends; empty if the wave has not started. */
    public Optional<Instant> holdEndsAt(Duration hold) {
        return startedAt.map(t -> t.plus(hold));
    }

    /** Whether the wave has run for at least {@code hold} by {@code now}. */
    public boolean heldFor(Duration hold, Instant now) {
        return holdOver(startedAt.orElse(null), hold, now);
    }

    /** Whether a hold of {@code hold} from {@code startedAt} is over at {@code now}; no recorded start holds nothing back. */
    static boolean holdOver(Instant startedAt, Duration hold, Instant now) {
        return startedAt == null || !now.isBefore(startedAt.plus(hold));
    }

    /** A wave's lifecycle. */
    public enum State {
        /** Not started; its vehicles have no instruction yet. */
        PLANNED,
        /** Its instructions are issued; statuses are being counted (and it is observed for the campaign's hold). */
        RUNNING,
        /** Its success rate reached the advance threshold and it ran the hold (or an operator resumed past it). */
        PASSED,
        /** Its error rate reached the stop threshold; the campaign stopped. */
        FAILED,
        /** The campaign ended (aborted, stopped by another wave, rolled back) before the wave finished. */
        CANCELLED
    }
}
