package dev.wasmota.signing.instruction;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/** The instruction's one wire form: RFC 8785 canonical JSON, format {@value #FORMAT}, times as ISO-8601 UTC seconds. */
public final class InstructionCodec {
    public static final String FORMAT = "wasmota-instruction/1";
    public static final int MAX_BYTES = 4096;

    private static final Set<String> FIELDS = Set.of("format", "instructionId", "campaignId", "vehicleId", "moduleId",
            "packageSha256", "counter", "issuedAt", "expiresAt", "nonce");
    /** The one optional field (issue 19): absent in an instruction to install at once. */
    private static final String SHADOW = "shadow";
    /** Optional (issue 17): the RXSWIN the vehicle runs once it commits; absent when the release changes none. */
    private static final String RXSWIN = "rxswin";
    /** Optional (issue 17): what the user is told before the update. */
    private static final String NOTICE = "notice";
    private static final Set<String> OPTIONAL = Set.of(SHADOW, RXSWIN, NOTICE);
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private InstructionCodec() {
    }

    public static byte[] canonicalBytes(Instruction i) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("instructionId", i.instructionId());
        o.put("campaignId", i.campaignId());
        o.put("vehicleId", i.vehicleId());
        o.put("moduleId", i.moduleId());
        o.put("packageSha256", i.packageSha256());
        o.put("counter", i.counter());
        o.put("issuedAt", i.issuedAt().toString());
        o.put("expiresAt", i.expiresAt().toString());
        o.put("nonce", i.nonce());
        i.shadow().ifPresent(sh -> o.set(SHADOW, sh.toJson()));
        i.rxswin().ifPresent(r -> o.put(RXSWIN, r));
        i.notice().ifPresent(n -> o.set(NOTICE, n.toJson()));
        return CanonicalJson.bytes(o);
    }

    /** Parses canonical instruction bytes; call only on bytes whose signature was verified. */
    public static Instruction parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw bad("instruction of " + bytes.length + " bytes exceeds " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw bad("instruction is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw bad("instruction is not a JSON object");
        }
        Set<String> seen = new TreeSet<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f) && !OPTIONAL.contains(f)) {
                throw bad("unknown field '" + f + "'");
            }
            if (!OPTIONAL.contains(f)) {
                seen.add(f);
            }
        }
        if (!seen.equals(FIELDS)) {
            throw bad("missing fields " + difference(FIELDS, seen));
        }
        if (!FORMAT.equals(text(root, "format"))) {
            throw bad("format is not " + FORMAT);
        }
        JsonNode counter = root.get("counter");
        if (!counter.isIntegralNumber() || !counter.canConvertToLong()) {
            throw bad("counter is not an integer");
        }
        Instruction i = new Instruction(text(root, "instructionId"), text(root, "campaignId"), text(root, "vehicleId"),
                text(root, "moduleId"), text(root, "packageSha256"), counter.longValue(), time(root, "issuedAt"),
                time(root, "expiresAt"), text(root, "nonce"),
                root.has(SHADOW) ? java.util.Optional.of(ShadowDelivery.fromJson(root.get(SHADOW))) : java.util.Optional.empty(),
                root.has(RXSWIN) ? java.util.Optional.of(text(root, RXSWIN)) : java.util.Optional.empty(),
                root.has(NOTICE) ? java.util.Optional.of(UserNotice.fromJson(root.get(NOTICE))) : java.util.Optional.empty());
        if (!java.util.Arrays.equals(bytes, canonicalBytes(i))) {
            throw bad("instruction bytes are not in canonical form");
        }
        return i;
    }

    private static Set<String> difference(Set<String> all, Set<String> seen) {
        Set<String> out = new TreeSet<>(all);
        out.removeAll(seen);
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad("'" + field + "' is not a string");
        }
        return v.textValue();
    }

    private static Instant time(JsonNode n, String field) {
        try {
            return Instant.parse(text(n, field));
        } catch (DateTimeParseException e) {
            throw bad("'" + field + "' is not an ISO-8601 UTC time");
        }
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(InstructionFailure.MALFORMED_INSTRUCTION, detail);
    }
}
