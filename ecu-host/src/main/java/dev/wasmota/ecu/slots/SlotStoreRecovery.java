package dev.wasmota.ecu.slots;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.ecu.slots.SlotRecovery.Issue;
import dev.wasmota.ecu.slots.SlotRecovery.Kind;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The checks {@link SlotStore#open} runs: clear temp files, then report each module's problems. */
final class SlotStoreRecovery {
    private final SlotStore store;
    private final List<Path> removed = new ArrayList<>();
    private final List<Issue> issues = new ArrayList<>();

    private SlotStoreRecovery(SlotStore store) {
        this.store = store;
    }

    static SlotRecovery run(SlotStore store) throws IOException {
        SlotStoreRecovery recovery = new SlotStoreRecovery(store);
        recovery.removed.addAll(DurableFiles.removeTempFiles(store.stateDir()));
        recovery.removed.addAll(DurableFiles.removeTempFiles(store.modulesDir()));
        for (Path entry : recovery.entries()) {
            try {
                recovery.check(entry);
            } catch (IOException e) {
                recovery.issues.add(new Issue(entry.getFileName().toString(), Kind.STATE_UNREADABLE, null,
                        "cannot read " + entry + ": " + e));
            }
        }
        return new SlotRecovery(recovery.removed, recovery.issues);
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> entries = Files.list(store.modulesDir())) {
            return entries.sorted().toList();
        }
    }

    private void check(Path entry) throws IOException {
        String name = entry.getFileName().toString();
        if (!ModuleIds.isValid(name) || !Files.isDirectory(entry)) {
            issues.add(new Issue(name, Kind.UNKNOWN_ENTRY, null, entry + " is not a module directory; left untouched"));
            return;
        }
        removed.addAll(DurableFiles.removeTempFiles(entry));
        for (Slot slot : Slot.values()) {
            removed.addAll(DurableFiles.removeTempFiles(entry.resolve(slot.name())));
        }
        Optional<Long> floor = floor(name);
        Optional<ModuleState> state;
        try {
            state = store.state(name);
        } catch (RejectedException | java.io.UncheckedIOException e) {
            issues.add(new Issue(name, Kind.STATE_UNREADABLE, null, e.getMessage()));
            return;
        }
        state.ifPresent(s -> checkSlots(s, floor));
    }

    private Optional<Long> floor(String id) {
        try {
            return Optional.of(store.floor(id));
        } catch (RejectedException | java.io.UncheckedIOException e) {
            issues.add(new Issue(id, Kind.FLOOR_UNREADABLE, null, e.getMessage()));
            return Optional.empty();
        }
    }

    private void checkSlots(ModuleState state, Optional<Long> floor) {
        String id = state.moduleId();
        intact(state, state.active(), Kind.ACTIVE_SLOT_BROKEN);
        if (state.previous() != null) {
            intact(state, state.previous(), Kind.PREVIOUS_SLOT_BROKEN);
        }
        long sv = state.activeMetadata().securityVersion();
        if (floor.isPresent() && sv < floor.get()) {
            issues.add(new Issue(id, Kind.ACTIVE_BELOW_FLOOR, state.active(),
                    "active security version " + sv + " is below the floor " + floor.get()));
        }
    }

    private void intact(ModuleState state, Slot slot, Kind kind) {
        try {
            store.requireIntact(state.moduleId(), slot, state.slots().get(slot));
        } catch (RejectedException e) {
            issues.add(new Issue(state.moduleId(), kind, slot, e.getMessage()));
        }
    }
}
