package dev.wasmota.ecu.slots;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.io.StorageFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The compiled classes of each slot's module, kept beside its package
 * ({@code modules/<id>/{A,B}/compiled.jar}) so a host can start it without compiling it again.
 * Written like the slot itself (temp file, fsync, rename, fsync of the directory; a crash leaves
 * the old file or the new one, and recovery removes the temp file). What is read back is not
 * trusted: the caller checks it against the OEM's countersigned digest of the compiled output
 * before anything is loaded from it.
 */
public final class CompiledClassStore {
    /** The file's name inside a slot directory. */
    public static final String FILE = "compiled.jar";

    private final SlotStore slots;
    private final StepHook hook;

    public CompiledClassStore(SlotStore slots, StepHook hook) {
        this.slots = Objects.requireNonNull(slots, "slots");
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * Keeps {@code jar} as the compiled classes of {@code slot}, replacing what was there. A
     * failed write removes the file, so no slot keeps the classes of the package staged before.
     *
     * @throws RejectedException {@link StorageFailure#STORAGE_FULL} when the disk is full
     * @throws UncheckedIOException on any other write failure
     */
    public void keep(String moduleId, Slot slot, byte[] jar) {
        Path file = file(moduleId, slot);
        try {
            Path temp = DurableFiles.writeTemp(file, jar);
            hook.reached("classes.temp-written");
            DurableFiles.moveIntoPlace(temp, file);
            hook.reached("classes.renamed");
        } catch (IOException e) {
            discardQuietly(file, e);
            if (DurableFiles.isNoSpace(e)) {
                throw new RejectedException(StorageFailure.STORAGE_FULL, "the disk is full: cannot keep the compiled"
                        + " classes of " + moduleId + " in slot " + slot, e);
            }
            throw new UncheckedIOException("cannot keep the compiled classes of " + moduleId + " in slot " + slot, e);
        }
    }

    /**
     * The classes kept for {@code slot}, if any, up to {@code maxBytes}.
     *
     * @throws UncheckedIOException when the file cannot be read or is over {@code maxBytes}
     */
    public Optional<byte[]> read(String moduleId, Slot slot, long maxBytes) {
        Path file = file(moduleId, slot);
        try {
            return Optional.of(DurableFiles.readBounded(file, maxBytes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RejectedException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    /** Removes the classes kept for {@code slot}, durably; whether there were any. */
    public boolean discard(String moduleId, Slot slot) {
        Path file = file(moduleId, slot);
        try {
            return DurableFiles.deleteDurably(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    /** Where the classes of {@code slot} are kept. */
    public Path file(String moduleId, Slot slot) {
        return slots.slotDir(ModuleIds.requireValid(moduleId), slot).resolve(FILE);
    }

    private static void discardQuietly(Path file, IOException cause) {
        try {
            DurableFiles.deleteDurably(file);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
