package dev.wasmota.oem.intake;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditTrail;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.oem.owner.ModuleOwnership;
import dev.wasmota.oem.owner.OwnershipAudit;
import dev.wasmota.oem.owner.OwnershipFailure;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The intake's records in the OEM audit log: {@code INTAKE_ACCEPTED}, {@code
 * MODULE_OWNER_RECORDED} for a module's first release, then {@code RELEASE_COUNTERSIGNED} for a
 * release; {@code INTAKE_REJECTED} for a refusal, preceded by a {@code SECURITY_EVENT} when the
 * refusal looks like an attack (a trust failure, capabilities beyond the certificate, an import
 * outside them, another supplier's module id). Each record lists every check's result.
 */
final class IntakeAudit {
    private static final int MAX_DETAIL = 2000;
    private static final Set<String> SECURITY_POLICY = Set.of(PolicyFailure.CAPABILITY_NOT_CERTIFIED.name(),
            PolicyFailure.IMPORT_NOT_PERMITTED.name(), OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER.name());

    private final Optional<AuditTrail> log;
    private final String actor;

    IntakeAudit(Optional<AuditTrail> log, String actor) {
        this.log = log;
        this.actor = actor;
    }

    /**
     * Records the accepted intake, the module's first owner when this release made it one, and
     * the countersignature; returns the records as appended.
     */
    List<AuditRecord> accepted(IntakeReport report, Optional<ModuleOwnership> firstOwner) {
        if (log.isEmpty()) {
            return List.of();
        }
        IntakeReport.Timing t = report.timing().orElseThrow();
        IntakeReport.Compiled c = report.compiled().orElseThrow();
        AuditRecord accepted = log.get().append(base(AuditEvent.INTAKE_ACCEPTED, report).outcome(Outcome.SUCCESS)
                .detail("package sha256 " + report.packageSha256() + " from " + report.module().orElseThrow().supplier()
                        + "; " + report.vectors().size() + " vector cases passed; worst call "
                        + t.worstNanos() / 1_000 + " us of a " + t.deadlineUs() + " us deadline (margin "
                        + t.marginPercent() + "%)")
                .build());
        List<AuditRecord> out = new java.util.ArrayList<>(List.of(accepted));
        firstOwner.ifPresent(o -> out.add(log.get().append(OwnershipAudit.recorded(o, actor).build())));
        AuditRecord signed = log.get().append(base(AuditEvent.RELEASE_COUNTERSIGNED, report).outcome(Outcome.SUCCESS)
                .detail("release sha256 " + report.releaseSha256().orElseThrow() + "; countersignature states "
                        + c.compiler() + " output sha256 " + c.sha256())
                .build());
        out.add(signed);
        return out;
    }

    /** Records a refusal (and a security event when it looks like an attack). */
    List<AuditRecord> rejected(IntakeReport report, RejectedException e) {
        if (log.isEmpty()) {
            return List.of();
        }
        String check = report.rejection().map(IntakeReport.Rejection::check).orElse("?");
        String detail = clip("package sha256 " + report.packageSha256() + ": check " + check + " refused it: "
                + e.getMessage());
        AuditRecord security = null;
        if (e.exitCode() == ExitCode.TRUST || SECURITY_POLICY.contains(e.reason().name())) {
            security = log.get().append(base(AuditEvent.SECURITY_EVENT, report).outcome(Outcome.REFUSED)
                    .cause(e.reason().name()).detail(detail).build());
        }
        AuditRecord rejected = log.get().append(base(AuditEvent.INTAKE_REJECTED, report).outcome(Outcome.REFUSED)
                .cause(e.reason().name()).detail(detail).build());
        return security == null ? List.of(rejected) : List.of(security, rejected);
    }

    private AuditRecord.Builder base(AuditEvent event, IntakeReport report) {
        AuditRecord.Builder b = AuditRecord.builder(event).actor(actor);
        report.module().ifPresent(m -> b.moduleId(m.id()).toVersion(m.version()).toWasmSha256(m.wasmSha256())
                .securityVersion(m.securityVersion()));
        for (CheckResult r : report.checks()) {
            if (r.status() != CheckResult.Status.NOT_RUN) {
                b.verification(r.check().label(), r.status() == CheckResult.Status.FAILED
                        ? "failed: " + report.rejection().map(IntakeReport.Rejection::reason).orElse("?")
                        : r.status().label());
            }
        }
        return b;
    }

    private static String clip(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }
}
