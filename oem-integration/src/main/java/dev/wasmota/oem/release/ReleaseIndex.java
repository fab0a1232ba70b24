package dev.wasmota.oem.release;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.signing.manifest.Manifest;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
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
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
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
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw bad("not JSON");
        }
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

    private static Entry release(JsonNode n, int index) {
        String where = "release #" + index;
        if (!n.isObject()) {
            throw bad(where + " is not an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!REQUIRED.contains(f) && !OPTIONAL.contains(f)) {
                throw bad(where + " has unknown field '" + f + "'");
            }
        }
        String moduleId = text(n, "moduleId", where);
        String version = text(n, "version", where);
        try {
            new ReleaseId(moduleId, version);
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
        JsonNode sv = n.get("securityVersion");
        if (sv == null || !sv.isIntegralNumber() || !sv.canConvertToLong() || sv.longValue() < 0
                || sv.longValue() > Manifest.MAX_SECURITY_VERSION) {
            throw bad(where + ": 'securityVersion' is not an integer in 0.." + Manifest.MAX_SECURITY_VERSION);
        }
        String supplier = text(n, "supplierId", where);
        if (!Manifest.ID.matcher(supplier).matches()) {
            throw bad(where + ": 'supplierId' is not " + Manifest.ID.pattern());
        }
        String expected = moduleId + "/" + version + "/";
        String pkg = text(n, "package", where);
        if (!pkg.equals(expected + PACKAGE_FILE)) {
            throw bad(where + ": 'package' is not " + expected + PACKAGE_FILE);
        }
        Optional<String> report = n.has("report") ? Optional.of(text(n, "report", where)) : Optional.empty();
        if (report.isPresent() && !report.get().equals(expected + REPORT_FILE)) {
            throw bad(where + ": 'report' is not " + expected + REPORT_FILE);
        }
        Instant published;
        try {
            published = Instant.parse(text(n, "publishedAt", where));
        } catch (DateTimeParseException e) {
            throw bad(where + ": 'publishedAt' is not an ISO-8601 UTC time");
        }
        return new Entry(new Release(moduleId, version, sv.longValue(), supplier, digest(n, "wasmSha256", where),
                digest(n, "packageSha256", where), report.isPresent(), published), pkg, report);
    }

    private static String digest(JsonNode n, String field, String where) {
        String v = text(n, field, where);
        if (!Digests.SHA256_HEX.matcher(v).matches()) {
            throw bad(where + ": '" + field + "' is not 64 lowercase hex digits");
        }
        return v;
    }

    private static String text(JsonNode n, String field, String where) {
        String v = textOrNull(n.get(field));
        if (v == null) {
            throw bad(where + ": '" + field + "' is missing or not a string");
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
