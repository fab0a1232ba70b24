package dev.wasmota.oem.campaign;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Issues one signed instruction for an action, inside the caller's transaction: advances the
 * vehicle's counter, signs with the campaign key, and records the instruction on the action in
 * the same transaction, so a counter is issued once and only with a recorded instruction.
 */
final class InstructionIssuer {
    private final Credential campaignKey;
    private final Ids ids;
    private final Clock clock;

    InstructionIssuer(Credential campaignKey, Ids ids, Clock clock) {
        this.campaignKey = campaignKey;
        this.ids = ids;
        this.clock = clock;
    }

    IssuedInstruction issue(Connection c, Campaign k, Action a, Release release) throws SQLException {
        Batch b = batch(c, k, release);
        IssuedInstruction issued = b.issue(a);
        b.finish();
        return issued;
    }

    /**
     * Issues many instructions of campaign {@code k} for {@code release} in one transaction (a
     * wave's): what they all share (the shadow delivery, the RXSWIN after, the user notice) is
     * looked up once, and the per-wave counters move once at {@link Batch#finish}, not twice per
     * instruction. Finish it before anything in the transaction reads the counters.
     */
    Batch batch(Connection c, Campaign k, Release release) throws SQLException {
        return new Batch(c, k, release);
    }

    /** See {@link #batch}. */
    final class Batch {
        private final Connection c;
        private final Campaign k;
        private final Release release;
        private final java.util.Map<Action.Kind, Shared> shared = new java.util.EnumMap<>(Action.Kind.class);
        private final WaveCounters.Tally tally = new WaveCounters.Tally();

        private Batch(Connection c, Campaign k, Release release) {
            this.c = c;
            this.k = k;
            this.release = release;
        }

        IssuedInstruction issue(Action a) throws SQLException {
            Shared s = shared.get(a.kind());
            if (s == null) {
                s = shared(a.kind());
                shared.put(a.kind(), s);
            }
            long counter = VehicleRegistry.nextCounter(c, a.vehicleId());
            Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instruction i = new Instruction(ids.instructionId(), k.id(), a.vehicleId(), release.moduleId(),
                    release.packageSha256(), counter, issuedAt, issuedAt.plus(k.validity()), ids.nonce(), s.shadow(),
                    s.rxswin(), s.notice());
            byte[] file = SignedInstruction.sign(i, campaignKey.key(), campaignKey.cert(), clock);
            ActionRows.issued(c, a, new Action.Issued(i.instructionId(), counter, i.nonce(), i.packageSha256(),
                    i.issuedAt(), i.expiresAt()), file, tally);
            return new IssuedInstruction(i, file, a.kind(), release);
        }

        /** Moves the per-wave counters of every instruction issued. */
        void finish() throws SQLException {
            tally.flush(c);
        }

        private Shared shared(Action.Kind kind) throws SQLException {
            java.util.Optional<dev.wasmota.signing.instruction.ShadowDelivery> shadow = kind == Action.Kind.INSTALL
                    && !ShadowDecisions.promoted(c, k.id()) ? RolloutRows.find(c, k.id()).shadow() : java.util.Optional.empty();
            return new Shared(shadow, rxswinAfter(c, k, kind, release), kind == Action.Kind.INSTALL
                    ? dev.wasmota.oem.record.CampaignNotices.forCampaign(c, k.id()) : java.util.Optional.empty());
        }
    }

    /** What every instruction of one kind in a batch carries alike. */
    private record Shared(java.util.Optional<dev.wasmota.signing.instruction.ShadowDelivery> shadow,
                          java.util.Optional<String> rxswin, java.util.Optional<dev.wasmota.signing.instruction.UserNotice> notice) {
    }

    /**
     * The RXSWIN a vehicle runs once it commits {@code release} (issue 17): for an install, the
     * "to" of the release's stated change; for a campaign's rollback, the "from" of the campaign
     * release's change (the vehicle goes back to what it ran); empty when the change is none.
     */
    private static java.util.Optional<String> rxswinAfter(Connection c, Campaign k, Action.Kind kind, Release release)
            throws SQLException {
        if (kind == Action.Kind.ROLLBACK) {
            return dev.wasmota.oem.rxswin.RxswinRegister.change(c, k.release()).flatMap(ch -> ch.from());
        }
        return dev.wasmota.oem.rxswin.RxswinRegister.change(c, release.id()).flatMap(ch -> ch.to());
    }
}
