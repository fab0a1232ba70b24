package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotFailure;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustUpdateFailure;
import dev.wasmota.signing.manifest.Manifest;
import java.util.Optional;
import java.util.Set;

/** The host's audit records: the shape of update, refusal and security-event records in one place. */
final class HostAudit {
    static final String ACTOR = "ecu-host";

    /** Policy refusals that are attacks or attempts worth a security event, besides every trust failure. */
    private static final Set<String> SECURITY_POLICY = Set.of(PolicyFailure.CAPABILITY_NOT_CERTIFIED.name(),
            PolicyFailure.IMPORT_NOT_PERMITTED.name(), UpdateFailure.ANTI_ROLLBACK.name(),
            UpdateFailure.WRONG_HARDWARE.name(), UpdateFailure.TRUST_ANCHOR_MISMATCH.name(),
            UpdateFailure.COMPILED_OUTPUT_MISMATCH.name(), UpdateFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER.name(),
            UpdateFailure.OWNER_MISMATCH.name(), InstructionFailure.EXPIRED.name(),
            InstructionFailure.NOT_YET_VALID.name(), InstructionFailure.WRONG_VEHICLE.name(),
            InstructionFailure.PACKAGE_MISMATCH.name(), InstructionFailure.REPLAYED.name(),
            TrustUpdateFailure.TRUST_UPDATE_ROLLBACK.name(), UpdateFailure.SERVICE_OPERATION_FORBIDDEN.name(),
            SlotFailure.BELOW_FLOOR.name());
    /** How an update was authorized, as the {@code authorization} precondition of its records. */
    static final String BY_INSTRUCTION = "campaign-instruction";
    /** ... or not: a local operation without a campaign instruction. */
    static final String SERVICE_OPERATION = "service-operation";

    private final AuditLog log;

    HostAudit(AuditLog log) {
        this.log = log;
    }

    AuditRecord append(AuditRecord.Builder record) {
        return log.append(record.build());
    }

    /** An update record: the module, its versions and digests before and after, campaign and instruction. */
    AuditRecord.Builder update(AuditEvent event, Manifest m, Optional<ModuleState> before, InstallContext ctx) {
        AuditRecord.Builder b = AuditRecord.builder(event).moduleId(m.moduleId()).toVersion(m.version())
                .toWasmSha256(m.wasmSha256()).securityVersion(m.securityVersion()).actor(ctx.actor())
                .precondition("authorization", authorization(ctx));
        before.ifPresent(s -> b.fromVersion(s.activeMetadata().version()).fromWasmSha256(s.activeMetadata().wasmSha256()));
        ctx.campaignId().ifPresent(b::campaignId);
        ctx.instructionId().ifPresent(b::instructionId);
        return b;
    }

    /** {@link #BY_INSTRUCTION} when a signed campaign instruction came with the install, else {@link #SERVICE_OPERATION}. */
    static String authorization(InstallContext ctx) {
        return ctx.instruction().isPresent() ? BY_INSTRUCTION : SERVICE_OPERATION;
    }

    /** Whether a refusal is an attack or an attempt worth a {@code SECURITY_EVENT}: every trust failure, and some policy ones. */
    static boolean isSecurityEvent(RejectedException e) {
        return e.exitCode() == ExitCode.TRUST || SECURITY_POLICY.contains(e.reason().name());
    }

    /** Records a refused install, preceded by a security event when the refusal is one. */
    void refused(Manifest m, InstallContext ctx, RejectedException e) {
        if (isSecurityEvent(e)) {
            append(base(AuditEvent.SECURITY_EVENT, m, ctx).outcome(Outcome.REFUSED).cause(e.reason().name())
                    .detail(e.getMessage()));
        }
        append(base(AuditEvent.INSTALL_REFUSED, m, ctx).outcome(e.exitCode() == ExitCode.MODULE_FAULT
                ? Outcome.FAILURE : Outcome.REFUSED).cause(e.reason().name()).detail(e.getMessage()));
    }

    /** Records a refused operation on a module ({@code event} REFUSED), preceded by a security event when the refusal is one. */
    void operationRefused(AuditEvent event, String moduleId, String actor, RejectedException e) {
        if (isSecurityEvent(e)) {
            append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).moduleId(moduleId).actor(actor)
                    .outcome(Outcome.REFUSED).cause(e.reason().name()).detail(e.getMessage()));
        }
        append(AuditRecord.builder(event).moduleId(moduleId).actor(actor).outcome(Outcome.REFUSED)
                .cause(e.reason().name()).detail(e.getMessage()));
    }

    /** Records a refused trust update: a security event when the refusal is one (forged, replayed), then the refusal. */
    void trustRefused(String actor, RejectedException e) {
        if (isSecurityEvent(e)) {
            append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).actor(actor).outcome(Outcome.REFUSED)
                    .cause(e.reason().name()).detail(e.getMessage()));
        }
        append(AuditRecord.builder(AuditEvent.TRUST_UPDATED).actor(actor).outcome(Outcome.REFUSED)
                .cause(e.reason().name()).detail(e.getMessage()));
    }

    private AuditRecord.Builder base(AuditEvent event, Manifest m, InstallContext ctx) {
        AuditRecord.Builder b = AuditRecord.builder(event).actor(ctx.actor()).precondition("authorization", authorization(ctx));
        if (m != null) {
            b.moduleId(m.moduleId()).toVersion(m.version()).toWasmSha256(m.wasmSha256()).securityVersion(m.securityVersion());
        }
        ctx.campaignId().ifPresent(b::campaignId);
        ctx.instructionId().ifPresent(b::instructionId);
        return b;
    }
}
