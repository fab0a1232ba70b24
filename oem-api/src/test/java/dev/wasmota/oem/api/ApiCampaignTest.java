package dev.wasmota.oem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator steers campaigns through the API, each change an audit record naming the operator;
 * every change endpoint refuses malformed JSON, unknown fields, wrong types, oversized and
 * untyped bodies with its own problem type, and nothing changes on a refusal.
 */
class ApiCampaignTest {
    @TempDir
    static Path dir;
    static ApiKit api;
    static final String CREATE = "{\"id\":\"api-1\",\"release\":\"healthy@2.0.0\",\"vehicles\":[\"veh-1\",\"veh-2\",\"veh-3\","
            + "\"veh-4\"],\"waves\":\"50%,100%\",\"advanceAt\":90,\"stopAt\":50,\"validitySeconds\":3600,\"holdSeconds\":0}";

    @BeforeAll
    static void start() {
        api = new ApiKit(dir);
        List<String> ids = api.kit.vehicles(6);
        api.kit.service.create(api.kit.spec(api.kit.v2, ids.subList(4, 6), "100%").id(ApiEndpoints.CAMPAIGN).build());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anOperatorRunsACampaignAndEveryChangeNamesThem() {
        ApiKit.Reply created = api.operator.post("/api/v1/campaigns", CREATE);
        assertEquals(201, created.status(), created.body());
        assertEquals("CREATED", created.json().get("state").asText());
        assertEquals("RUNNING", act("api-1", "start").get("state").asText());
        assertEquals("PAUSED", act("api-1", "pause").get("state").asText());
        assertEquals(Campaign.State.PAUSED, api.kit.service.get("api-1").state());
        assertEquals("RUNNING", act("api-1", "resume").get("state").asText());
        api.kit.answerAll(api.kit.outbox.of("api-1"), Action.Status.COMMITTED);
        assertEquals("ROLLED_BACK", act("api-1", "rollback").get("state").asText());
        for (AuditEvent e : List.of(AuditEvent.CAMPAIGN_CREATED, AuditEvent.CAMPAIGN_STARTED, AuditEvent.CAMPAIGN_PAUSED,
                AuditEvent.CAMPAIGN_RESUMED, AuditEvent.CAMPAIGN_ROLLED_BACK)) {
            List<AuditRecord> records = api.kit.audit.records(e).stream().filter(r -> "api-1".equals(r.campaignId())).toList();
            assertEquals(1, records.size(), e.name());
            assertEquals("operator/alice", records.get(0).actor(), e.name());
        }
        ApiKit.Reply again = api.operator.post("/api/v1/campaigns/api-1/pause", null);
        assertEquals(409, again.status());
        assertEquals("ILLEGAL_TRANSITION", again.reason());
        assertEquals(4, again.json().get("exitCode").asInt());
    }

    @Test
    void anOperatorAbortsACampaign() {
        api.operator.post("/api/v1/campaigns", CREATE.replace("api-1", "api-2"));
        assertEquals("ABORTED", act("api-2", "abort").get("state").asText());
        assertEquals("operator/alice", api.kit.audit.records(AuditEvent.CAMPAIGN_ABORTED).get(0).actor());
    }

    @Test
    void anOperatorCreatesAShadowCampaignAndConcludesItsShadowsOnce() {
        api.kit.service.vehicles().register("veh-s1", "ecu-a");
        api.kit.service.vehicles().register("veh-s2", "ecu-a");
        ApiKit.Reply created = api.operator.post("/api/v1/campaigns", "{\"id\":\"api-sh\",\"release\":\"healthy@2.0.0\","
                + "\"vehicles\":[\"veh-s1\",\"veh-s2\"],\"waves\":\"100%\",\"shadow\":{\"ticks\":600,\"maxDisagreementPpm\":0,"
                + "\"maxFaults\":0,\"tolerances\":[{\"canId\":544,\"absolute\":2,\"relativePpm\":0}]},"
                + "\"health\":{\"p99MarginPercent\":150,\"baselineWorstUs\":80}}");
        assertEquals(201, created.status(), created.body());
        assertEquals(600, created.json().get("shadow").get("ticks").asInt());
        assertEquals(150, created.json().get("health").get("p99MarginPercent").asInt());
        assertTrue(created.json().get("shadowDecision").isNull());
        assertEquals(1, api.kit.service.rolloutOptions("api-sh").shadow().orElseThrow().tolerances().size());
        act("api-sh", "start");
        assertTrue(api.kit.outbox.of("api-sh").get(0).instruction().shadow().isPresent(), "the instruction carries it");

        ApiKit.Reply promoted = api.operator.post("/api/v1/campaigns/api-sh/shadow-promote", "{\"reason\":\"agrees on track\"}");
        assertEquals(200, promoted.status(), promoted.body());
        JsonNode d = promoted.json().get("shadowDecision");
        assertEquals("promote", d.get("action").asText());
        assertEquals("agrees on track", d.get("reason").asText());
        assertEquals("operator/alice", d.get("actor").asText());
        assertEquals(2, d.get("commands").asInt());
        assertEquals("operator/alice", api.kit.audit.records(AuditEvent.CAMPAIGN_SHADOW_DECIDED).get(0).actor());
        expect(api.operator.post("/api/v1/campaigns/api-sh/shadow-discard", null), 409, "SHADOW_DECIDED", "again");
        expect(api.operator.post("/api/v1/campaigns/" + ApiEndpoints.CAMPAIGN + "/shadow-discard", null), 422,
                "NO_SHADOW_CAMPAIGN", "a plain campaign");
        expect(api.operator.post("/api/v1/campaigns/api-sh/shadow-discard", "{\"reason\":7}"), 400, "WRONG_TYPE", "reason");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\",\"shadow\":{\"ticks\":0}}",
                400, "INVALID_PARAMETER", "shadow");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\",\"health\":{\"p99\":1}}",
                400, "INVALID_PARAMETER", "health");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\",\"shadow\":true}",
                400, "WRONG_TYPE", "shadow");
    }

    @Test
    void refusesEachBadCreationNamingTheField() {
        refusedCreate("{\"release\":", 400, "MALFORMED_JSON", "body");
        refusedCreate("[1,2]", 400, "MALFORMED_JSON", "body");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\",\"colour\":\"red\"}", 400,
                "UNKNOWN_FIELD", "colour");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\",\"advanceAt\":\"90\"}", 400,
                "WRONG_TYPE", "advanceAt");
        refusedCreate("{\"release\":7,\"hardware\":\"ecu-a\",\"waves\":\"100%\"}", 400, "WRONG_TYPE", "release");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"vehicles\":\"veh-1\",\"waves\":\"100%\"}", 400, "WRONG_TYPE", "vehicles");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"vehicles\":[1],\"waves\":\"100%\"}", 400, "WRONG_TYPE", "vehicles");
        refusedCreate("{\"hardware\":\"ecu-a\",\"waves\":\"100%\"}", 400, "MISSING_FIELD", "release");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"waves\":\"100%\"}", 400, "MISSING_FIELD", "vehicles");
        refusedCreate("{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\",\"release\":\"x@1\"}", 400,
                "MALFORMED_JSON", "body");
        refusedCreate("{\"release\":\"healthy@7.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\"}", 404, "UNKNOWN_RELEASE", "release");
        ApiKit.Reply r = api.operator.post("/api/v1/campaigns", "{\"release\":\"healthy@2.0.0\",\"hardware\":\"ecu-a\","
                + "\"waves\":\"100%\",\"stopAt\":500}");
        assertEquals(422, r.status(), r.body());
        assertEquals("INVALID_CAMPAIGN", r.reason());
    }

    @Test
    void everyChangeEndpointRefusesBadBodiesAndChangesNothing() {
        long records = api.kit.audit.size();
        String big = "{\"id\":\"" + "x".repeat(ApiServer.MAX_BODY) + "\"}";
        for (String[] e : ApiEndpoints.CHANGES) {
            String m = ApiEndpoints.method(e);
            expect(api.operator.change(m, e[1], "{not json"), 400, "MALFORMED_JSON", e[0]);
            expect(api.operator.change(m, e[1], "{\"surprise\":true}"), 400, "UNKNOWN_FIELD", e[0]);
            expect(api.operator.change(m, e[1], big), 413, "BODY_TOO_LARGE", e[0]);
            expect(api.operator.send(HttpRequest.newBuilder(URI.create(api.operator.base() + e[1]))
                    .header("Content-Type", "text/plain").method(m, HttpRequest.BodyPublishers.ofString("{}"))), 415,
                    "UNSUPPORTED_MEDIA_TYPE", e[0]);
            String wrongType = e[1].endsWith("/campaigns") ? "{\"waves\":100}" : "[\"start\"]";
            ApiKit.Reply r = api.operator.change(m, e[1], wrongType);
            assertEquals(400, r.status(), e[0] + ": " + r.body());
            assertTrue(List.of("WRONG_TYPE", "MALFORMED_JSON").contains(r.reason()), e[0] + ": " + r.body());
        }
        assertEquals(Campaign.State.CREATED, api.kit.service.get(ApiEndpoints.CAMPAIGN).state());
        assertEquals(records, api.kit.audit.size());
    }

    @Test
    void refusesAnOversizedBodySentWithoutALength() {
        long records = api.kit.audit.size();
        byte[] big = ("{\"id\":\"" + "x".repeat(2 * ApiServer.MAX_BODY) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ApiKit.Reply r = api.operator.send(HttpRequest.newBuilder(URI.create(api.operator.base() + "/api/v1/campaigns"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertEquals(413, r.status(), r.body());
        assertEquals("BODY_TOO_LARGE", r.reason());
        assertEquals(records, api.kit.audit.size());
    }

    private static void expect(ApiKit.Reply r, int status, String reason, String what) {
        assertEquals(status, r.status(), what + ": " + r.body());
        assertEquals(reason, r.reason(), what);
    }

    private static JsonNode act(String id, String action) {
        ApiKit.Reply r = api.operator.post("/api/v1/campaigns/" + id + "/" + action, null);
        assertEquals(200, r.status(), action + ": " + r.body());
        return r.json();
    }

    private static void refusedCreate(String body, int status, String reason, String field) {
        int before = api.kit.service.list().size();
        ApiKit.Reply r = api.operator.post("/api/v1/campaigns", body);
        assertEquals(status, r.status(), body + ": " + r.body());
        assertEquals(reason, r.reason(), body);
        assertEquals(field, r.json().path("field").asText(), body);
        assertEquals(before, api.kit.service.list().size());
    }
}
