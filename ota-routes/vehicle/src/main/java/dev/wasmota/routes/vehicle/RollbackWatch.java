package dev.wasmota.routes.vehicle;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
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
    /** Instructions whose package runs as a shadow, by module id: answered once the shadow is promoted or discarded. */
    private final Map<String, Instruction> shadows = new HashMap<>();
    /** Per watched module, the calls at which its committed answer is sent again with fresh health. */
    private final Map<String, Long> healthAt = new HashMap<>();
    /** The first health re-report comes after this many calls; each next one after twice as many. */
    static final long FIRST_HEALTH_REPORT_CALLS = 100;
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
        healthAt.put(moduleId, FIRST_HEALTH_REPORT_CALLS);
    }

    synchronized void shadowStarted(Instruction i, String moduleId) {
        shadows.put(moduleId, i);
    }

    /** Whether the instruction's package runs as a shadow now (a repeated delivery changes nothing). */
    synchronized boolean shadowing(String instructionId) {
        return shadows.values().stream().anyMatch(i -> i.instructionId().equals(instructionId));
    }

    /**
     * Signed reports of what became of each shadow that ended (COMMITTED when promoted, FAILED
     * {@code SHADOW_DISCARDED} with the reason and first disagreements), and ROLLED_BACK reports
     * for every watched module the host rolled back since its commit.
     */
    public synchronized List<byte[]> check() {
        adoptShadows();
        List<byte[]> reports = new ArrayList<>();
        for (var it = shadows.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            var shadow = host.shadow(e.getKey());
            if (shadow.isEmpty() || shadow.get().state() == dev.wasmota.ecu.ShadowReport.State.RUNNING) {
                continue;
            }
            var s = shadow.get();
            boolean promoted = s.state() == dev.wasmota.ecu.ShadowReport.State.PROMOTED;
            StatusReport r = reporter.report(e.getValue(), promoted ? StatusReport.Result.COMMITTED
                    : StatusReport.Result.FAILED, promoted ? "" : "SHADOW_DISCARDED", (promoted ? "promoted from shadow: "
                    : "shadow discarded, " + s.activeVersion() + " kept: ") + s.reason());
            events.emit(clock, ServiceEvent.Kind.STATUS, UpdateHandler.line(r));
            sent.keep(r, e.getValue().expiresAt());
            reports.add(SignedStatus.sign(r, credential));
            if (promoted) {
                committed(e.getValue(), e.getKey());
            }
            it.remove();
        }
        Map<String, Long> rollbacks = host.rollbacks();
        for (var it = watched.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (rollbacks.getOrDefault(e.getKey(), 0L) > e.getValue().rollbacksAtCommit()) {
                StatusReport r = reporter.report(e.getValue().instruction(), StatusReport.Result.ROLLED_BACK, "FAULT_THRESHOLD",
                        "the host rolled " + e.getKey() + " back by itself after faults");
                events.emit(clock, ServiceEvent.Kind.STATUS, UpdateHandler.line(r));
                sent.keep(r, e.getValue().instruction().expiresAt());
                reports.add(SignedStatus.sign(r, credential));
                it.remove();
                healthAt.remove(e.getKey());
            }
        }
        healthReports(reports);
        return reports;
    }

    /**
     * Watches every shadow the host runs for a campaign instruction, also those started before these
     * routes were (a vehicle whose connection was restarted while its shadow ran on), so its outcome
     * is answered whoever decides it: its rule or an operator's command; and those the vehicle's
     * restart ended (answered FAILED {@code SHADOW_DISCARDED}, the restart named).
     */
    synchronized void adoptShadows() {
        java.util.Map<String, byte[]> adopt = new java.util.TreeMap<>(host.takeShadowsEndedByRestart());
        adopt.putAll(host.shadowInstructions());
        for (var e : adopt.entrySet()) {
            if (!shadows.containsKey(e.getKey())) {
                try {
                    shadows.put(e.getKey(), SignedInstruction.open(e.getValue(), host.trust(), clock));
                } catch (RejectedException ignored) {
                    // it verified when the shadow started; under a newer trust update it does not: nothing to answer
                }
            }
        }
    }

    /**
     * The committed answer again, with the module's health, for each watched module whose calls
     * reached its next report (100, 200, 400, ... calls: a bounded number of messages however long
     * it runs), while its instruction is valid: what the OEM's health gate judges a wave by.
     */
    private void healthReports(List<byte[]> reports) {
        for (var e : watched.entrySet()) {
            String id = e.getKey();
            Long at = healthAt.get(id);
            var health = host.health(id);
            if (at == null || health.isEmpty() || health.get().calls() < at
                    || !clock.instant().isBefore(e.getValue().instruction().expiresAt())) {
                continue;
            }
            healthAt.put(id, Math.max(at * 2, health.get().calls()));
            StatusReport r = reporter.report(e.getValue().instruction(), StatusReport.Result.COMMITTED, "",
                    "running " + health.get().summary());
            sent.keep(r, e.getValue().instruction().expiresAt());
            reports.add(SignedStatus.sign(r, credential));
        }
    }
}
