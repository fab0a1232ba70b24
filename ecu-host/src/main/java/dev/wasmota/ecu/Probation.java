package dev.wasmota.ecu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.slots.ModuleIds;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotMetadata;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The confirmation step after an update, as Android Verified Boot raises its rollback index only
 * once a slot is marked successful. A newly activated slot is on probation: the floor stays at the
 * lowest security version installed, so the host can still roll back to the previous slot by
 * itself. Once the slot has run for the fault window without a rollback, or is confirmed by hand,
 * the floor rises to its security version and its rollback target is refused from then on.
 *
 * <p>How long each active slot has served is kept durably in {@code STATE/probation/<id>.json}
 * (atomic replacement, like the slots), written every tenth of the probation and when the host
 * stops, so a restart resumes it; a crash loses at most that tenth, which only delays the
 * confirmation. A new slot activated (install, rollback) starts from zero.
 */
final class Probation {
    static final String DIR = "probation";
    private static final int MAX_FILE_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a module's active package has served, and how much of it is on disk. */
    private record Progress(String packageSha256, long servedMillis, long persistedMillis) {
    }

    private final Path dir;
    private final SlotStore slots;
    private final HostAudit audit;
    private final Duration required;
    private final Map<String, Progress> progress = new HashMap<>();

    Probation(HostConfig config, SlotStore slots, HostAudit audit) {
        this.dir = config.stateDir().resolve(DIR);
        this.slots = slots;
        this.audit = audit;
        this.required = config.faultWindow();
        try {
            DurableFiles.removeTempFiles(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }

    /** The module's confirmation state now. */
    synchronized ProbationStatus status(ModuleState state) {
        SlotMetadata active = state.activeMetadata();
        long floor = slots.floor(state.moduleId());
        Duration served = floor >= active.securityVersion() ? Duration.ZERO
                : Duration.ofMillis(current(state).servedMillis());
        return new ProbationStatus(state.moduleId(), active.version(), active.securityVersion(), floor, served, required);
    }

    /**
     * Counts {@code millis} more of running without a rollback for the module's active slot, and
     * confirms it once it has served the whole probation. Does nothing for a confirmed slot.
     */
    synchronized void served(ModuleState state, long millis) {
        if (status(state).confirmed()) {
            return;
        }
        Progress p = current(state);
        Progress now = new Progress(p.packageSha256(), p.servedMillis() + Math.max(0, millis), p.persistedMillis());
        progress.put(state.moduleId(), now);
        if (now.servedMillis() >= required.toMillis()) {
            confirm(state, HostAudit.ACTOR, "PROBATION_PASSED", "ran " + Duration.ofMillis(now.servedMillis()).toSeconds()
                    + " s without a rollback (probation " + required.toSeconds() + " s)");
        } else if (now.servedMillis() - now.persistedMillis() >= required.toMillis() / 10) {
            write(state.moduleId(), now);
        }
    }

    /** The probation of the module's active slot failed (its fault window tripped): it starts again from zero. */
    synchronized void failed(ModuleState state) {
        if (!status(state).confirmed()) {
            write(state.moduleId(), new Progress(state.activeMetadata().packageSha256(), 0, 0));
        }
    }

    /** A new slot of {@code moduleId} was activated: its probation starts from zero. */
    synchronized void restart(String moduleId) {
        progress.remove(moduleId);
        delete(moduleId);
    }

    /** Writes every progress not yet on disk (when the host stops). */
    synchronized void persist() {
        progress.forEach((id, p) -> {
            if (p.servedMillis() != p.persistedMillis()) {
                write(id, p);
            }
        });
    }

    /**
     * Confirms the module's active slot: raises the floor to its security version (durably), then
     * logs {@code CONFIRMED} and {@code FLOOR_RAISED}. A confirmed slot stays as it is.
     *
     * @return whether anything changed
     */
    synchronized boolean confirm(ModuleState state, String actor, String cause, String why) {
        String id = state.moduleId();
        SlotMetadata active = state.activeMetadata();
        long floor = slots.floor(id);
        if (floor >= active.securityVersion()) {
            return false;
        }
        slots.raiseFloor(id, active.securityVersion());
        String target = state.previousMetadata().map(p -> "; rollback target " + p.version() + " (security version "
                + p.securityVersion() + ")" + (p.securityVersion() < active.securityVersion() ? " is now below the floor" : ""))
                .orElse("");
        audit.append(AuditRecord.builder(AuditEvent.CONFIRMED).moduleId(id).toVersion(active.version())
                .toWasmSha256(active.wasmSha256()).securityVersion(active.securityVersion()).actor(actor)
                .outcome(Outcome.SUCCESS).cause(cause).detail("slot " + state.active() + " confirmed: " + why + target));
        audit.append(AuditRecord.builder(AuditEvent.FLOOR_RAISED).moduleId(id).actor(actor)
                .securityVersion(active.securityVersion()).outcome(Outcome.SUCCESS)
                .detail("floor " + floor + " -> " + active.securityVersion() + " (slot " + state.active() + " confirmed)"));
        restart(id);
        return true;
    }

    /**
     * Whether the floor stands at the active slot's security version, above its rollback target's,
     * with no {@code CONFIRMED} record for the active slot in {@code records}: a confirmation whose
     * record a crash cut off (the floor is raised first, then logged).
     */
    boolean confirmedUnlogged(ModuleState state, List<AuditRecord> records) {
        long sv = state.activeMetadata().securityVersion();
        if (state.previousMetadata().isEmpty() || state.previousMetadata().get().securityVersion() >= sv
                || slots.floor(state.moduleId()) < sv) {
            return false;
        }
        return records.stream().noneMatch(r -> r.event() == AuditEvent.CONFIRMED && r.outcome() == Outcome.SUCCESS
                && state.moduleId().equals(r.moduleId()) && state.activeMetadata().wasmSha256().equals(r.toWasmSha256()));
    }

    /** The progress of the module's active package: from memory, else from disk, else zero. */
    private Progress current(ModuleState state) {
        String sha = state.activeMetadata().packageSha256();
        Progress p = progress.get(state.moduleId());
        if (p == null) {
            p = read(state.moduleId());
            progress.put(state.moduleId(), p);
        }
        if (!sha.equals(p.packageSha256())) {
            p = new Progress(sha, 0, 0);
            progress.put(state.moduleId(), p);
        }
        return p;
    }

    private Progress read(String id) {
        Path file = file(id);
        try {
            JsonNode o = JSON.readTree(DurableFiles.readBounded(file, MAX_FILE_BYTES));
            if (o == null || !o.isObject() || o.size() != 3 || !id.equals(o.path("moduleId").asText(null))
                    || !o.path("packageSha256").isTextual() || !o.path("servedMillis").canConvertToLong()
                    || o.path("servedMillis").longValue() < 0) {
                throw new IOException("not a probation record of " + id);
            }
            long served = o.get("servedMillis").longValue();
            return new Progress(o.get("packageSha256").textValue(), served, served);
        } catch (NoSuchFileException e) {
            return new Progress("", 0, 0);
        } catch (IOException | RejectedException e) {
            audit.append(AuditRecord.builder(AuditEvent.RECOVERY).moduleId(id).actor(HostAudit.ACTOR)
                    .outcome(Outcome.SUCCESS).detail(file + " is unreadable (" + e.getMessage()
                            + "); the probation of the active slot starts again"));
            return new Progress("", 0, 0);
        }
    }

    private void write(String id, Progress p) {
        try {
            DurableFiles.createDirectories(dir);
            DurableFiles.writeAtomic(file(id), CanonicalJson.bytes(JSON.createObjectNode().put("moduleId", id)
                    .put("packageSha256", p.packageSha256()).put("servedMillis", p.servedMillis())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the probation of " + id, e);
        }
        progress.put(id, new Progress(p.packageSha256(), p.servedMillis(), p.servedMillis()));
    }

    private void delete(String id) {
        try {
            DurableFiles.deleteDurably(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the probation of " + id, e);
        }
    }

    private Path file(String id) {
        return dir.resolve(ModuleIds.requireValid(id) + ".json");
    }
}
