package dev.wasmota.oem.campaign;

import dev.wasmota.oem.release.ReleaseId;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A rollout of one release to a set of vehicles in waves (hawkBit's Rollout), as stored.
 *
 * @param id the campaign id (a module-id-like name), carried in every instruction
 * @param release the release rolled out
 * @param securityVersion the release's security version
 * @param packageSha256 SHA-256 of the release's package file, named by every instruction
 * @param wasmSha256 SHA-256 of the release's module binary
 * @param targets the vehicles it is for
 * @param wavePlan the waves as planned
 * @param advanceAt success rate, in percent of a wave, at which the next wave starts
 * @param stopAt error rate, in percent of a wave, at which the campaign stops
 * @param validity how long each instruction stays valid after it is issued (whole seconds)
 * @param hold how long each wave is observed after it starts before the next may start (whole seconds; 0: none)
 * @param state where the campaign is in its lifecycle
 * @param currentWave the wave last started, from 1; 0 before the start
 * @param waveCount how many waves the plan made of the targets
 * @param cause why the campaign last changed state, if it says
 * @param rollbackTo the release a campaign-wide rollback went back to
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Campaign(
        String id,
        ReleaseId release,
        long securityVersion,
        String packageSha256,
        String wasmSha256,
        Targets targets,
        WavePlan wavePlan,
        int advanceAt,
        int stopAt,
        Duration validity,
        Duration hold,
        State state,
        int currentWave,
        int waveCount,
        Optional<String> cause,
        Optional<ReleaseId> rollbackTo,
        Instant createdAt,
        Instant updatedAt) {

    /** A campaign's lifecycle. */
    public enum State {
        /** Defined, with its waves planned; nothing issued yet. */
        CREATED,
        /** Waves are issued; each wave that reaches the advance threshold and has run its hold starts the next. */
        RUNNING,
        /** Held by an operator, or by a wave that ended below the advance threshold: no new wave starts. */
        PAUSED,
        /** A wave's error rate reached the stop threshold: no new instructions; a rollback may follow. */
        STOPPED,
        /** Ended by an operator: no new instructions; those outstanding expire. */
        ABORTED,
        /** Every wave reached the advance threshold. */
        COMPLETED,
        /** Every vehicle that committed the release was instructed to go back to the previous release. */
        ROLLED_BACK;

        /** Whether the campaign may still issue waves, so its vehicles may not join another campaign. */
        public boolean active() {
            return this == CREATED || this == RUNNING || this == PAUSED;
        }

        /** Whether a campaign in this state may move to {@code next}. */
        public boolean canBecome(State next) {
            return successors().contains(next);
        }

        private Set<State> successors() {
            return switch (this) {
                case CREATED -> EnumSet.of(RUNNING, ABORTED);
                case RUNNING -> EnumSet.of(PAUSED, STOPPED, ABORTED, COMPLETED, ROLLED_BACK);
                case PAUSED -> EnumSet.of(RUNNING, STOPPED, ABORTED, ROLLED_BACK);
                case STOPPED, ABORTED, COMPLETED -> EnumSet.of(ROLLED_BACK);
                case ROLLED_BACK -> EnumSet.noneOf(State.class);
            };
        }
    }
}
