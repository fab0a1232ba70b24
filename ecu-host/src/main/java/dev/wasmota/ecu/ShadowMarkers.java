package dev.wasmota.ecu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What survives of a running shadow when the vehicle restarts: a small file per instructed shadow
 * ({@code shadows/<module>.json}: the versions and the signed instruction that started it),
 * written durably when it starts and deleted when it is promoted or discarded. A shadow is not
 * resumed after a restart (its comparisons were of one run, on inputs and call times the restart
 * cut off): a marker found on opening names a shadow the restart ended, which the host concludes
 * as discarded and reports.
 */
final class ShadowMarkers {
    static final String DIR = "shadows";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 4 * SignedInstruction.MAX_FILE_BYTES;

    /** One shadow the host ran when it stopped. */
    record Marker(String moduleId, String activeVersion, String shadowVersion, byte[] instruction) {
    }

    private final Path dir;

    ShadowMarkers(Path stateDir) {
        this.dir = stateDir.resolve(DIR);
    }

    /** Records a shadow started by a campaign instruction; one started by hand leaves none. */
    void started(ShadowRun run) {
        if (run.ctx.instruction().isEmpty()) {
            return;
        }
        ObjectNode o = JSON.createObjectNode().put("moduleId", run.moduleId).put("activeVersion", run.activeVersion)
                .put("shadowVersion", run.shadowVersion)
                .put("instruction", Base64.getEncoder().encodeToString(run.ctx.instruction().get()));
        try {
            DurableFiles.createDirectories(dir);
            DurableFiles.writeAtomic(file(run.moduleId), CanonicalJson.bytes(o));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the shadow of " + run.moduleId, e);
        }
    }

    /** The shadow of {@code moduleId} ended (promoted or discarded): nothing to conclude after a restart. */
    void ended(String moduleId) {
        try {
            DurableFiles.deleteDurably(file(moduleId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the shadow record of " + moduleId, e);
        }
    }

    /** Every marker left by the last run; a damaged one is returned without its content (empty). */
    List<Optional<Marker>> left() {
        List<Optional<Marker>> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                out.add(read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /** Deletes every marker (after they were concluded). */
    void clear() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                DurableFiles.deleteDurably(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    private static Optional<Marker> read(Path f) {
        try {
            JsonNode n = JSON.readTree(DurableFiles.readBounded(f, MAX_BYTES));
            for (String field : List.of("moduleId", "activeVersion", "shadowVersion", "instruction")) {
                if (!n.path(field).isTextual()) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Marker(n.get("moduleId").textValue(), n.get("activeVersion").textValue(),
                    n.get("shadowVersion").textValue(), Base64.getDecoder().decode(n.get("instruction").textValue())));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Path file(String moduleId) {
        return dir.resolve(moduleId + ".json");
    }
}
