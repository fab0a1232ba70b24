package dev.wasmota.ecu.slots;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link SlotStore#open} found and did: temp files of interrupted writes it removed, and
 * problems it left for the host to act on (fall back to the other committed slot, and log it).
 *
 * @param removedTempFiles temp files deleted, in the order found
 * @param issues problems found, one per module and slot
 */
public record SlotRecovery(List<Path> removedTempFiles, List<Issue> issues) {

    public SlotRecovery {
        removedTempFiles = List.copyOf(removedTempFiles);
        issues = List.copyOf(issues);
    }

    /** Whether open found nothing to clean and nothing wrong. */
    public boolean clean() {
        return removedTempFiles.isEmpty() && issues.isEmpty();
    }

    /** What kind of problem a module's state has after a crash or outside interference. */
    public enum Kind {
        /** {@code state.json} cannot be read; the module's committed state is unknown. */
        STATE_UNREADABLE,
        /** The active slot's package is missing or not the one committed; fall back to the previous slot. */
        ACTIVE_SLOT_BROKEN,
        /** The previous slot's package is missing or not the one committed; a rollback would be refused. */
        PREVIOUS_SLOT_BROKEN,
        /** The active slot's security version is below the module's anti-rollback floor. */
        ACTIVE_BELOW_FLOOR,
        /** {@code floor.json} cannot be read; every install and rollback of the module is refused. */
        FLOOR_UNREADABLE,
        /** An entry under {@code modules/} that is not a module directory; left untouched. */
        UNKNOWN_ENTRY
    }

    /**
     * One problem.
     *
     * @param moduleId the module, or the entry's name for {@link Kind#UNKNOWN_ENTRY}
     * @param kind what is wrong
     * @param slot the slot concerned, or null
     * @param detail a one-line explanation
     */
    public record Issue(String moduleId, Kind kind, Slot slot, String detail) {}
}
