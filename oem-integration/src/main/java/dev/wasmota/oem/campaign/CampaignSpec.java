package dev.wasmota.oem.campaign;

import dev.wasmota.contract.config.Problems;

import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator asks for when creating a campaign; built with defaults for everything but the
 * release, the targets and the waves.
 *
 * @param id the campaign id wanted; empty to have one generated
 * @param release the release to roll out (published in the release store)
 * @param targets the vehicles
 * @param waves the wave plan
 * @param advanceAt success rate in percent (1..100) of a wave at which the next starts
 * @param stopAt error rate in percent (1..100) of a wave at which the campaign stops
 * @param validity how long each instruction is valid, whole seconds, 1 s .. {@link #MAX_VALIDITY}
 * @param hold the observation period of each wave: how long after a wave starts it must run before the next
 *     may start, even once it reached the advance threshold; whole seconds, 0 (none) .. {@link #MAX_HOLD}
 */
public record CampaignSpec(Optional<String> id, ReleaseId release, Targets targets, WavePlan waves, int advanceAt,
                           int stopAt, Duration validity, Duration hold) {
    public static final int DEFAULT_ADVANCE_AT = 90;
    public static final int DEFAULT_STOP_AT = 10;
    public static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    public static final Duration MAX_VALIDITY = Duration.ofDays(90);
    public static final Duration DEFAULT_HOLD = Duration.ZERO;
    public static final Duration MAX_HOLD = Duration.ofDays(7);

    public CampaignSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(waves, "waves");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(hold, "hold");
    }

    public static Builder builder(ReleaseId release, Targets targets, WavePlan waves) {
        return new Builder(release, targets, waves);
    }

    /** Every problem with this spec, each a short phrase; empty if it is usable. */
    public List<String> problems() {
        return check().list();
    }

    private Problems check() {
        return Problems.of("campaign")
                .check(id.map(i -> Manifest.ID.matcher(i).matches()).orElse(true),
                        "campaign id '" + id.orElse("") + "' is not " + Manifest.ID.pattern())
                .check(advanceAt >= 1 && advanceAt <= 100, "advance threshold " + advanceAt + "% is outside 1..100%")
                .check(stopAt >= 1 && stopAt <= 100, "stop threshold " + stopAt + "% is outside 1..100%")
                .check(validity.getNano() == 0 && validity.getSeconds() >= 1 && validity.compareTo(MAX_VALIDITY) <= 0,
                        "instruction validity " + validity + " is not whole seconds within 1s.." + MAX_VALIDITY.toDays() + "d")
                .check(hold.getNano() == 0 && !hold.isNegative() && hold.compareTo(MAX_HOLD) <= 0,
                        "wave hold " + hold + " is not whole seconds within 0s.." + MAX_HOLD.toDays() + "d");
    }

    /** Refuses ({@link CampaignFailure#INVALID_CAMPAIGN}) a spec with problems, naming all of them. */
    public CampaignSpec validate() {
        check().orRefuse(CampaignFailure.INVALID_CAMPAIGN);
        return this;
    }

    /** Builds a {@link CampaignSpec}: thresholds {@value #DEFAULT_ADVANCE_AT}% and {@value #DEFAULT_STOP_AT}%, validity 24 h, no hold. */
    public static final class Builder {
        private final ReleaseId release;
        private final Targets targets;
        private final WavePlan waves;
        private Optional<String> id = Optional.empty();
        private int advanceAt = DEFAULT_ADVANCE_AT;
        private int stopAt = DEFAULT_STOP_AT;
        private Duration validity = DEFAULT_VALIDITY;
        private Duration hold = DEFAULT_HOLD;

        private Builder(ReleaseId release, Targets targets, WavePlan waves) {
            this.release = release;
            this.targets = targets;
            this.waves = waves;
        }

        public Builder id(String value) {
            id = Optional.of(value);
            return this;
        }

        public Builder advanceAt(int percent) {
            advanceAt = percent;
            return this;
        }

        public Builder stopAt(int percent) {
            stopAt = percent;
            return this;
        }

        public Builder validity(Duration value) {
            validity = value;
            return this;
        }

        /** How long each wave is observed after it starts before the next may start; 0 for none. */
        public Builder hold(Duration value) {
            hold = value;
            return this;
        }

        public CampaignSpec build() {
            return new CampaignSpec(id, release, targets, waves, advanceAt, stopAt, validity, hold);
        }
    }
}
