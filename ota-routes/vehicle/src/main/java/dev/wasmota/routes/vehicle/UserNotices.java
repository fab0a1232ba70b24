package dev.wasmota.routes.vehicle;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.protocol.wire.NoticeShown;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.UserNotice;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vehicle's user information (UN R156 7.1.2, issue 17) on its simulated HMI: an instruction's
 * notice (purpose, expected duration, functions unavailable) is shown once, before the update is
 * activated, and the outcome is told after; each is a {@link AuditEvent#USER_NOTIFIED} record in
 * the vehicle's log (cause {@code BEFORE} or {@code AFTER}) and an event line, and the status
 * report for the instruction states when it was shown and what the user was told
 * ({@link NoticeShown}).
 */
final class UserNotices {
    /** Most instructions remembered (oldest forgotten first). */
    static final int KEPT = 64;

    private record Shown(Instant at, Set<StatusReport.Result> told) {
    }

    private final AuditLog log;
    private final Clock clock;
    private final ServiceEvents events;
    private final Map<String, Shown> shown = new LinkedHashMap<>();

    UserNotices(AuditLog log, Clock clock, ServiceEvents events) {
        this.log = log;
        this.clock = clock;
        this.events = events;
    }

    /** Shows the instruction's notice, if it carries one and it was not shown before. */
    void showBefore(Instruction i) {
        if (i.notice().isEmpty()) {
            return;
        }
        synchronized (shown) {
            if (shown.containsKey(i.instructionId())) {
                return;
            }
            shown.put(i.instructionId(), new Shown(clock.instant(), new HashSet<>()));
            while (shown.size() > KEPT) {
                shown.remove(shown.keySet().iterator().next());
            }
        }
        UserNotice n = i.notice().get();
        log.append(record(i).cause("BEFORE").detail(n.text()).build());
        events.emit(clock, ServiceEvent.Kind.STATUS, "HMI " + i.campaignId() + "/" + i.instructionId() + ": " + n.text());
    }

    /**
     * What the user is told after the instruction came to {@code result}, recorded once per result,
     * for its status report; empty when its notice was not shown (none, or forgotten).
     */
    Optional<NoticeShown> tellAfter(Instruction i, StatusReport.Result result, String reason, String activeVersion) {
        Shown s;
        boolean first;
        synchronized (shown) {
            s = shown.get(i.instructionId());
            if (s == null) {
                return Optional.empty();
            }
            first = s.told().add(result);
        }
        String outcome = clip(outcome(i.moduleId(), result, reason, activeVersion));
        if (first) {
            log.append(record(i).cause("AFTER").detail(outcome).build());
            events.emit(clock, ServiceEvent.Kind.STATUS, "HMI " + i.campaignId() + "/" + i.instructionId() + ": " + outcome);
        }
        return Optional.of(new NoticeShown(s.at(), outcome));
    }

    static String outcome(String module, StatusReport.Result result, String reason, String activeVersion) {
        String active = activeVersion.isEmpty() ? "none" : activeVersion;
        return switch (result) {
            case COMMITTED -> "Update done: " + module + " " + active + " is active";
            case FAILED -> "Update not applied" + (reason.isEmpty() ? "" : " (" + reason + ")") + "; " + module + " "
                    + active + " unchanged";
            case ROLLED_BACK -> "Update undone" + (reason.isEmpty() ? "" : " (" + reason + ")") + "; back to " + module
                    + " " + active;
        };
    }

    private static AuditRecord.Builder record(Instruction i) {
        return AuditRecord.builder(AuditEvent.USER_NOTIFIED).actor("hmi").moduleId(i.moduleId()).campaignId(i.campaignId())
                .instructionId(i.instructionId()).outcome(AuditRecord.Outcome.SUCCESS);
    }

    private static String clip(String s) {
        return s.length() <= NoticeShown.MAX_OUTCOME ? s : s.substring(0, NoticeShown.MAX_OUTCOME - 1) + "…";
    }
}
