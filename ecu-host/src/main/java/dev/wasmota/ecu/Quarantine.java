package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.slots.SlotRecovery;
import java.io.PrintStream;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.contract.error.RejectedException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Modules whose stored state the host found damaged when it opened (a {@code state.json} or
 * {@code floor.json} it cannot read, an active slot below the floor): the host does not start them,
 * and every other module runs as usual. Each is logged as {@code QUARANTINED} with the damage as
 * its cause, and printed. A quarantined module stays so until a later open finds it sound (after a
 * repair by service, or an install that replaced the damaged state).
 */
final class Quarantine {
    /** Why one module is quarantined. */
    record Entry(String moduleId, String cause, String detail) {
    }

    private final HostAudit audit;
    private final PrintStream events;
    private final Map<String, Entry> entries = new TreeMap<>();

    Quarantine(HostAudit audit, PrintStream events) {
        this.audit = audit;
        this.events = events;
    }

    /** Quarantines {@code moduleId} (logged once per open); a second cause for the same module adds nothing. */
    synchronized void add(String moduleId, String cause, String detail) {
        if (entries.containsKey(moduleId)) {
            return;
        }
        entries.put(moduleId, new Entry(moduleId, cause, detail));
        audit.append(AuditRecord.builder(AuditEvent.QUARANTINED).moduleId(moduleId).actor(HostAudit.ACTOR)
                .outcome(Outcome.SUCCESS).cause(cause).detail(detail + "; the module is not started, the others run"));
        events.println("quarantined: " + moduleId + ": " + cause + ": " + detail);
    }

    /**
     * Quarantines the module of a recovery issue that makes its state untrustworthy: an unreadable
     * state or floor, or an active slot below the floor (a downgrade below the floor, also logged as
     * a {@code SECURITY_EVENT}). Returns whether it did; other issues are the caller's.
     */
    boolean takes(SlotRecovery.Issue issue) {
        switch (issue.kind()) {
            case STATE_UNREADABLE, FLOOR_UNREADABLE -> add(issue.moduleId(), issue.kind().name(), issue.detail());
            case ACTIVE_BELOW_FLOOR -> {
                audit.append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).moduleId(issue.moduleId())
                        .actor(HostAudit.ACTOR).outcome(Outcome.REFUSED).cause(issue.kind().name())
                        .detail("slot " + issue.slot() + ": " + issue.detail()));
                add(issue.moduleId(), issue.kind().name(), "slot " + issue.slot() + ": " + issue.detail());
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The module's state was replaced by a committed install: it is sound again. */
    synchronized void lift(String moduleId) {
        entries.remove(moduleId);
    }

    synchronized boolean contains(String moduleId) {
        return entries.containsKey(moduleId);
    }

    /** Every quarantined module: its id and {@code CAUSE: detail}. */
    synchronized Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((id, e) -> out.put(id, e.cause() + ": " + e.detail()));
        return Collections.unmodifiableMap(out);
    }

    /** The committed states of {@code slots}' modules, the quarantined left out; one whose state cannot be read is quarantined now. */
    List<ModuleState> readable(SlotStore slots) {
        List<ModuleState> out = new ArrayList<>();
        for (String id : slots.modules()) {
            if (contains(id)) {
                continue;
            }
            try {
                slots.state(id).ifPresent(out::add);
            } catch (RejectedException | UncheckedIOException e) {
                add(id, SlotRecovery.Kind.STATE_UNREADABLE.name(), e.getMessage());
            }
        }
        return out;
    }
}
