package dev.wasmota.oem.campaign;

import dev.wasmota.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;

/** What a campaign transaction leaves to do once it has committed: audit records to append, instructions to deliver. */
final class Effects {
    final List<AuditRecord> records = new ArrayList<>();
    final List<IssuedInstruction> issued = new ArrayList<>();
}
