package dev.wasmota.oem.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OEM's own offline list of known-vulnerable components (format {@value #FORMAT}), which
 * intake matches each SBOM's components against: by package URL when an entry gives one, else by
 * name and version. An entry's action refuses the package or flags the match in the report.
 *
 * <pre>{"format": "wasmota-vulnerable-components/1", "components": [
 *   {"purl": "pkg:cargo/heapless@0.7.0", "advisory": "RUSTSEC-2023-0084", "action": "refuse"},
 *   {"name": "libm", "version": "0.2.1", "advisory": "internal-17", "action": "flag"}]}</pre>
 */
public final class VulnerableComponents {
    public static final String FORMAT = "wasmota-vulnerable-components/1";
    /** Largest list file read. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    /** What a match does. */
    public enum Action {
        /** The package is refused. */
        REFUSE,
        /** The package passes; the match is named in the intake report. */
        FLAG
    }

    /** One listed component. */
    public record Entry(Optional<String> purl, Optional<String> name, Optional<String> version, String advisory,
                        Action action) {
        boolean matches(Sbom.Part p) {
            if (purl.isPresent()) {
                return p.purl().isPresent() && p.purl().get().equals(purl.get());
            }
            return p.name().equals(name.orElse(null)) && version.map(v -> p.version().equals(Optional.of(v))).orElse(true);
        }
    }

    /** A component of the SBOM that is on the list. */
    public record Match(Sbom.Part component, Entry entry) {
        /** {@code name@version (advisory)}. */
        public String describe() {
            return component.label() + " (" + entry.advisory() + ")";
        }
    }

    private final List<Entry> entries;

    private VulnerableComponents(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The empty list. */
    public static VulnerableComponents none() {
        return new VulnerableComponents(List.of());
    }

    /** Reads the list at {@code file}; refuses ({@link SbomFailure#MALFORMED_VULNERABLE_LIST}) one that is not the format. */
    public static VulnerableComponents load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(DurableFiles.readBounded(file, MAX_BYTES));
        } catch (IOException e) {
            throw bad(file + " cannot be read as JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.path("components").isArray()) {
            throw bad(file + " is not " + FORMAT + " with a components list");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : root.get("components")) {
            Optional<String> purl = text(e, "purl");
            Optional<String> name = text(e, "name");
            Optional<String> advisory = text(e, "advisory");
            String action = e.path("action").asText("");
            if ((purl.isEmpty() && name.isEmpty()) || advisory.isEmpty() || !(action.equals("refuse") || action.equals("flag"))) {
                throw bad(file + ": entry " + out.size() + " needs purl or name, an advisory, and action refuse or flag");
            }
            out.add(new Entry(purl, name, text(e, "version"), advisory.get(),
                    action.equals("refuse") ? Action.REFUSE : Action.FLAG));
        }
        return new VulnerableComponents(out);
    }

    /** Every component of {@code sbom} on the list, with the entry it matched, in the SBOM's order. */
    public List<Match> matches(Sbom sbom) {
        List<Match> out = new ArrayList<>();
        for (Sbom.Part p : sbom.components()) {
            for (Entry e : entries) {
                if (e.matches(p)) {
                    out.add(new Match(p, e));
                    break;
                }
            }
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    private static Optional<String> text(JsonNode e, String name) {
        JsonNode n = e.get(name);
        return n != null && n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(SbomFailure.MALFORMED_VULNERABLE_LIST, detail);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
