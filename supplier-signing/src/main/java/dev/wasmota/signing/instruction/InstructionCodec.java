package dev.wasmota.signing.instruction;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

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
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(InstructionFailure.MALFORMED_INSTRUCTION)
            .maxBytes(MAX_BYTES).notInteger((where, field) -> field + " is not an integer").build();

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
        StrictJson<RejectedException>.Obj root = JSON.read(bytes, "instruction").fields(FIELDS, OPTIONAL);
        if (!FORMAT.equals(root.text("format"))) {
            throw bad("format is not " + FORMAT);
        }
        long counter = root.integer("counter");
        Instruction i = new Instruction(root.text("instructionId"), root.text("campaignId"), root.text("vehicleId"),
                root.text("moduleId"), root.text("packageSha256"), counter, root.time("issuedAt"), root.time("expiresAt"),
                root.text("nonce"),
                root.has(SHADOW) ? Optional.of(ShadowDelivery.fromJson(root.get(SHADOW))) : Optional.empty(),
                root.optionalText(RXSWIN),
                root.has(NOTICE) ? Optional.of(UserNotice.fromJson(root.get(NOTICE))) : Optional.empty());
        if (!Arrays.equals(bytes, canonicalBytes(i))) {
            throw bad("instruction bytes are not in canonical form");
        }
        return i;
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(InstructionFailure.MALFORMED_INSTRUCTION, detail);
    }
}
