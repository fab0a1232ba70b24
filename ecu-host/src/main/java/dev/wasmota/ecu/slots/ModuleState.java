package dev.wasmota.ecu.slots;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The committed state of one module ({@code state.json}): which slot runs, which one a rollback
 * would return to, and the metadata of exactly those slots.
 *
 * @param moduleId the module
 * @param active the slot that runs
 * @param previous the slot a rollback activates, or null when there is none
 * @param slots metadata of {@code active} and, if set, {@code previous}; no other slot
 */
public record ModuleState(String moduleId, Slot active, Slot previous, Map<Slot, SlotMetadata> slots) {

    public ModuleState {
        ModuleIds.requireValid(moduleId);
        Objects.requireNonNull(active, "active");
        if (active == previous) {
            throw new IllegalArgumentException("previous slot must differ from the active one");
        }
        EnumMap<Slot, SlotMetadata> copy = new EnumMap<>(Slot.class);
        copy.putAll(slots);
        if (!copy.containsKey(active) || (previous != null) != copy.containsKey(active.other())) {
            throw new IllegalArgumentException("slots must hold metadata for exactly the active and previous slots");
        }
        slots = Collections.unmodifiableMap(copy);
    }

    /** Metadata of the active slot. */
    public SlotMetadata activeMetadata() {
        return slots.get(active);
    }

    /** Metadata of the previous slot, if there is one. */
    public Optional<SlotMetadata> previousMetadata() {
        return previous == null ? Optional.empty() : Optional.of(slots.get(previous));
    }
}
