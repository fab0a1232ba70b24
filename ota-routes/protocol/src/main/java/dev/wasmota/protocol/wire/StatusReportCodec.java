package dev.wasmota.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.manifest.Manifest;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The status report's one wire form: RFC 8785 canonical JSON, format {@value #FORMAT}; parsed only after its signature verified. */
public final class StatusReportCodec {
    public static final String FORMAT = "wasmota-status/1";
    /** Room for the report, its health and a configuration of {@value VehicleConfiguration#MAX_MODULES} modules. */
    public static final int MAX_BYTES = 16384;

    private static final Pattern REASON = Pattern.compile("[A-Z0-9_]{0,64}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{0,64}");
    private static final Set<String> FIELDS = Set.of("format", "vehicleId", "campaignId", "instructionId", "nonce",
            "result", "reason", "detail", "moduleId", "activeVersion", "packageSha256", "auditSeq", "auditHead",
            "reportedAt");
    /** Fields a report carries only when set: the continuation proof. */
    private static final Set<String> OPTIONAL = Set.of("auditPrevSeq", "auditPrevHash");
    /** An optional field of its own (issue 19): the module's runtime health. */
    private static final String HEALTH = "health";
    /** An optional field of its own (issue 17): what the vehicle runs, its RXSWIN and modules. */
    private static final String CONFIGURATION = "configuration";
    /** An optional field of its own (issue 17): the user notice shown, and what the user was told after. */
    private static final String NOTICE = "notice";
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(RouteFailure.MALFORMED_MESSAGE)
            .maxBytes(MAX_BYTES)
            .notString((where, field) -> "status report field '" + field + "' is not a string")
            .notInteger((where, field) -> "status report field '" + field + "' is not a non-negative integer")
            .build();

    private StatusReportCodec() {
    }

    public static byte[] canonicalBytes(StatusReport r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("vehicleId", r.vehicleId());
        o.put("campaignId", r.campaignId());
        o.put("instructionId", r.instructionId());
        o.put("nonce", r.nonce());
        o.put("result", r.result().name());
        o.put("reason", r.reason());
        o.put("detail", r.detail());
        o.put("moduleId", r.moduleId());
        o.put("activeVersion", r.activeVersion());
        o.put("packageSha256", r.packageSha256());
        o.put("auditSeq", r.auditSeq());
        o.put("auditHead", r.auditHead());
        o.put("reportedAt", r.reportedAt().toString());
        if (r.auditPrevSeq() > 0) {
            o.put("auditPrevSeq", r.auditPrevSeq());
            o.put("auditPrevHash", r.auditPrevHash());
        }
        r.health().ifPresent(h -> o.set(HEALTH, h.toJson()));
        r.configuration().ifPresent(v -> o.set(CONFIGURATION, v.toJson()));
        r.notice().ifPresent(n -> o.set(NOTICE, n.toJson()));
        return CanonicalJson.bytes(o);
    }

    /** Parses canonical status bytes, refusing any other form, field set or field value. */
    public static StatusReport parse(byte[] bytes) {
        StrictJson<RejectedException>.Obj root = JSON.read(bytes, "status report");
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = root.node().fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        boolean hasHealth = names.remove(HEALTH);
        boolean hasConfiguration = names.remove(CONFIGURATION);
        boolean hasNotice = names.remove(NOTICE);
        Set<String> optional = new TreeSet<>(names);
        optional.removeAll(FIELDS);
        if (!names.containsAll(FIELDS) || !OPTIONAL.containsAll(optional) || !(optional.isEmpty() || optional.equals(OPTIONAL))) {
            throw bad("status report fields " + names + "; expected " + new TreeSet<>(FIELDS) + ", optionally with "
                    + new TreeSet<>(OPTIONAL));
        }
        if (!FORMAT.equals(root.text("format")) || !CanonicalJson.isCanonical(bytes, root.node())) {
            throw bad("status report is not canonical " + FORMAT);
        }
        String detail = root.text("detail");
        if (detail.length() > StatusReport.MAX_DETAIL) {
            throw bad("status report detail over " + StatusReport.MAX_DETAIL + " characters");
        }
        String reportedAt = root.text("reportedAt");
        StatusReport r;
        try {
            if (!Instant.parse(reportedAt).toString().equals(reportedAt)) {
                throw bad("status report field 'reportedAt' is not an ISO-8601 UTC instant in its shortest form");
            }
            r = new StatusReport(
                    matching(root, "vehicleId", Manifest.HARDWARE_ID), matching(root, "campaignId", Manifest.ID),
                    matching(root, "instructionId", Instruction.INSTRUCTION_ID), matching(root, "nonce", Instruction.NONCE),
                    StatusReport.Result.valueOf(root.text("result")), matching(root, "reason", REASON),
                    detail, matching(root, "moduleId", Manifest.ID),
                    matching(root, "activeVersion", VERSION), matching(root, "packageSha256", Digests.SHA256_HEX),
                    number(root, "auditSeq"), matching(root, "auditHead", Digests.SHA256_HEX),
                    Instant.parse(reportedAt),
                    optional.isEmpty() ? 0 : number(root, "auditPrevSeq"),
                    optional.isEmpty() ? "" : matching(root, "auditPrevHash", Digests.SHA256_HEX),
                    hasHealth ? java.util.Optional.of(dev.wasmota.contract.stats.ModuleHealth.fromJson(root.get(HEALTH)))
                            : java.util.Optional.empty(),
                    hasConfiguration ? java.util.Optional.of(VehicleConfiguration.fromJson(root.get(CONFIGURATION)))
                            : java.util.Optional.empty(),
                    hasNotice ? java.util.Optional.of(NoticeShown.fromJson(root.get(NOTICE))) : java.util.Optional.empty());
            if (!optional.isEmpty() && r.auditPrevSeq() == 0) {
                throw bad("status report field 'auditPrevSeq' is 0; a report without a proof leaves both out");
            }
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw bad("status report field invalid: " + e.getMessage());
        }
        return r;
    }

    private static String matching(StrictJson<RejectedException>.Obj root, String field, Pattern p) {
        String v = root.text(field);
        if (!p.matcher(v).matches()) {
            throw bad("status report field '" + field + "' is not well formed");
        }
        return v;
    }

    private static long number(StrictJson<RejectedException>.Obj root, String field) {
        return root.integer(field, 0, CanonicalJson.MAX_SAFE_INTEGER);
    }

    private static RejectedException bad(String why) {
        return new RejectedException(RouteFailure.MALFORMED_MESSAGE, why);
    }
}
