package dev.wasmota.signing.pki;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The trust update's one wire form: RFC 8785 canonical JSON, format {@value #FORMAT}, the time as
 * ISO-8601 UTC, each revoked entry {@code {"reason": TEXT, "sha256": HEX}}, entries sorted.
 */
public final class TrustUpdateCodec {
    public static final String FORMAT = "wasmota-trust-update/1";
    /** Largest trust update JSON accepted, checked before parsing. */
    public static final int MAX_BYTES = 48 * 1024;

    private static final Set<String> FIELDS = Set.of("format", "sequence", "issuedAt", "revokedKeys", "revokedCertificates");
    private static final Set<String> ENTRY_FIELDS = Set.of("sha256", "reason");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private TrustUpdateCodec() {
    }

    public static byte[] canonicalBytes(TrustUpdate u) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("sequence", u.sequence());
        o.put("issuedAt", u.issuedAt().toString());
        o.set("revokedKeys", entries(u.revokedKeys()));
        o.set("revokedCertificates", entries(u.revokedCertificates()));
        return CanonicalJson.bytes(o);
    }

    /** Parses canonical trust update bytes; call only on bytes whose signature was verified. */
    public static TrustUpdate parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw Revocation.malformed("trust update of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw Revocation.malformed("trust update is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw Revocation.malformed("trust update is not a JSON object");
        }
        requireFields(root, FIELDS, "trust update");
        if (!FORMAT.equals(text(root, "format"))) {
            throw Revocation.malformed("format is not " + FORMAT);
        }
        JsonNode sequence = root.get("sequence");
        if (!sequence.isIntegralNumber() || !sequence.canConvertToLong()) {
            throw Revocation.malformed("sequence is not an integer");
        }
        TrustUpdate u = new TrustUpdate(sequence.longValue(), time(root, "issuedAt"), list(root, "revokedKeys"),
                list(root, "revokedCertificates"));
        if (!Arrays.equals(bytes, canonicalBytes(u))) {
            throw Revocation.malformed("trust update bytes are not in canonical form");
        }
        return u;
    }

    private static ArrayNode entries(List<Revocation> list) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Revocation r : list) {
            a.addObject().put("sha256", r.sha256()).put("reason", r.reason());
        }
        return a;
    }

    private static List<Revocation> list(JsonNode root, String field) {
        JsonNode a = root.get(field);
        if (!a.isArray()) {
            throw Revocation.malformed("'" + field + "' is not a list");
        }
        if (a.size() > TrustUpdate.MAX_ENTRIES) {
            throw Revocation.malformed("'" + field + "' has " + a.size() + " entries; at most " + TrustUpdate.MAX_ENTRIES);
        }
        List<Revocation> out = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            if (!e.isObject()) {
                throw Revocation.malformed("an entry of '" + field + "' is not an object");
            }
            requireFields(e, ENTRY_FIELDS, "an entry of '" + field + "'");
            out.add(new Revocation(text(e, "sha256"), text(e, "reason")));
        }
        return out;
    }

    private static void requireFields(JsonNode o, Set<String> fields, String what) {
        Set<String> seen = new TreeSet<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw Revocation.malformed(what + " has unknown field '" + f + "'");
            }
            seen.add(f);
        }
        if (!seen.equals(fields)) {
            Set<String> missing = new TreeSet<>(fields);
            missing.removeAll(seen);
            throw Revocation.malformed(what + " misses fields " + missing);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw Revocation.malformed("'" + field + "' is not a string");
        }
        return v.textValue();
    }

    private static Instant time(JsonNode n, String field) {
        try {
            return Instant.parse(text(n, field));
        } catch (DateTimeParseException e) {
            throw Revocation.malformed("'" + field + "' is not an ISO-8601 UTC time");
        }
    }
}
