package dev.wasmota.oem.evidence;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.CampaignDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * The security events of the OEM's audit trail ({@link SecurityEvents#isSecurityEvent}) counted by
 * kind for the fleet and per vehicle, for the metrics (UN R155 monitoring). Each {@link #refresh}
 * reads only the records appended since the last one, at most {@value #BATCH} at a time.
 */
public final class SecurityEventCounter {
    /** Most records read by one refresh. */
    public static final int BATCH = 10_000;

    private final CampaignDatabase db;
    private long lastSeq;
    private final Map<String, Integer> fleet = new TreeMap<>();
    private final Map<String, Map<String, Integer>> byVehicle = new TreeMap<>();

    public SecurityEventCounter(CampaignDatabase db) {
        this.db = db;
    }

    /** Counts the records appended since the last refresh; returns how many it read. */
    public synchronized int refresh() {
        return db.transaction(c -> {
            int read = 0;
            try (PreparedStatement p = c.prepareStatement("SELECT seq, line FROM audit_record WHERE seq > ? ORDER BY seq")) {
                p.setLong(1, lastSeq);
                p.setMaxRows(BATCH);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        AuditRecord r = AuditChain.decode(rs.getString(2).getBytes(StandardCharsets.UTF_8));
                        if (SecurityEvents.isSecurityEvent(r)) {
                            String kind = SecurityEvents.kind(r);
                            fleet.merge(kind, 1, Integer::sum);
                            byVehicle.computeIfAbsent(SecurityEvents.vehicle(r), v -> new TreeMap<>()).merge(kind, 1, Integer::sum);
                        }
                        lastSeq = rs.getLong(1);
                        read++;
                    }
                }
            }
            return read;
        });
    }

    /** Events by kind for the fleet, as last counted. */
    public synchronized Map<String, Integer> fleet() {
        return Map.copyOf(fleet);
    }

    /** Events by kind per vehicle ({@value SecurityEvents#FLEET_ONLY}: naming none), as last counted. */
    public synchronized Map<String, Map<String, Integer>> byVehicle() {
        Map<String, Map<String, Integer>> copy = new TreeMap<>();
        byVehicle.forEach((v, k) -> copy.put(v, Map.copyOf(k)));
        return copy;
    }
}
