package dev.wasmota.oem.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.manifest.Manifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The release index file of the file release store of earlier versions, {@value #FORMAT}: RFC
 * 8785 canonical JSON holding every release in publication order,
 * {@code {"format":..., "releases":[{...}, ...]}}, each naming its package file (and report) relative
 * to the store's directory. Read once to bring those releases into the OEM database
 * ({@link LegacyReleases}).
 */
final class ReleaseIndex {
    static final String PACKAGE_FILE = "package" + dev.wasmota.signing.pkg.PackageFile.EXTENSION;
    static final String REPORT_FILE = "report.json";

    /** One release as the index lists it, with where its files lie. */
    record Entry(Release release, String packagePath, Optional<String> reportPath) {
    }

    static final String FORMAT = "wasmota-release-index/1";
    /** Largest index accepted, checked before parsing. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private static final Set<String> REQUIRED = Set.of("moduleId", "version", "securityVersion", "supplierId",
            "wasmSha256", "packageSha256", "package", "publishedAt");
    private static final Set<String> OPTIONAL = Set.of("report");
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(ReleaseFailure.MALFORMED_INDEX,
                    "release index: ")
            .notJson((where, e) -> "not JSON")
            .unknownField((where, field) -> where + " has unknown field '" + field + "'")
            .notString((where, field) -> where + ": '" + field + "' is missing or not a string")
            .notInteger((where, field) -> where + ": '" + field + "' is not an integer in 0.." + Manifest.MAX_SECURITY_VERSION)
            .notTime((where, field) -> where + ": '" + field + "' is not an ISO-8601 UTC time")
            .build();

    private ReleaseIndex() {
    }

    static byte[] bytes(List<Entry> releases) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("releases");
        for (Entry e : releases) {
            Release r = e.release();
            ObjectNode o = list.addObject();
            o.put("moduleId", r.moduleId());
            o.put("version", r.version());
            o.put("securityVersion", r.securityVersion());
            o.put("supplierId", r.supplierId());
            o.put("wasmSha256", r.wasmSha256());
            o.put("packageSha256", r.packageSha256());
            o.put("package", e.packagePath());
            e.reportPath().ifPresent(p -> o.put("report", p));
            o.put("publishedAt", r.publishedAt().toString());
        }
        return CanonicalJson.bytes(root);
    }

    static List<Entry> parse(byte[] bytes) {
        JsonNode root = JSON.tree(bytes, "release index");
        if (root == null || !root.isObject() || root.size() != 2 || !FORMAT.equals(textOrNull(root.get("format")))) {
            throw bad("not a " + FORMAT + " object with exactly 'format' and 'releases'");
        }
        JsonNode list = root.get("releases");
        if (list == null || !list.isArray()) {
            throw bad("'releases' is not a list");
        }
        List<Entry> out = new ArrayList<>(list.size());
        Set<ReleaseId> seen = new HashSet<>();
        for (JsonNode n : list) {
            Entry e = release(n, out.size());
            if (!seen.add(e.release().id())) {
                throw bad("release " + e.release().id() + " listed twice");
            }
            out.add(e);
        }
        return out;
    }

    private static Entry release(JsonNode node, int index) {
        String where = "release #" + index;
        StrictJson<RejectedException>.Obj n = JSON.object(node, where).known(REQUIRED, OPTIONAL);
        String moduleId = n.text("moduleId");
        String version = n.text("version");
        try {
            new ReleaseId(moduleId, version);
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
        long securityVersion = n.integer("securityVersion", 0, Manifest.MAX_SECURITY_VERSION);
        String supplier = n.text("supplierId");
        if (!Manifest.ID.matcher(supplier).matches()) {
            throw bad(where + ": 'supplierId' is not " + Manifest.ID.pattern());
        }
        String expected = moduleId + "/" + version + "/";
        String pkg = n.text("package");
        if (!pkg.equals(expected + PACKAGE_FILE)) {
            throw bad(where + ": 'package' is not " + expected + PACKAGE_FILE);
        }
        Optional<String> report = n.optionalText("report");
        if (report.isPresent() && !report.get().equals(expected + REPORT_FILE)) {
            throw bad(where + ": 'report' is not " + expected + REPORT_FILE);
        }
        Instant published = n.time("publishedAt");
        return new Entry(new Release(moduleId, version, securityVersion, supplier, digest(n, "wasmSha256"),
                digest(n, "packageSha256"), report.isPresent(), published), pkg, report);
    }

    private static String digest(StrictJson<RejectedException>.Obj n, String field) {
        String v = n.text(field);
        if (!Digests.SHA256_HEX.matcher(v).matches()) {
            throw bad(n.where() + ": '" + field + "' is not 64 lowercase hex digits");
        }
        return v;
    }

    private static String textOrNull(JsonNode v) {
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(ReleaseFailure.MALFORMED_INDEX, "release index: " + detail);
    }
}
