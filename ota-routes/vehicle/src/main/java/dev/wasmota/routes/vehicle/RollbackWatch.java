package dev.wasmota.routes.vehicle;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Notices when the ECU host rolled a module back by itself (faults over the threshold) after a
 * campaign installed it, and reports that instruction as {@code ROLLED_BACK}, once. What it
 * watches is held in memory: a vehicle restarted between commit and rollback reports nothing
 * (the OEM then still counts the commit).
 */
public final class RollbackWatch {
    private record Watched(Instruction instruction, long rollbacksAtCommit) {
    }

    private final EcuHost host;
    private final Credential credential;
    private final Clock clock;
    private final ServiceEvents events;
    private final Map<String, Watched> watched = new HashMap<>();
    private final SentStatuses sent;
    private UpdateHandler reporter;

    public RollbackWatch(EcuHost host, Credential credential, Clock clock, ServiceEvents events, SentStatuses sent) {
        this.host = host;
        this.credential = credential;
        this.clock = clock;
        this.events = events;
        this.sent = sent;
    }

    void reportWith(UpdateHandler handler) {
        this.reporter = handler;
    }

    synchronized void committed(Instruction i, String moduleId) {
        watched.put(moduleId, new Watched(i, host.rollbacks().getOrDefault(moduleId, 0L)));
    }

    /** Signed ROLLED_BACK reports for every watched module the host rolled back since its commit. */
    public synchronized List<byte[]> check() {
        Map<String, Long> rollbacks = host.rollbacks();
        List<byte[]> reports = new ArrayList<>();
        for (var it = watched.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (rollbacks.getOrDefault(e.getKey(), 0L) > e.getValue().rollbacksAtCommit()) {
                StatusReport r = reporter.report(e.getValue().instruction(), StatusReport.Result.ROLLED_BACK, "FAULT_THRESHOLD",
                        "the host rolled " + e.getKey() + " back by itself after faults");
                events.emit(clock, ServiceEvent.Kind.STATUS, UpdateHandler.line(r));
                sent.keep(r, e.getValue().instruction().expiresAt());
                reports.add(SignedStatus.sign(r, credential));
                it.remove();
            }
        }
        return reports;
    }
}
