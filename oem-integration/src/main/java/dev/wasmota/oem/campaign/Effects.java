package dev.wasmota.oem.campaign;

import dev.wasmota.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What a campaign transaction produced besides its rows: audit records and instructions, written
 * to the trail and the outbox before it commits, handed to the after-commit hook once it has.
 * Cleared when the transaction runs again.
 */
final class Effects {
    final List<AuditRecord> records = new ArrayList<>();
    final List<IssuedInstruction> issued = new ArrayList<>();
    /**
     * Where a batch of status reports sums its counter moves until it commits (null: each move goes
     * to the counters at once). The same counter row updated for every report of one transaction
     * makes PostgreSQL walk the row's versions at each update and read: quadratic in the batch.
     */
    WaveCounters.Tally counters;

    void clear() {
        records.clear();
        issued.clear();
    }
}
