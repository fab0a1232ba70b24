package dev.wasmota.signing.pki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.error.TrustUpdateFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(TrustUpdateFailure.MALFORMED_TRUST_UPDATE)
            .maxBytes(MAX_BYTES)
            .unknownField((where, field) -> where + " has unknown field '" + field + "'")
            .missingFields((where, missing, expected) -> where + " misses fields " + missing)
            .notInteger((where, field) -> field + " is not an integer")
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
        StrictJson<RejectedException>.Obj root = JSON.read(bytes, "trust update").fields(FIELDS);
        if (!FORMAT.equals(root.text("format"))) {
            throw Revocation.malformed("format is not " + FORMAT);
        }
        long sequence = root.integer("sequence");
        TrustUpdate u = new TrustUpdate(sequence, root.time("issuedAt"), list(root, "revokedKeys"),
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

    private static List<Revocation> list(StrictJson<RejectedException>.Obj root, String field) {
        JsonNode a = root.array(field, Integer.MAX_VALUE);
        if (a.size() > TrustUpdate.MAX_ENTRIES) {
            throw Revocation.malformed("'" + field + "' has " + a.size() + " entries; at most " + TrustUpdate.MAX_ENTRIES);
        }
        List<Revocation> out = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            StrictJson<RejectedException>.Obj entry = JSON.object(e, "an entry of '" + field + "'").fields(ENTRY_FIELDS);
            out.add(new Revocation(entry.text("sha256"), entry.text("reason")));
        }
        return out;
    }
}
