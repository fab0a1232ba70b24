package dev.wasmota.audit;

/**
 * Where a party's audit records go, hash-chained: a vehicle's {@link AuditLog} file, or the OEM's
 * trail in its shared database. Code that only records (intake, dead letters, slow retrievals)
 * takes this, so the same code serves both.
 */
public interface AuditTrail {
    /**
     * Appends {@code record} to the end of the chain, assigning its seq, time, prevHash and hash,
     * and returns it as stored; it returns only once the record is durable.
     */
    AuditRecord append(AuditRecord record);
}
