package dev.wasmota.oem.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * What the OEM requires of the evidence behind a release and a campaign, from {@value #FILE} in
 * the OEM directory (format {@value #FORMAT}): whether a campaign may start without an update
 * record (UN R156 §7.1.2), whether intake refuses a package without an SBOM, and the OEM's own
 * list of known-vulnerable components ({@code vulnerableComponents}, a file beside it, see
 * {@code oem.sbom.VulnerableComponents}). An OEM directory without the file keeps the behaviour of
 * the versions before it: neither is required, no list is consulted.
 *
 * @param updateRecordRequired a campaign without an update record does not start
 * @param sbomRequired intake refuses a package whose manifest names no SBOM
 * @param vulnerableComponents the known-vulnerable list, resolved against the OEM directory
 */
public record OemPolicy(boolean updateRecordRequired, boolean sbomRequired, Optional<Path> vulnerableComponents) {
    public static final String FILE = "policy.json";
    public static final String FORMAT = "wasmota-oem-policy/1";
    /** Neither an update record nor an SBOM required; no vulnerable list. */
    public static final OemPolicy LENIENT = new OemPolicy(false, false, Optional.empty());
    private static final Set<String> FIELDS = Set.of("format", "updateRecordRequired", "sbomRequired",
            "vulnerableComponents");
    /** Strict like every signed format: a duplicate key or trailing content is refused (which of two values would count is not guessed). */
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(PolicyFileFailure.MALFORMED_POLICY)
            .notJson((where, e) -> where + " is not JSON")
            .unknownField((where, field) -> where + " has an unknown field '"
                    + (field.length() > 40 ? field.substring(0, 40) : field) + "'")
            .build();

    /** The policy of {@code oemDir}, {@link #LENIENT} when it has no {@value #FILE}. */
    public static OemPolicy load(Path oemDir) {
        byte[] bytes;
        try {
            bytes = DurableFiles.readBounded(oemDir.resolve(FILE), 16 * 1024);
        } catch (NoSuchFileException e) {
            return LENIENT;
        } catch (IOException e) {
            throw refused("cannot read " + oemDir.resolve(FILE) + ": " + e.getMessage());
        }
        JsonNode root = JSON.tree(bytes, FILE);
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw refused(FILE + " is not a JSON object of format " + FORMAT);
        }
        JSON.object(root, FILE).known(FIELDS);
        Optional<Path> list = Optional.empty();
        if (root.hasNonNull("vulnerableComponents")) {
            if (!root.get("vulnerableComponents").isTextual()) {
                throw refused(FILE + ": vulnerableComponents is not a file name");
            }
            list = Optional.of(oemDir.resolve(root.get("vulnerableComponents").asText()));
            if (!Files.isRegularFile(list.get())) {
                throw refused(FILE + ": the vulnerable-components list " + list.get() + " does not exist");
            }
        }
        return new OemPolicy(flag(root, "updateRecordRequired"), flag(root, "sbomRequired"), list);
    }

    private static boolean flag(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw refused(FILE + ": " + name + " is not true or false");
        }
        return n.booleanValue();
    }

    private static RejectedException refused(String detail) {
        return new RejectedException(PolicyFileFailure.MALFORMED_POLICY, detail);
    }

    /** Why the policy file was refused. */
    public enum PolicyFileFailure implements dev.wasmota.contract.error.Reason {
        /** The policy file cannot be read or is not the format. */
        MALFORMED_POLICY;

        @Override
        public dev.wasmota.contract.error.ExitCode exitCode() {
            return dev.wasmota.contract.error.ExitCode.USAGE;
        }
    }
}
