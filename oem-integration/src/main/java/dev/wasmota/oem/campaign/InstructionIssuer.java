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
        long counter = VehicleRegistry.nextCounter(c, a.vehicleId());
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        java.util.Optional<dev.wasmota.signing.instruction.ShadowDelivery> shadow = a.kind() == Action.Kind.INSTALL
                && !ShadowDecisions.promoted(c, k.id()) ? RolloutRows.find(c, k.id()).shadow() : java.util.Optional.empty();
        Instruction i = new Instruction(ids.instructionId(), k.id(), a.vehicleId(), release.moduleId(),
                release.packageSha256(), counter, issuedAt, issuedAt.plus(k.validity()), ids.nonce(), shadow,
                rxswinAfter(c, k, a, release), a.kind() == Action.Kind.INSTALL
                        ? dev.wasmota.oem.record.CampaignNotices.forCampaign(c, k.id()) : java.util.Optional.empty());
        byte[] file = SignedInstruction.sign(i, campaignKey.key(), campaignKey.cert(), clock);
        ActionRows.issued(c, a, new Action.Issued(i.instructionId(), counter, i.nonce(), i.packageSha256(),
                i.issuedAt(), i.expiresAt()), file);
        return new IssuedInstruction(i, file, a.kind(), release);
    }

    /**
     * The RXSWIN a vehicle runs once it commits {@code release} (issue 17): for an install, the
     * "to" of the release's stated change; for a campaign's rollback, the "from" of the campaign
     * release's change (the vehicle goes back to what it ran); empty when the change is none.
     */
    private static java.util.Optional<String> rxswinAfter(Connection c, Campaign k, Action a, Release release)
            throws SQLException {
        if (a.kind() == Action.Kind.ROLLBACK) {
            return dev.wasmota.oem.rxswin.RxswinRegister.change(c, k.release()).flatMap(ch -> ch.from());
        }
        return dev.wasmota.oem.rxswin.RxswinRegister.change(c, release.id()).flatMap(ch -> ch.to());
    }
}
