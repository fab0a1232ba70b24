package dev.wasmota.oem.owner;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;

/** The OEM audit records of module ownership: the first owner recorded by intake, and each transfer. */
public final class OwnershipAudit {
    private OwnershipAudit() {
    }

    /** The intake accepted the first package of {@code m}'s module, so its supplier owns the module id. */
    public static AuditRecord.Builder recorded(ModuleOwnership m, String actor) {
        return AuditRecord.builder(AuditEvent.MODULE_OWNER_RECORDED).actor(actor).moduleId(m.moduleId())
                .securityVersion(m.highestSecurityVersion()).outcome(Outcome.SUCCESS)
                .detail("module " + m.moduleId() + " belongs to supplier " + m.supplierId() + " from its first release;"
                        + " packages of it from any other supplier are refused until the OEM transfers it");
    }

    /** The OEM transferred a module ({@code ota oem module transfer}). */
    public static AuditRecord.Builder transferred(ModuleTransfer t, String actor) {
        return AuditRecord.builder(AuditEvent.MODULE_OWNER_TRANSFERRED).actor(actor).moduleId(t.moduleId())
                .securityVersion(t.minSecurityVersion()).outcome(Outcome.SUCCESS)
                .detail("module " + t.moduleId() + " transferred from " + t.from() + " to " + t.to() + " at " + t.at()
                        + "; releases of " + t.to() + " start at security version " + t.minSecurityVersion() + "; " + t.from()
                        + " is refused from now on; signed with the OEM release key (signature " + t.signature()
                        + "); reason: " + t.reason());
    }
}
