package dev.wasmota.signing.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
    private static final Set<String> WASM = Set.of("sha256", "length");
    private static final Set<String> EXPORT = Set.of("name", "params", "results");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(PolicyFailure.MALFORMED_MANIFEST)
            .maxBytes(MAX_BYTES).maxNestingDepth(8).maxStringLength(MAX_BYTES).maxNumberLength(20)
            .notJson((where, e) -> where + " is not JSON: " + StrictJson.firstLine(e.getMessage()))
            .unknownField((where, field) -> "unknown field '" + field + "' in " + where)
            .missingFields((where, missing, expected) -> "missing field '" + missing.first() + "' in " + where)
            .notArray((where, field) -> field + (field.equals("exports") ? " is not an array of at most "
                    + Manifest.MAX_EXPORTS : " is not an array of strings"))
            .build();

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
        StrictJson<RejectedException>.Obj root = JSON.read(bytes, "manifest");
        JsonNode format = root.get("format");
        if (format != null && FORMAT_1.equals(format.textValue())) {
            throw bad("manifest format " + FORMAT_1 + " is no longer accepted: it caps memory only, not tables,"
                    + " globals or segments; package the module again (ota supplier package) to get " + FORMAT);
        }
        root.fields(REQUIRED, OPTIONAL);
        if (!FORMAT.equals(root.text("format"))) {
            throw bad("manifest format is not " + FORMAT);
        }
        StrictJson<RejectedException>.Obj wasm = JSON.object(root.get("wasm"), "wasm").fields(WASM);
        Manifest m = new Manifest(
                root.text("moduleId"),
                root.text("version"),
                root.integer("securityVersion"),
                root.text("supplierId"),
                wasm.text("sha256"),
                wasm.integer("length"),
                exports(root),
                capabilities(root),
                (int) Math.min(root.integer("memoryPages"), Integer.MAX_VALUE),
                resources(root.get("resources")),
                root.integer("deadlineUs"),
                root.integer("periodMs"),
                strings(root, "hardwareIds"),
                root.optionalText("sbomSha256"));
        if (!CanonicalJson.isCanonical(bytes, root.node()) || !CanonicalJson.isCanonical(bytes, toJson(m))) {
            throw bad("manifest bytes are not in canonical form (RFC 8785, sorted lists)");
        }
        return m;
    }

    private static List<Manifest.Export> exports(StrictJson<RejectedException>.Obj root) {
        JsonNode node = root.array("exports", Manifest.MAX_EXPORTS);
        List<Manifest.Export> out = new ArrayList<>(node.size());
        for (JsonNode n : node) {
            StrictJson<RejectedException>.Obj e = JSON.object(n, "export").fields(EXPORT);
            out.add(new Manifest.Export(e.text("name"), FunctionType.of(strings(e, "params"), strings(e, "results"))));
        }
        return out;
    }

    private static ResourceCaps resources(JsonNode node) {
        StrictJson<RejectedException>.Obj r = JSON.object(node, "resources").fields(RESOURCES);
        return new ResourceCaps(r.integer("tables"), r.integer("tableElements"), r.integer("globals"),
                r.integer("dataSegments"), r.integer("dataBytes"), r.integer("elementSegments"), r.integer("elementEntries"));
    }

    private static CapabilitySet capabilities(StrictJson<RejectedException>.Obj root) {
        List<Capability> out = new ArrayList<>();
        for (String s : strings(root, "capabilities")) {
            out.add(Capability.parse(s));
        }
        return new CapabilitySet(out);
    }

    private static List<String> strings(StrictJson<RejectedException>.Obj o, String field) {
        JsonNode node = o.array(field, Manifest.MAX_EXPORTS);
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode s : node) {
            if (!s.isTextual()) {
                throw bad(field + " holds a non-string");
            }
            out.add(s.textValue());
        }
        return out;
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(PolicyFailure.MALFORMED_MANIFEST, detail);
    }
}
