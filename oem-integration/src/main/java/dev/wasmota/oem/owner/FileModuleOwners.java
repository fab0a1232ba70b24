package dev.wasmota.oem.owner;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The owner registry as one file in the OEM directory, {@value #FILE} (canonical JSON, written
 * whole, durably and atomically). Every change reads the file afresh under an exclusive lock:
 * a file lock for other processes ({@value #LOCK_FILE}) and a monitor per file for the threads of
 * this one, so intakes on several {@code oem serve} workers and the command line never lose an
 * update. Reads take no lock: the file is only ever replaced whole. I/O failures are thrown as
 * {@link UncheckedIOException}.
 */
public final class FileModuleOwners implements ModuleOwners {
    public static final String FILE = "module-owners.json";
    public static final String LOCK_FILE = "module-owners.lock";
    /** Most transfers of one module: what one countersignature carries to vehicles. */
    public static final int MAX_TRANSFERS = ReleaseAttributes.MAX_TRANSFERS;

    private static final Map<Path, Object> WRITERS = new ConcurrentHashMap<>();

    private final Path file;

    private FileModuleOwners(Path file) {
        this.file = file;
    }

    /** The registry of the OEM directory {@code oemDir}. */
    public static FileModuleOwners in(Path oemDir) {
        return new FileModuleOwners(oemDir.toAbsolutePath().normalize().resolve(FILE));
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<ModuleOwnership> find(String moduleId) {
        return read().stream().filter(m -> m.moduleId().equals(moduleId)).findFirst();
    }

    @Override
    public List<ModuleOwnership> list() {
        return read();
    }

    @Override
    public Claim claim(String moduleId, String supplierId, long securityVersion, Instant at) {
        boolean[] first = {false};
        ModuleOwnership after = update(moduleId, current -> {
            if (current.isEmpty()) {
                first[0] = true;
                return ModuleOwnership.first(moduleId, supplierId, securityVersion, at);
            }
            current.get().requireAdmits(supplierId, securityVersion);
            return current.get().released(securityVersion);
        });
        return new Claim(after, first[0]);
    }

    @Override
    public ModuleOwnership transfer(ModuleTransfer t) {
        return update(t.moduleId(), current -> {
            ModuleOwnership m = current.orElseThrow(() -> new RejectedException(OwnershipFailure.UNKNOWN_MODULE,
                    "module " + t.moduleId() + " has no owner yet: the first supplier whose package of it passes intake"
                            + " becomes its owner"));
            requireTransferable(m, t);
            return m.transferred(t);
        });
    }

    /** Refuses {@code t} unless it starts from the owner, goes elsewhere, and starts above every release so far. */
    static void requireTransferable(ModuleOwnership m, ModuleTransfer t) {
        if (!t.from().equals(m.supplierId())) {
            throw new RejectedException(OwnershipFailure.INVALID_TRANSFER, "module " + m.moduleId() + " belongs to "
                    + m.supplierId() + ", not to " + t.from() + " (it changed since the transfer was drafted: run it again)");
        }
        if (t.minSecurityVersion() <= m.highestSecurityVersion()) {
            throw new RejectedException(OwnershipFailure.INVALID_TRANSFER, "the transfer of " + m.moduleId()
                    + " must start above security version " + m.highestSecurityVersion() + ", the highest countersigned"
                    + " for it, not at " + t.minSecurityVersion());
        }
        if (m.transfers().size() >= MAX_TRANSFERS) {
            throw new RejectedException(OwnershipFailure.INVALID_TRANSFER, "module " + m.moduleId() + " was transferred "
                    + MAX_TRANSFERS + " times already, the most a release can carry to vehicles");
        }
    }

    /** Reads, changes and writes the registry under both locks; the change throws to leave it as it was. */
    private ModuleOwnership update(String moduleId, Function<Optional<ModuleOwnership>, ModuleOwnership> change) {
        synchronized (WRITERS.computeIfAbsent(file, f -> new Object())) {
            try {
                DurableFiles.createDirectories(file.getParent());
                try (FileChannel lock = FileChannel.open(file.resolveSibling(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = lock.lock()) {
                    List<ModuleOwnership> all = new ArrayList<>(read());
                    Optional<ModuleOwnership> current = all.stream().filter(m -> m.moduleId().equals(moduleId)).findFirst();
                    ModuleOwnership after = change.apply(current);
                    if (current.equals(Optional.of(after))) {
                        return after;
                    }
                    current.ifPresent(all::remove);
                    all.add(after);
                    all.sort(Comparator.comparing(ModuleOwnership::moduleId));
                    DurableFiles.writeAtomic(file, OwnerRegistryCodec.bytes(all));
                    return after;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot update the module owner registry " + file, e);
            }
        }
    }

    private List<ModuleOwnership> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return OwnerRegistryCodec.parse(DurableFiles.readBounded(file, OwnerRegistryCodec.MAX_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module owner registry " + file, e);
        }
    }
}
