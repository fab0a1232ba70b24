package dev.wasmota.oem.campaign;

import dev.wasmota.oem.release.Release;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;

/** The OEM audit records of campaign steps, one shape per lifecycle step. */
final class CampaignAudit {
    static final String STOP_THRESHOLD = "STOP_THRESHOLD";
    static final String BELOW_ADVANCE_THRESHOLD = "BELOW_ADVANCE_THRESHOLD";
    static final String ROLLBACK = "ROLLBACK";
    static final String MANUAL = "MANUAL";

    private final String actor;

    CampaignAudit(String actor) {
        this.actor = actor;
    }

    AuditRecord created(Campaign k, int targets) {
        return base(AuditEvent.CAMPAIGN_CREATED, k).outcome(Outcome.SUCCESS).cause(MANUAL)
                .detail(k.release() + " to " + targets + " vehicles (" + k.targets() + ") in " + k.waveCount()
                        + " waves " + k.wavePlan() + "; advance at " + k.advanceAt() + "%, stop at " + k.stopAt()
                        + "%, instructions valid " + k.validity().getSeconds() + "s, hold " + k.hold().getSeconds()
                        + "s").build();
    }

    AuditRecord started(Campaign k) {
        return base(AuditEvent.CAMPAIGN_STARTED, k).outcome(Outcome.SUCCESS).cause(MANUAL).build();
    }

    AuditRecord waveStarted(Campaign k, int wave, int instructions) {
        return base(AuditEvent.CAMPAIGN_WAVE_STARTED, k).outcome(Outcome.SUCCESS)
                .detail("wave " + wave + "/" + k.waveCount() + ": " + instructions + " instructions issued").build();
    }

    AuditRecord paused(Campaign k, String cause, String detail) {
        return base(AuditEvent.CAMPAIGN_PAUSED, k).outcome(Outcome.SUCCESS).cause(cause).detail(detail).build();
    }

    AuditRecord stopped(Campaign k, String detail) {
        return base(AuditEvent.CAMPAIGN_STOPPED, k).outcome(Outcome.FAILURE).cause(STOP_THRESHOLD)
                .detail("stopped: " + detail).build();
    }

    AuditRecord resumed(Campaign k, String detail) {
        return base(AuditEvent.CAMPAIGN_RESUMED, k).outcome(Outcome.SUCCESS).cause(MANUAL).detail(detail).build();
    }

    AuditRecord aborted(Campaign k) {
        return base(AuditEvent.CAMPAIGN_ABORTED, k).outcome(Outcome.SUCCESS).cause(MANUAL)
                .detail("aborted: no new instructions; outstanding ones expire").build();
    }

    AuditRecord completed(Campaign k) {
        return base(AuditEvent.CAMPAIGN_COMPLETED, k).outcome(Outcome.SUCCESS)
                .detail("every wave reached the advance threshold").build();
    }

    AuditRecord rolledBack(Campaign k, Release to, int instructions) {
        return base(AuditEvent.CAMPAIGN_ROLLED_BACK, k).outcome(Outcome.SUCCESS).cause(ROLLBACK)
                .fromVersion(k.release().version()).toVersion(to.version()).toWasmSha256(to.wasmSha256())
                .securityVersion(to.securityVersion())
                .detail("rolled back to " + to.id() + ": " + instructions + " rollback instructions issued").build();
    }

    AuditRecord status(Campaign k, Action a, Action.Status result, String detail,
                       java.util.Optional<VehicleLogHead> logHead) {
        AuditRecord.Builder b = forAction(AuditEvent.CAMPAIGN_STATUS_RECEIVED, k, a).instructionId(instructionId(a))
                .outcome(result == Action.Status.COMMITTED ? Outcome.SUCCESS : Outcome.FAILURE).cause(result.name())
                .detail(line("vehicle " + a.vehicleId() + " (" + a.kind().name().toLowerCase(java.util.Locale.ROOT) + ")"
                        + (detail == null || detail.isBlank() ? "" : ": " + detail)));
        logHead.ifPresent(h -> b.verification(VehicleLogHead.VERIFICATION, h.text()));
        return b.build();
    }

    AuditRecord expired(Campaign k, Action a) {
        return forAction(AuditEvent.CAMPAIGN_INSTRUCTION_EXPIRED, k, a).instructionId(instructionId(a)).outcome(Outcome.FAILURE)
                .cause(Action.EXPIRED).detail("vehicle " + a.vehicleId() + " did not answer before "
                        + a.issued().map(i -> i.expiresAt().toString()).orElse("expiry") + "; counted as failed").build();
    }

    /** A vehicle left out at the campaign's start, and why (issue 17). */
    AuditRecord excluded(Campaign k, String vehicleId, String reason) {
        return base(AuditEvent.CAMPAIGN_VEHICLE_EXCLUDED, k).outcome(Outcome.REFUSED).cause(Action.INCOMPATIBLE)
                .detail(line("vehicle " + vehicleId + ": " + reason)).build();
    }

    /** A refused status report: who claimed what, and why it was refused. */
    AuditRecord statusRefused(String campaignId, String vehicleId, String instructionId, String reason, String detail) {
        AuditRecord.Builder b = AuditRecord.builder(AuditEvent.CAMPAIGN_STATUS_RECEIVED).actor(actor)
                .outcome(Outcome.REFUSED).cause(reason).detail(line("from vehicle " + vehicleId + ": " + detail));
        if (campaignId != null && campaignId.length() <= 64) {
            b.campaignId(campaignId);
        }
        if (instructionId != null && instructionId.length() <= 64) {
            b.instructionId(instructionId);
        }
        return b.build();
    }

    private AuditRecord.Builder base(AuditEvent event, Campaign k) {
        return AuditRecord.builder(event).actor(actor).campaignId(k.id()).moduleId(k.release().moduleId())
                .toVersion(k.release().version()).toWasmSha256(k.wasmSha256()).securityVersion(k.securityVersion());
    }

    /** An install names the campaign's release; a rollback goes from it to the release rolled back to. */
    private AuditRecord.Builder forAction(AuditEvent event, Campaign k, Action a) {
        if (a.kind() == Action.Kind.ROLLBACK && k.rollbackTo().isPresent()) {
            return AuditRecord.builder(event).actor(actor).campaignId(k.id()).moduleId(k.release().moduleId())
                    .fromVersion(k.release().version()).toVersion(k.rollbackTo().get().version());
        }
        return base(event, k);
    }

    private static String instructionId(Action a) {
        return a.issued().map(Action.Issued::instructionId).orElse(null);
    }

    private static String line(String s) {
        return CampaignRows.clip(s, 500);
    }
}
