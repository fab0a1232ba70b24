package dev.wasmota.ecu.slots;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.io.StorageFailure;
import dev.wasmota.ecu.slots.StateCodec.MalformedStateException;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-module A/B slots under a state directory, with an anti-rollback floor per module. Every
 * change is a durable atomic file replacement, so after a crash at any point each module is
 * either in its old or its new committed state, never a mix; staging writes only the inactive
 * slot and never touches what runs. Layout under {@code stateDir}:
 *
 * <pre>
 * modules/&lt;moduleId&gt;/state.json          committed state: active, previous, their metadata
 * modules/&lt;moduleId&gt;/floor.json          security-version floor (absent = 0)
 * modules/&lt;moduleId&gt;/{A,B}/package.wotapkg  the package in the slot
 * modules/&lt;moduleId&gt;/{A,B}/slot.json        metadata of the package staged there
 * </pre>
 *
 * Methods are thread-safe; one process at a time should own a state directory.
 */
public final class SlotStore {
    /** The largest package a slot accepts. */
    public static final long MAX_PACKAGE_BYTES = 64L * 1024 * 1024;
    /** The package file's name inside a slot directory. */
    public static final String PACKAGE_FILE = "package.wotapkg";

    /**
     * Slots this store staged itself since it was opened, with the digest of the bytes it wrote
     * and forced to disk from memory: committing one of them need not read the package back.
     * A slot staged by an earlier process is re-read and re-hashed at commit.
     */
    private final Map<String, String> stagedHere = new java.util.HashMap<>();

    private static final long MAX_STATE_BYTES = 64 * 1024;
    private static final String STATE_FILE = "state.json";
    private static final String FLOOR_FILE = "floor.json";
    private static final String STAGED_FILE = "slot.json";

    private final Path stateDir;
    private final Path modulesDir;
    private final StepHook hook;
    private final SlotRecovery recovery;

    private SlotStore(Path stateDir, StepHook hook) throws IOException {
        this.stateDir = stateDir;
        this.modulesDir = stateDir.resolve("modules");
        this.hook = hook;
        DurableFiles.createDirectories(modulesDir);
        this.recovery = SlotStoreRecovery.run(this);
    }

    /** Opens the store at {@code stateDir}, creating it if absent, and recovers from any crash; see {@link #recovery()}. */
    public static SlotStore open(Path stateDir) {
        return open(stateDir, StepHook.NONE);
    }

    /** As {@link #open(Path)}, calling {@code hook} at each durable step (see {@link StepHook}). */
    public static SlotStore open(Path stateDir, StepHook hook) {
        try {
            return new SlotStore(stateDir.toAbsolutePath().normalize(), Objects.requireNonNull(hook, "hook"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open slot store " + stateDir, e);
        }
    }

    /** What opening the store cleaned up and found wrong. */
    public SlotRecovery recovery() {
        return recovery;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Ids of the modules with a committed install, sorted. */
    public synchronized List<String> modules() {
        try (Stream<Path> entries = Files.list(modulesDir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(ModuleIds::isValid)
                    .filter(id -> Files.isRegularFile(moduleDir(id).resolve(STATE_FILE)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + modulesDir, e);
        }
    }

    /** The committed state of {@code moduleId}, empty if it was never committed. */
    public synchronized Optional<ModuleState> state(String moduleId) {
        String id = ModuleIds.requireValid(moduleId);
        Path file = moduleDir(id).resolve(STATE_FILE);
        return readSmall(file).map(json -> decode(file, () -> StateCodec.decodeState(json, id)));
    }

    /** The slot that runs, empty if the module was never committed. */
    public synchronized Optional<Slot> activeSlot(String moduleId) {
        return state(moduleId).map(ModuleState::active);
    }

    /** The slot the next install of {@code moduleId} is staged into. */
    public synchronized Slot inactiveSlot(String moduleId) {
        return activeSlot(moduleId).map(Slot::other).orElse(Slot.A);
    }

    /** Metadata of the package staged in {@code slot}, empty if the slot holds no complete stage. */
    public synchronized Optional<SlotMetadata> staged(String moduleId, Slot slot) {
        String id = ModuleIds.requireValid(moduleId);
        Path file = slotDir(id, slot).resolve(STAGED_FILE);
        return readSmall(file).map(json -> decode(file, () -> StateCodec.decodeStaged(json, id, slot)));
    }

    /**
     * Writes {@code packageBytes} durably into the inactive slot and returns that slot. The active
     * slot is never touched; if the inactive slot held the rollback target, the state first
     * forgets it (durably) so a crash can never leave a rollback pointing at a half-written slot.
     */
    public synchronized Slot stage(String moduleId, byte[] packageBytes, SlotMetadata metadata) {
        String id = ModuleIds.requireValid(moduleId);
        if (packageBytes.length > MAX_PACKAGE_BYTES) {
            throw new RejectedException(SlotFailure.PACKAGE_TOO_LARGE,
                    "package of " + packageBytes.length + " bytes exceeds " + MAX_PACKAGE_BYTES);
        }
        if (!SlotMetadata.sha256Hex(packageBytes).equals(metadata.packageSha256())) {
            throw new RejectedException(SlotFailure.PACKAGE_DIGEST_MISMATCH,
                    "package bytes do not have the packageSha256 given for " + id + " " + metadata.version());
        }
        requireAtOrAboveFloor(id, metadata, "stage");
        Optional<ModuleState> state = state(id);
        Slot target = state.map(s -> s.active().other()).orElse(Slot.A);
        Path dir = slotDir(id, target);
        try {
            DurableFiles.createDirectories(dir);
            if (state.isPresent() && state.get().previous() == target) {
                ModuleState s = state.get();
                ModuleState released = new ModuleState(id, s.active(), null, Map.of(s.active(), s.activeMetadata()));
                replace(moduleDir(id).resolve(STATE_FILE), StateCodec.encodeState(released), "stage.release-previous");
            }
            DurableFiles.deleteDurably(dir.resolve(STAGED_FILE));
            hook.reached("stage.metadata-cleared");
            replace(dir.resolve(PACKAGE_FILE), packageBytes, "stage.package");
            replace(dir.resolve(STAGED_FILE), StateCodec.encodeStaged(id, target, metadata), "stage.metadata");
        } catch (IOException e) {
            throw writeFailure(e, "cannot stage " + id + " " + metadata.version() + " (" + packageBytes.length
                    + " bytes) into slot " + target);
        }
        stagedHere.put(id + "/" + target, metadata.packageSha256());
        hook.reached("stage.written");
        return target;
    }

    /**
     * Makes the package staged in {@code slot} the active one, the old active slot becoming the
     * previous one, in one atomic durable switch of {@code state.json}. Returns the new state;
     * committing the slot that is already active changes nothing.
     */
    public synchronized ModuleState commit(String moduleId, Slot slot) {
        String id = ModuleIds.requireValid(moduleId);
        Optional<ModuleState> state = state(id);
        if (state.isPresent() && state.get().active() == slot) {
            return state.get();
        }
        SlotMetadata metadata = staged(id, slot).orElseThrow(() -> new RejectedException(SlotFailure.EMPTY_SLOT,
                "slot " + slot + " of " + id + " holds no staged package"));
        if (!metadata.packageSha256().equals(stagedHere.remove(id + "/" + slot))) {
            requireIntact(id, slot, metadata);
        }
        requireAtOrAboveFloor(id, metadata, "commit");
        Map<Slot, SlotMetadata> slots = new EnumMap<>(Slot.class);
        slots.put(slot, metadata);
        state.ifPresent(s -> slots.put(s.active(), s.activeMetadata()));
        ModuleState committed = new ModuleState(id, slot, state.map(ModuleState::active).orElse(null), slots);
        writeState(committed, "commit");
        return committed;
    }

    /**
     * Reactivates the previous slot and returns the new state, which has no previous slot (the
     * slot left behind is not a rollback target). Refused when there is no previous slot, when
     * its package is not intact, or when it is below the anti-rollback floor.
     */
    public synchronized ModuleState rollback(String moduleId) {
        String id = ModuleIds.requireValid(moduleId);
        ModuleState state = state(id).orElseThrow(() -> new RejectedException(SlotFailure.NOT_INSTALLED,
                "module " + id + " has never been installed"));
        if (state.previous() == null) {
            throw new RejectedException(SlotFailure.NO_PREVIOUS_SLOT,
                    "module " + id + " has no previous slot to roll back to (active " + state.active() + ", version "
                            + state.activeMetadata().version() + ")");
        }
        SlotMetadata previous = state.previousMetadata().orElseThrow();
        requireIntact(id, state.previous(), previous);
        requireAtOrAboveFloor(id, previous, "roll back to");
        ModuleState rolledBack = new ModuleState(id, state.previous(), null, Map.of(state.previous(), previous));
        writeState(rolledBack, "rollback");
        return rolledBack;
    }

    /**
     * The package in {@code slot}, checked against its recorded SHA-256 (committed metadata when
     * the slot is committed, else the staged metadata). Refused if absent, too large or altered.
     */
    public synchronized byte[] read(String moduleId, Slot slot) {
        String id = ModuleIds.requireValid(moduleId);
        Optional<SlotMetadata> committed = state(id).map(s -> s.slots().get(slot));
        SlotMetadata metadata = committed.or(() -> staged(id, slot)).orElseThrow(() -> new RejectedException(
                SlotFailure.EMPTY_SLOT, "slot " + slot + " of " + id + " holds no package"));
        return requireIntact(id, slot, metadata);
    }

    /** The anti-rollback security-version floor of {@code moduleId}; 0 until first raised. */
    public synchronized long floor(String moduleId) {
        String id = ModuleIds.requireValid(moduleId);
        Path file = moduleDir(id).resolve(FLOOR_FILE);
        return readSmall(file).map(json -> decode(file, () -> StateCodec.decodeFloor(json, id))).orElse(0L);
    }

    /**
     * Raises the floor of {@code moduleId} to {@code securityVersion}, durably. Raising to the
     * current value changes nothing; lowering is refused with {@link SlotFailure#FLOOR_LOWERING}.
     */
    public synchronized void raiseFloor(String moduleId, long securityVersion) {
        String id = ModuleIds.requireValid(moduleId);
        long current = floor(id);
        if (securityVersion < current) {
            throw new RejectedException(SlotFailure.FLOOR_LOWERING,
                    "the security-version floor of " + id + " is " + current + "; it cannot go down to " + securityVersion);
        }
        if (securityVersion == current) {
            return;
        }
        try {
            DurableFiles.createDirectories(moduleDir(id));
            replace(moduleDir(id).resolve(FLOOR_FILE), StateCodec.encodeFloor(id, securityVersion), "floor");
        } catch (IOException e) {
            throw writeFailure(e, "cannot raise the floor of " + id);
        }
    }

    Path modulesDir() {
        return modulesDir;
    }

    Path moduleDir(String id) {
        Path dir = modulesDir.resolve(id).normalize();
        if (!modulesDir.equals(dir.getParent())) {
            throw new RejectedException(SlotFailure.INVALID_MODULE_ID, "module id '" + id + "' leaves the store");
        }
        return dir;
    }

    Path slotDir(String id, Slot slot) {
        return moduleDir(id).resolve(slot.name());
    }

    /** The package bytes, if they are present and have the recorded SHA-256. */
    byte[] requireIntact(String id, Slot slot, SlotMetadata metadata) {
        Path file = slotDir(id, slot).resolve(PACKAGE_FILE);
        byte[] bytes;
        try {
            bytes = DurableFiles.readBounded(file, MAX_PACKAGE_BYTES);
        } catch (NoSuchFileException e) {
            throw new RejectedException(SlotFailure.SLOT_CORRUPT, "slot " + slot + " of " + id + " has no package file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!SlotMetadata.sha256Hex(bytes).equals(metadata.packageSha256())) {
            throw new RejectedException(SlotFailure.SLOT_CORRUPT, "slot " + slot + " of " + id
                    + " does not hold the package recorded for version " + metadata.version());
        }
        return bytes;
    }

    private void requireAtOrAboveFloor(String id, SlotMetadata metadata, String action) {
        long floor = floor(id);
        if (metadata.securityVersion() < floor) {
            throw new RejectedException(SlotFailure.BELOW_FLOOR, "refused to " + action + " " + id + " "
                    + metadata.version() + ": security version " + metadata.securityVersion()
                    + " is below the floor " + floor);
        }
    }

    private void writeState(ModuleState state, String step) {
        try {
            replace(moduleDir(state.moduleId()).resolve(STATE_FILE), StateCodec.encodeState(state), step);
        } catch (IOException e) {
            throw writeFailure(e, "cannot write the state of " + state.moduleId());
        }
    }

    /**
     * A failed durable write as thrown to the caller: a full disk is a refusal with its own
     * reason ({@link StorageFailure#STORAGE_FULL}), and so is one that takes no writes
     * ({@link StorageFailure#STORAGE_READ_ONLY}); the committed state is unchanged either way,
     * since every write goes to a temp file that is removed when it fails.
     */
    private static RuntimeException writeFailure(IOException e, String what) {
        if (DurableFiles.isNoSpace(e)) {
            return new RejectedException(StorageFailure.STORAGE_FULL, "the disk is full: " + what
                    + "; the active slot is unchanged", e);
        }
        if (DurableFiles.isWriteRefused(e)) {
            return new RejectedException(StorageFailure.STORAGE_READ_ONLY, what + ": the file system takes no writes ("
                    + e.getMessage() + "); the active slot is unchanged", e);
        }
        return new UncheckedIOException(what, e);
    }

    private void replace(Path target, byte[] data, String step) throws IOException {
        Path temp = DurableFiles.writeTemp(target, data);
        hook.reached(step + ".temp-written");
        DurableFiles.moveIntoPlace(temp, target);
        hook.reached(step + ".renamed");
    }

    private static Optional<byte[]> readSmall(Path file) {
        try {
            return Optional.of(DurableFiles.readBounded(file, MAX_STATE_BYTES));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (RejectedException e) {
            throw new RejectedException(SlotFailure.STATE_UNREADABLE, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private interface Decoder<T> {
        T decode() throws MalformedStateException;
    }

    private static <T> T decode(Path file, Decoder<T> decoder) {
        try {
            return decoder.decode();
        } catch (MalformedStateException e) {
            throw new RejectedException(SlotFailure.STATE_UNREADABLE, file + ": " + e.getMessage());
        }
    }
}
