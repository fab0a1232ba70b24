package dev.wasmota.signing.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The manifest's one wire form: RFC 8785 canonical JSON, UTF-8, format tag
 * {@value #FORMAT}. {@link #parse} accepts only bytes that are already canonical, with exactly the
 * known fields, so two different byte strings never mean the same manifest. Format 2 added the
 * resource caps ({@code resources}); a format-1 manifest is refused, naming the cause.
 */
public final class ManifestCodec {
    public static final String FORMAT = "wasmota-manifest/2";
    /** The format before resource caps: refused, since it bounds nothing but memory. */
    public static final String FORMAT_1 = "wasmota-manifest/1";
    /** Largest manifest accepted, checked before parsing. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final Set<String> REQUIRED = Set.of("format", "moduleId", "version", "securityVersion", "supplierId",
            "wasm", "exports", "capabilities", "memoryPages", "resources", "deadlineUs", "periodMs", "hardwareIds");
    private static final Set<String> RESOURCES = Set.of("tables", "tableElements", "globals", "dataSegments",
            "dataBytes", "elementSegments", "elementEntries");
    private static final Set<String> OPTIONAL = Set.of("sbomSha256");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(8).maxStringLength(MAX_BYTES).maxNumberLength(20).build());
    }

    private ManifestCodec() {
    }

    /** The canonical bytes of {@code m}; equal manifests give equal bytes. */
    public static byte[] canonicalBytes(Manifest m) {
        byte[] bytes;
        try {
            bytes = CanonicalJson.bytes(toJson(m));
        } catch (IllegalArgumentException e) {
            throw bad("manifest cannot be written canonically: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw bad("manifest would be " + bytes.length + " bytes, over the " + MAX_BYTES
                    + "-byte limit: too many or too long export names");
        }
        return bytes;
    }

    /** The manifest as a JSON tree (the canonical serializer sorts the members). */
    public static ObjectNode toJson(Manifest m) {
        ObjectNode o = NODES.objectNode();
        o.put("format", FORMAT);
        o.put("moduleId", m.moduleId());
        o.put("version", m.version());
        o.put("securityVersion", m.securityVersion());
        o.put("supplierId", m.supplierId());
        ObjectNode wasm = o.putObject("wasm");
        wasm.put("sha256", m.wasmSha256());
        wasm.put("length", m.wasmLength());
        ArrayNode exports = o.putArray("exports");
        for (Manifest.Export e : m.exports()) {
            ObjectNode x = exports.addObject();
            x.put("name", e.name());
            e.type().params().forEach(x.putArray("params")::add);
            e.type().results().forEach(x.putArray("results")::add);
        }
        m.capabilities().canonicalList().forEach(o.putArray("capabilities")::add);
        o.put("memoryPages", m.memoryPages());
        ObjectNode r = o.putObject("resources");
        r.put("tables", m.resources().tables());
        r.put("tableElements", m.resources().tableElements());
        r.put("globals", m.resources().globals());
        r.put("dataSegments", m.resources().dataSegments());
        r.put("dataBytes", m.resources().dataBytes());
        r.put("elementSegments", m.resources().elementSegments());
        r.put("elementEntries", m.resources().elementEntries());
        o.put("deadlineUs", m.deadlineUs());
        o.put("periodMs", m.periodMs());
        m.hardwareIds().forEach(o.putArray("hardwareIds")::add);
        m.sbomSha256().ifPresent(s -> o.put("sbomSha256", s));
        return o;
    }

    /**
     * Parses canonical manifest bytes. Call this only on bytes whose signature has been verified.
     *
     * @throws RejectedException {@link PolicyFailure#MALFORMED_MANIFEST} (or a capability reason)
     */
    public static Manifest parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw bad("manifest of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw bad("manifest is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw bad("manifest is not a JSON object");
        }
        if (root.get("format") != null && FORMAT_1.equals(root.get("format").textValue())) {
            throw bad("manifest format " + FORMAT_1 + " is no longer accepted: it caps memory only, not tables,"
                    + " globals or segments; package the module again (ota supplier package) to get " + FORMAT);
        }
        checkFields(root, REQUIRED, OPTIONAL, "manifest");
        if (!FORMAT.equals(text(root, "format"))) {
            throw bad("manifest format is not " + FORMAT);
        }
        JsonNode wasm = root.get("wasm");
        checkFields(wasm, Set.of("sha256", "length"), Set.of(), "wasm");
        Manifest m = new Manifest(
                text(root, "moduleId"),
                text(root, "version"),
                integer(root, "securityVersion"),
                text(root, "supplierId"),
                text(wasm, "sha256"),
                integer(wasm, "length"),
                exports(root.get("exports")),
                capabilities(root.get("capabilities")),
                (int) Math.min(integer(root, "memoryPages"), Integer.MAX_VALUE),
                resources(root.get("resources")),
                integer(root, "deadlineUs"),
                integer(root, "periodMs"),
                strings(root.get("hardwareIds"), "hardwareIds"),
                root.has("sbomSha256") ? Optional.of(text(root, "sbomSha256")) : Optional.empty());
        if (!CanonicalJson.isCanonical(bytes, root) || !CanonicalJson.isCanonical(bytes, toJson(m))) {
            throw bad("manifest bytes are not in canonical form (RFC 8785, sorted lists)");
        }
        return m;
    }

    private static List<Manifest.Export> exports(JsonNode node) {
        if (node == null || !node.isArray() || node.size() > Manifest.MAX_EXPORTS) {
            throw bad("exports is not an array of at most " + Manifest.MAX_EXPORTS);
        }
        List<Manifest.Export> out = new ArrayList<>(node.size());
        for (JsonNode e : node) {
            checkFields(e, Set.of("name", "params", "results"), Set.of(), "export");
            out.add(new Manifest.Export(text(e, "name"),
                    FunctionType.of(strings(e.get("params"), "params"), strings(e.get("results"), "results"))));
        }
        return out;
    }

    private static ResourceCaps resources(JsonNode node) {
        checkFields(node, RESOURCES, Set.of(), "resources");
        return new ResourceCaps(integer(node, "tables"), integer(node, "tableElements"), integer(node, "globals"),
                integer(node, "dataSegments"), integer(node, "dataBytes"), integer(node, "elementSegments"),
                integer(node, "elementEntries"));
    }

    private static CapabilitySet capabilities(JsonNode node) {
        List<Capability> out = new ArrayList<>();
        for (String s : strings(node, "capabilities")) {
            out.add(Capability.parse(s));
        }
        return new CapabilitySet(out);
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node == null || !node.isArray() || node.size() > Manifest.MAX_EXPORTS) {
            throw bad(field + " is not an array of strings");
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode s : node) {
            if (!s.isTextual()) {
                throw bad(field + " holds a non-string");
            }
            out.add(s.textValue());
        }
        return out;
    }

    private static void checkFields(JsonNode node, Set<String> required, Set<String> optional, String what) {
        if (node == null || !node.isObject()) {
            throw bad(what + " is not an object");
        }
        Set<String> seen = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!required.contains(f) && !optional.contains(f)) {
                throw bad("unknown field '" + f + "' in " + what);
            }
            seen.add(f);
        }
        for (String f : required) {
            if (!seen.contains(f)) {
                throw bad("missing field '" + f + "' in " + what);
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw bad("'" + field + "' is not a string");
        }
        return v.textValue();
    }

    private static long integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad("'" + field + "' is not an integer");
        }
        return v.longValue();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(PolicyFailure.MALFORMED_MANIFEST, detail);
    }
}
