package dev.wasmota.oem.owner;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.CampaignDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The owner registry in the OEM database, shared by the command line and every worker: one row per
 * module holding its ownership as canonical JSON (the {@link FileModuleOwners} format with that one
 * module). A change locks the module's row ({@code SELECT ... FOR UPDATE}) and writes it in the same
 * transaction; two first claims of one module at once end with one owner, the other seeing it
 * (the loser's insert fails on the key and its claim runs again against the winner's row).
 */
public final class DatabaseModuleOwners implements ModuleOwners {
    /** The file registry of earlier versions once imported ({@link #importFile}). */
    public static final String IMPORTED = FileModuleOwners.FILE + ".imported";

    private final CampaignDatabase db;

    public DatabaseModuleOwners(CampaignDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    @Override
    public Optional<ModuleOwnership> find(String moduleId) {
        return db.transaction(c -> read(c, moduleId, false));
    }

    @Override
    public List<ModuleOwnership> list() {
        return db.transaction(c -> {
            List<ModuleOwnership> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT ownership FROM module_owner ORDER BY module_id");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(decode(rs.getString(1)));
                }
            }
            return out;
        });
    }

    @Override
    public Claim claim(String moduleId, String supplierId, long securityVersion, Instant at) {
        boolean[] first = {false};
        ModuleOwnership after = update(moduleId, at, current -> {
            first[0] = current.isEmpty();
            if (current.isEmpty()) {
                return ModuleOwnership.first(moduleId, supplierId, securityVersion, at);
            }
            current.get().requireAdmits(supplierId, securityVersion);
            return current.get().released(securityVersion);
        });
        return new Claim(after, first[0]);
    }

    @Override
    public ModuleOwnership transfer(ModuleTransfer t) {
        return update(t.moduleId(), t.at(), current -> {
            ModuleOwnership m = current.orElseThrow(() -> new RejectedException(OwnershipFailure.UNKNOWN_MODULE,
                    "module " + t.moduleId() + " has no owner yet: the first supplier whose package of it passes intake"
                            + " becomes its owner"));
            FileModuleOwners.requireTransferable(m, t);
            return m.transferred(t);
        });
    }

    /**
     * Imports the file registry of an OEM directory of an earlier version ({@value FileModuleOwners#FILE}),
     * if there is one: each module not in the database yet is inserted as the file has it (a module
     * both hold must agree, else the import is refused and nothing renamed); then the file is renamed
     * {@value #IMPORTED}. Returns how many modules were imported.
     */
    public int importFile(Path oemDir) {
        FileModuleOwners file = FileModuleOwners.in(oemDir);
        if (!Files.isRegularFile(file.file())) {
            return 0;
        }
        int n = 0;
        for (ModuleOwnership m : file.list()) {
            Optional<ModuleOwnership> existing = find(m.moduleId());
            if (existing.isPresent() && !existing.get().equals(m)) {
                throw new RejectedException(OwnershipFailure.MALFORMED_OWNER_REGISTRY, "module " + m.moduleId() + " has"
                        + " another owner in " + file.file() + " than in the OEM database; resolve it by hand before importing");
            }
            if (existing.isEmpty()) {
                update(m.moduleId(), m.since(), current -> current.orElse(m));
                n++;
            }
        }
        try {
            Files.move(file.file(), file.file().resolveSibling(IMPORTED), StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException raced) {
            // another process imported it at the same time
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename the imported registry " + file.file(), e);
        }
        return n;
    }

    /** Reads, changes and writes one module's row in one transaction; the change throws to leave it as it was. */
    private ModuleOwnership update(String moduleId, Instant at, Function<Optional<ModuleOwnership>, ModuleOwnership> change) {
        try {
            return db.transaction(c -> write(c, moduleId, at, change));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s && CampaignDatabase.isDuplicateKey(s)) {
                return db.transaction(c -> write(c, moduleId, at, change));
            }
            throw e;
        }
    }

    private static ModuleOwnership write(Connection c, String moduleId, Instant at,
                                         Function<Optional<ModuleOwnership>, ModuleOwnership> change) throws SQLException {
        Optional<ModuleOwnership> current = read(c, moduleId, true);
        ModuleOwnership after = change.apply(current);
        if (current.equals(Optional.of(after))) {
            return after;
        }
        String sql = current.isEmpty()
                ? "INSERT INTO module_owner (ownership, updated_at, module_id) VALUES (?, ?, ?)"
                : "UPDATE module_owner SET ownership = ?, updated_at = ? WHERE module_id = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, new String(OwnerRegistryCodec.bytes(List.of(after)), StandardCharsets.UTF_8));
            p.setObject(2, CampaignDatabase.time(at));
            p.setString(3, moduleId);
            p.executeUpdate();
        }
        return after;
    }

    private static Optional<ModuleOwnership> read(Connection c, String moduleId, boolean forUpdate) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT ownership FROM module_owner WHERE module_id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            p.setString(1, moduleId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(decode(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static ModuleOwnership decode(String json) {
        List<ModuleOwnership> one = OwnerRegistryCodec.parse(json.getBytes(StandardCharsets.UTF_8));
        if (one.size() != 1) {
            throw new RejectedException(OwnershipFailure.MALFORMED_OWNER_REGISTRY, "a module_owner row holds "
                    + one.size() + " modules, not one");
        }
        return one.get(0);
    }
}
