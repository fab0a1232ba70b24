package dev.wasmota.signing.instruction;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.manifest.Manifest;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * An operator's decision about a shadow run, for one vehicle (issue 19): promote the release
 * that runs as a shadow beside the active version, or discard it, now. Signed by the OEM's
 * campaign key like the instruction that started the shadow ({@link SignedShadowCommand}), and
 * bound to that instruction: it acts only on the shadow run {@code instructionId} started on
 * {@code vehicleId}, while that run is still running, so once carried out (or once the shadow's
 * own rule decided) a replay of it finds nothing to act on and is refused. Wire form: canonical
 * JSON of format {@value #FORMAT}, times as ISO-8601 UTC seconds.
 *
 * @param commandId unique id of this command
 * @param campaignId the campaign whose shadow it decides
 * @param vehicleId the one vehicle it is for
 * @param moduleId the module whose shadow it decides
 * @param instructionId the campaign instruction that started the shadow run
 * @param action promote or discard
 * @param reason the operator's reason (may be empty), at most {@value #MAX_REASON} characters, printable
 * @param issuedAt when the OEM issued it (seconds precision)
 * @param expiresAt after this, the vehicle refuses it (seconds precision)
 * @param nonce random hex
 */
public record ShadowCommand(String commandId, String campaignId, String vehicleId, String moduleId, String instructionId,
        Action action, String reason, Instant issuedAt, Instant expiresAt, String nonce) {
    public static final String FORMAT = "wasmota-shadow-command/1";
    public static final int MAX_REASON = 200;
    public static final int MAX_BYTES = 2048;
    private static final Set<String> FIELDS = Set.of("format", "commandId", "campaignId", "vehicleId", "moduleId",
            "instructionId", "action", "reason", "issuedAt", "expiresAt", "nonce");
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(InstructionFailure.MALFORMED_INSTRUCTION)
            .maxBytes(MAX_BYTES).build();

    /** What the operator decided. */
    public enum Action {
        /** Promote the shadow through the vehicle's normal install path (commit). */
        PROMOTE,
        /** Discard the shadow; the active version keeps running. */
        DISCARD;

        /** {@code promote} or {@code discard}, as on the wire and the command line. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Action fromWire(String s) {
            for (Action a : values()) {
                if (a.wire().equals(s)) {
                    return a;
                }
            }
            throw bad("'action' is not promote or discard");
        }
    }

    public ShadowCommand {
        require(commandId != null && Instruction.INSTRUCTION_ID.matcher(commandId).matches(), "command id '" + commandId + "'");
        require(campaignId != null && Manifest.ID.matcher(campaignId).matches(), "campaign id '" + campaignId + "'");
        require(vehicleId != null && Manifest.HARDWARE_ID.matcher(vehicleId).matches(), "vehicle id '" + vehicleId + "'");
        require(moduleId != null && Manifest.ID.matcher(moduleId).matches(), "module id '" + moduleId + "'");
        require(instructionId != null && Instruction.INSTRUCTION_ID.matcher(instructionId).matches(),
                "instruction id '" + instructionId + "'");
        require(action != null, "action");
        require(reason != null && reason.length() <= MAX_REASON && reason.chars().noneMatch(Character::isISOControl),
                "reason: at most " + MAX_REASON + " printable characters");
        require(issuedAt != null && expiresAt != null && expiresAt.isAfter(issuedAt), "validity period");
        require(issuedAt.getNano() == 0 && expiresAt.getNano() == 0, "times must be whole seconds");
        require(nonce != null && Instruction.NONCE.matcher(nonce).matches(), "nonce");
    }

    /** The canonical JSON bytes, what the campaign key signs. */
    public byte[] canonicalBytes() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("commandId", commandId);
        o.put("campaignId", campaignId);
        o.put("vehicleId", vehicleId);
        o.put("moduleId", moduleId);
        o.put("instructionId", instructionId);
        o.put("action", action.wire());
        o.put("reason", reason);
        o.put("issuedAt", issuedAt.toString());
        o.put("expiresAt", expiresAt.toString());
        o.put("nonce", nonce);
        return CanonicalJson.bytes(o);
    }

    /** Parses canonical command bytes; call only on bytes whose signature was verified. */
    public static ShadowCommand parse(byte[] bytes) {
        StrictJson<RejectedException>.Obj root = JSON.read(bytes, "shadow command").fields(FIELDS);
        if (!FORMAT.equals(root.text("format"))) {
            throw bad("format is not " + FORMAT);
        }
        ShadowCommand c = new ShadowCommand(root.text("commandId"), root.text("campaignId"), root.text("vehicleId"),
                root.text("moduleId"), root.text("instructionId"), Action.fromWire(root.text("action")),
                root.text("reason"), root.time("issuedAt"), root.time("expiresAt"), root.text("nonce"));
        if (!java.util.Arrays.equals(bytes, c.canonicalBytes())) {
            throw bad("shadow command bytes are not in canonical form");
        }
        return c;
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw bad("shadow command field invalid: " + what);
        }
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(InstructionFailure.MALFORMED_INSTRUCTION, detail);
    }
}
