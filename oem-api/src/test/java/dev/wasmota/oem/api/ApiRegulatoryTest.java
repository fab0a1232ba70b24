package dev.wasmota.oem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.oem.record.ReleaseRecords;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.oem.rxswin.RxswinRegister;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's statements through the API (RXSWIN register, a release's RXSWIN change and update
 * record, a vehicle's configuration, a campaign's user notice): what an operator states reads back
 * the same and is an audit record naming them; a viewer states nothing; bad input is refused with
 * the reason the command line gives, and a refusal changes nothing.
 */
class ApiRegulatoryTest {
    @TempDir
    static Path dir;
    static ApiKit api;
    static final String R2 = "/api/v1/releases/healthy/2.0.0";
    static final String R1 = "/api/v1/releases/healthy/1.0.0";
    static final String RECORD = "{\"format\":\"wasmota-update-record/1\",\"purpose\":\"Brake temperature estimate: corrects"
            + " the cooling constant\",\"affectedSystems\":[\"braking\"],\"affectedFunctions\":[\"brake temperature warning\"],"
            + "\"typeApprovalRelevant\":true,\"impactAssessment\":\"threshold unchanged\",\"authorityApprovalSought\":true,"
            + "\"authorityReference\":\"KBA-2026-0815\",\"executionMethod\":\"over the air, A/B slots\","
            + "\"executionConditions\":\"vehicle stationary\",\"safeExecutionConfirmed\":true}";

    @BeforeAll
    static void start() {
        api = new ApiKit(dir);
        List<String> ids = api.kit.vehicles(6);
        api.kit.service.create(api.kit.spec(api.kit.v2, ids.subList(0, 2), "100%").id("note-1").build());
        api.kit.service.create(api.kit.spec(api.kit.v1, ids.subList(2, 4), "100%").id("rec-1").build());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anOperatorDefinesRxswinsAndListsThemPaged() {
        ApiKit.Reply a = api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"R156-P:1.0\","
                + "\"modules\":{\"healthy\":\"1.0.0\"},\"description\":\"approved 2026\"}");
        assertEquals(201, a.status(), a.body());
        assertEquals("1.0.0", a.json().get("modules").get("healthy").asText());
        assertEquals(201, api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"R156-P:2.0\","
                + "\"modules\":{\"healthy\":\"2.0.0\"}}").status());
        ApiKit.Reply again = api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"R156-P:1.0\","
                + "\"modules\":{\"healthy\":\"1.0.0\"}}");
        assertEquals(200, again.status(), again.body());
        assertEquals("approved 2026", again.json().get("description").asText(), "the entry registered first");

        long records = api.kit.audit.size();
        ApiKit.Reply conflict = api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"R156-P:1.0\","
                + "\"modules\":{\"healthy\":\"2.0.0\"}}");
        assertEquals(422, conflict.status(), conflict.body());
        assertEquals("RXSWIN_CONFLICT", conflict.reason());
        assertEquals(4, conflict.json().get("exitCode").asInt());
        expect(api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"not an id!\",\"modules\":{\"healthy\":"
                + "\"1.0.0\"}}"), 422, "MALFORMED_RXSWIN");
        expect(api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"R156-P:3.0\",\"modules\":{\"healthy\":"
                + "\"one\"}}"), 422, "MALFORMED_RXSWIN");
        expect(api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"R156-P:3.0\"}"), 400, "MISSING_FIELD");
        expect(api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-p\",\"rxswin\":\"R156-P:3.0\",\"modules\":[\"healthy@1.0.0\"]}"),
                400, "WRONG_TYPE");
        assertEquals(records, api.kit.audit.size(), "a refusal is no statement");

        JsonNode first = api.viewer.get("/api/v1/rxswin?hardware=ecu-p&limit=1").json();
        assertEquals(1, first.get("items").size());
        assertEquals("R156-P:1.0", first.get("items").get(0).get("rxswin").asText());
        JsonNode second = api.viewer.get("/api/v1/rxswin?hardware=ecu-p&limit=1&cursor=" + first.get("next").asText()).json();
        assertEquals("R156-P:2.0", second.get("items").get(0).get("rxswin").asText());
        assertTrue(second.get("next").isNull(), "the last page");
        assertEquals(2, api.viewer.get("/api/v1/rxswin?hardware=ecu-p").json().get("items").size());
        expect(api.viewer.get("/api/v1/rxswin?limit=0"), 400, "INVALID_PARAMETER");
        assertEquals(0, api.viewer.get("/api/v1/rxswin?hardware=ecu-none").json().get("items").size());
        assertTrue(api.kit.audit.records(AuditEvent.RXSWIN_STATED).stream()
                .anyMatch(r -> r.detail().contains("R156-P:2.0") && "operator/alice".equals(r.actor())));
    }

    @Test
    void anOperatorStatesAReleasesRxswinChangeAndReadsItBack() {
        api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-a\",\"rxswin\":\"R156-A:1.0\",\"modules\":{\"healthy\":\"1.0.0\"}}");
        api.operator.post("/api/v1/rxswin", "{\"hardware\":\"ecu-a\",\"rxswin\":\"R156-A:2.0\",\"modules\":{\"healthy\":\"2.0.0\"}}");
        assertTrue(api.viewer.get(R1 + "/rxswin").json().get("rxswin").isNull(), "not stated yet");

        ApiKit.Reply r = api.operator.put(R2 + "/rxswin", "{\"from\":\"R156-A:1.0\",\"to\":\"R156-A:2.0\","
                + "\"reason\":\"changes the braking warning\",\"requires\":[\"can-gateway>=2.1.0\"]}");
        assertEquals(200, r.status(), r.body());
        JsonNode read = api.viewer.get(R2 + "/rxswin").json();
        assertEquals(r.json(), read);
        assertEquals("healthy@2.0.0", read.get("release").asText());
        assertEquals("R156-A:1.0 -> R156-A:2.0", read.get("rxswin").get("summary").asText());
        assertEquals("can-gateway>=2.1.0", read.get("rxswin").get("requires").get(0).asText());
        assertEquals("R156-A:2.0", newRegister().change(new ReleaseId("healthy", "2.0.0")).orElseThrow().to().orElseThrow());
        AuditRecord stated = api.kit.audit.records(AuditEvent.RXSWIN_STATED).stream()
                .filter(a -> a.detail().startsWith("release healthy@2.0.0")).reduce((x, y) -> y).orElseThrow();
        assertEquals("operator/alice", stated.actor());

        long records = api.kit.audit.size();
        expect(api.operator.put(R2 + "/rxswin", "{\"from\":\"R156-A:2.0\",\"to\":\"R156-A:1.0\",\"reason\":\"x\"}"),
                422, "RXSWIN_MISMATCH");
        ApiKit.Reply unknown = api.operator.put(R2 + "/rxswin", "{\"from\":\"R156-A:1.0\",\"to\":\"R156-A:9.0\",\"reason\":\"x\"}");
        assertEquals("UNKNOWN_RXSWIN", unknown.reason());
        assertEquals(4, unknown.json().get("exitCode").asInt());
        expect(api.operator.put(R2 + "/rxswin", "{\"to\":\"R156-A:2.0\",\"reason\":\"x\"}"), 422, "MALFORMED_RXSWIN");
        expect(api.operator.put(R2 + "/rxswin", "{\"from\":\"R156-A:1.0\",\"to\":\"R156-A:2.0\"}"), 400, "MISSING_FIELD");
        expect(api.operator.put(R2 + "/rxswin", "{\"reason\":\"x\"}"), 400, "MISSING_FIELD");
        expect(api.operator.put(R2 + "/rxswin", "{\"none\":true,\"from\":\"R156-A:1.0\",\"reason\":\"x\"}"), 400,
                "INVALID_PARAMETER");
        ApiKit.Reply req = api.operator.put(R2 + "/rxswin", "{\"none\":true,\"reason\":\"x\",\"requires\":[\"can-gateway\"]}");
        assertEquals("MALFORMED_RXSWIN", req.reason());
        assertEquals("requires", req.json().get("field").asText());
        expect(api.operator.put("/api/v1/releases/healthy/7.0.0/rxswin", "{\"none\":true,\"reason\":\"x\"}"), 404,
                "UNKNOWN_RELEASE");
        expect(api.viewer.get("/api/v1/releases/no%20such/1/rxswin"), 404, "UNKNOWN_RELEASE");
        assertEquals(records, api.kit.audit.size(), "a refusal is no statement");
        assertEquals(read, api.viewer.get(R2 + "/rxswin").json(), "a refusal leaves the statement as it was");

        JsonNode none = api.operator.put(R1 + "/rxswin", "{\"none\":true,\"reason\":\"calibration only\"}").json();
        assertFalse(none.get("rxswin").get("changes").asBoolean());
        assertEquals("none", none.get("rxswin").get("summary").asText());
    }

    @Test
    void aVehiclesLastKnownConfigurationReads() {
        api.kit.service.vehicles().register("veh-cfg", "ecu-a");
        assertTrue(api.viewer.get("/api/v1/vehicles/veh-cfg/configuration").json().get("configuration").isNull());
        TreeMap<String, ReportedConfiguration.Module> modules = new TreeMap<>();
        modules.put("healthy", new ReportedConfiguration.Module("2.0.0", "ab".repeat(32)));
        newRegister().take(new ReportedConfiguration("veh-cfg", Optional.of("R156-A:2.0"), modules, "ins-1",
                api.kit.clock.instant()));
        JsonNode c = api.viewer.get("/api/v1/vehicles/veh-cfg/configuration").json().get("configuration");
        assertEquals("R156-A:2.0", c.get("rxswin").asText());
        assertEquals("2.0.0", c.get("modules").get("healthy").get("version").asText());
        assertEquals("ab".repeat(32), c.get("modules").get("healthy").get("packageSha256").asText());
        assertEquals("ins-1", c.get("instructionId").asText());
        expect(api.viewer.get("/api/v1/vehicles/veh-none/configuration"), 404, "UNKNOWN_VEHICLE");
    }

    @Test
    void anOperatorStatesACampaignsNoticeUntilItStarts() {
        assertTrue(api.viewer.get("/api/v1/campaigns/note-1/notice").json().get("notice").isNull());
        ApiKit.Reply r = api.operator.put("/api/v1/campaigns/note-1/notice", "{\"purpose\":\"Better brake warning\","
                + "\"expectedSeconds\":600,\"unavailableFunctions\":[\"cruise control\"]}");
        assertEquals(200, r.status(), r.body());
        JsonNode read = api.viewer.get("/api/v1/campaigns/note-1/notice").json();
        assertEquals(r.json(), read);
        assertEquals("Better brake warning", read.get("notice").get("purpose").asText());
        assertEquals(600, read.get("notice").get("expectedSeconds").asLong());
        assertEquals("Update: Better brake warning; takes about 10 min; unavailable meanwhile: cruise control",
                read.get("text").asText());
        assertTrue(api.kit.audit.records(AuditEvent.UPDATE_RECORD_STATED).stream()
                .anyMatch(a -> "note-1".equals(a.campaignId()) && "operator/alice".equals(a.actor())));

        long records = api.kit.audit.size();
        expect(api.operator.put("/api/v1/campaigns/note-1/notice", "{\"purpose\":\"two\\nlines\"}"), 422,
                "MALFORMED_INSTRUCTION");
        expect(api.operator.put("/api/v1/campaigns/note-1/notice", "{\"expectedSeconds\":\"10m\"}"), 400, "WRONG_TYPE");
        expect(api.operator.put("/api/v1/campaigns/note-1/notice", "{\"expectedSeconds\":-1}"), 400, "INVALID_PARAMETER");
        expect(api.operator.put("/api/v1/campaigns/none/notice", "{\"purpose\":\"x\"}"), 404, "UNKNOWN_CAMPAIGN");
        expect(api.viewer.get("/api/v1/campaigns/none/notice"), 404, "UNKNOWN_CAMPAIGN");
        assertEquals(records, api.kit.audit.size());
        assertEquals(read, api.viewer.get("/api/v1/campaigns/note-1/notice").json());

        api.kit.service.start("note-1");
        ApiKit.Reply frozen = api.operator.put("/api/v1/campaigns/note-1/notice", "{\"purpose\":\"something else\"}");
        expect(frozen, 422, "RECORD_FROZEN");
        assertEquals(4, frozen.json().get("exitCode").asInt());
        assertEquals(read, api.viewer.get("/api/v1/campaigns/note-1/notice").json());
    }

    @Test
    void anOperatorStatesAReleasesRecordUntilACampaignOfItStarts() throws Exception {
        JsonNode empty = api.viewer.get(R1 + "/record").json();
        assertTrue(empty.get("record").isNull());
        ApiKit.Reply draft = api.operator.put(R1 + "/record", "{\"format\":\"wasmota-update-record/1\",\"purpose\":\"draft\","
                + "\"impactAssessment\":null}");
        assertEquals(200, draft.status(), draft.body());
        assertTrue(draft.json().get("missing").size() > 0);
        assertTrue(draft.json().get("missing").get(0).asText().startsWith("affectedSystems"), draft.body());

        ApiKit.Reply r = api.operator.put(R1 + "/record", RECORD);
        assertEquals(200, r.status(), r.body());
        JsonNode read = api.viewer.get(R1 + "/record").json();
        assertEquals(r.json(), read);
        assertEquals(0, read.get("missing").size());
        assertEquals(ApiKit.JSON.readTree(RECORD), read.get("record"));
        assertEquals(Digests.sha256Hex(CanonicalJson.bytes(ApiKit.JSON.readTree(RECORD))), read.get("sha256").asText());
        ReleaseRecords.Stored stored = new ReleaseRecords(api.kit.db, api.kit.audit, api.kit.clock, "test")
                .find(new ReleaseId("healthy", "1.0.0")).orElseThrow();
        assertEquals(read.get("sha256").asText(), stored.sha256());
        assertTrue(api.kit.audit.records(AuditEvent.UPDATE_RECORD_STATED).stream()
                .anyMatch(a -> a.detail().contains(stored.sha256()) && "operator/alice".equals(a.actor())));

        long records = api.kit.audit.size();
        ApiKit.Reply format = api.operator.put(R1 + "/record", RECORD.replace("update-record/1", "update-record/9"));
        expect(format, 422, "MALFORMED_RECORD");
        assertEquals(4, format.json().get("exitCode").asInt());
        expect(api.operator.put(R1 + "/record", RECORD.replace("\"braking\"", "\"\"")), 422, "MALFORMED_RECORD");
        expect(api.operator.put(R1 + "/record", RECORD.replace("\"safeExecutionConfirmed\":true",
                "\"safeExecutionConfirmed\":\"yes\"")), 400, "WRONG_TYPE");
        expect(api.operator.put(R1 + "/record", RECORD.replace("\"safeExecutionConfirmed\":true",
                "\"safeExecutionConfirmed\":true,\"safeExecutionConfirmed\":false")), 400, "MALFORMED_JSON");
        expect(api.operator.put("/api/v1/releases/healthy/7.0.0/record", RECORD), 404, "UNKNOWN_RELEASE");
        assertEquals(records, api.kit.audit.size());
        assertEquals(read, api.viewer.get(R1 + "/record").json());

        api.kit.service.start("rec-1");
        expect(api.operator.put(R1 + "/record", RECORD.replace("over the air", "at the workshop")), 422, "RECORD_FROZEN");
        assertEquals(read, api.viewer.get(R1 + "/record").json());
    }

    private static RxswinRegister newRegister() {
        return new RxswinRegister(api.kit.db, api.kit.audit, api.kit.clock, "test");
    }

    private static void expect(ApiKit.Reply r, int status, String reason) {
        assertEquals(status, r.status(), r.body());
        assertEquals(reason, r.reason(), r.body());
    }
}
