package dev.wasmota.oem.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.testkit.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read resources over real HTTPS: paging, filters, details, and each refusal of bad input naming its parameter. */
class ApiReadTest {
    @TempDir
    static Path dir;
    static ApiKit api;

    @BeforeAll
    static void start() {
        api = new ApiKit(dir);
        List<String> ids = api.kit.vehicles(12);
        api.kit.service.vehicles().register("other-1", "ecu-b");
        api.kit.service.create(api.kit.spec(api.kit.v1, ids.subList(0, 4), "50%,100%").id("roll-1").build());
        api.kit.service.start("roll-1");
        List<IssuedInstruction> wave1 = api.kit.outbox.of("roll-1");
        api.kit.answerAll(wave1, Action.Status.COMMITTED);
        api.kit.audit.append(AuditRecord.builder(AuditEvent.MESSAGE_DEAD_LETTERED).actor("oem/serve-1")
                .outcome(AuditRecord.Outcome.REFUSED).cause("BAD_SIGNATURE").detail("a status report (topic t)").build());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void listsReleasesAPageAtATime() {
        JsonNode first = ok("/api/v1/releases?limit=1");
        assertEquals("healthy@1.0.0", first.get("items").get(0).get("id").asText());
        JsonNode second = ok("/api/v1/releases?limit=1&cursor=" + first.get("next").asText());
        assertEquals("healthy@2.0.0", second.get("items").get(0).get("id").asText());
        assertTrue(second.get("next").isNull(), second.toString());
    }

    @Test
    void showsAReleaseAndRefusesAnUnknownOne() {
        JsonNode r = ok("/api/v1/releases/healthy/2.0.0");
        assertEquals(api.kit.v2.packageSha256(), r.get("packageSha256").asText());
        assertTrue(r.has("report") && r.has("sbom"));
        ApiKit.Reply unknown = api.viewer.get("/api/v1/releases/healthy/9.9.9");
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_RELEASE", unknown.reason());
    }

    @Test
    void pagesThroughTheWholeFleetWithoutRepeatingAVehicle() {
        Set<String> seen = new HashSet<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = ok("/api/v1/vehicles?limit=5" + (next == null ? "" : "&cursor=" + next));
            assertTrue(page.get("items").size() <= 5);
            page.get("items").forEach(v -> assertTrue(seen.add(v.get("id").asText()), "repeated " + v));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);
        assertEquals(13, seen.size());
        assertEquals(3, pages);
    }

    @Test
    void filtersVehiclesByHardwareStateAndVersion() {
        assertEquals(List.of("other-1"), ids(ok("/api/v1/vehicles?hardware=ecu-b")));
        assertEquals(List.of("veh-1", "veh-2"), ids(ok("/api/v1/vehicles?state=COMMITTED")));
        assertEquals(List.of("veh-1", "veh-2"), ids(ok("/api/v1/vehicles?version=healthy@1.0.0")));
        assertEquals(List.of("veh-3", "veh-4"), ids(ok("/api/v1/vehicles?state=INSTRUCTED")));
        assertEquals(9, ok("/api/v1/vehicles?state=IDLE").get("items").size());
    }

    @Test
    void showsAVehicleWithItsHistory() {
        JsonNode v = ok("/api/v1/vehicles/veh-1");
        assertEquals("COMMITTED", v.get("state").asText());
        assertEquals("1.0.0", v.get("versions").get("healthy").asText());
        assertEquals("roll-1", v.get("history").get(0).get("campaign").asText());
        ApiKit.Reply unknown = api.viewer.get("/api/v1/vehicles/nope");
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_VEHICLE", unknown.reason());
    }

    @Test
    void countsTheFleetByStateAndVersion() {
        JsonNode f = ok("/api/v1/fleet");
        assertEquals(13, f.get("vehicles").asInt());
        assertEquals(2, f.get("byState").get("COMMITTED").asInt());
        assertEquals(2, f.get("byVersion").get("healthy@1.0.0").asInt());
    }

    @Test
    void showsACampaignWithItsWavesAndItsVehiclesInPages() {
        JsonNode k = ok("/api/v1/campaigns/roll-1");
        assertEquals("RUNNING", k.get("state").asText());
        assertEquals(2, k.get("waves").size());
        assertEquals(2, k.get("total").get("committed").asInt());
        JsonNode p1 = ok("/api/v1/campaigns/roll-1/vehicles?limit=3");
        assertEquals(3, p1.get("items").size());
        JsonNode p2 = ok("/api/v1/campaigns/roll-1/vehicles?limit=3&cursor=" + p1.get("next").asText());
        assertEquals(1, p2.get("items").size());
        assertTrue(p2.get("next").isNull());
        assertEquals(2, ok("/api/v1/campaigns/roll-1/vehicles?status=COMMITTED").get("items").size());
        assertEquals("roll-1", ok("/api/v1/campaigns").get("items").get(0).get("id").asText());
        ApiKit.Reply unknown = api.viewer.get("/api/v1/campaigns/nope");
        assertEquals(404, unknown.status());
        assertEquals("UNKNOWN_CAMPAIGN", unknown.reason());
        assertEquals("UNKNOWN_CAMPAIGN", api.viewer.get("/api/v1/campaigns/nope/vehicles").reason());
    }

    @Test
    void drawsTheSimulatorReportsChartsOfACampaignAsSvg() {
        ApiKit.Reply lines = api.viewer.get("/api/v1/campaigns/roll-1/charts/committed-over-time.svg");
        assertEquals(200, lines.status());
        assertTrue(lines.type().startsWith("image/svg+xml"), lines.type());
        assertTrue(lines.body().startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), lines.body());
        assertTrue(lines.body().contains("data-series=\"1\"") && lines.body().contains("wave 1: 2 committed"), lines.body());
        ApiKit.Reply bars = api.viewer.get("/api/v1/campaigns/roll-1/charts/time-to-commit.svg");
        assertTrue(bars.body().contains("data-count=\"2\"") || bars.body().contains("data-count=\"1\""), bars.body());
        JsonNode t = ok("/api/v1/campaigns/roll-1/timeline");
        assertEquals(2, t.get("timeToCommit").get("count").asInt());
        assertEquals(2, t.get("waves").get(0).get("committed").asInt());
        assertEquals("UNKNOWN_CAMPAIGN", api.viewer.get("/api/v1/campaigns/nope/charts/time-to-commit.svg").reason());
    }

    @Test
    void pagesTheAuditTrailAndFiltersByEvent() {
        JsonNode all = ok("/api/v1/audit?limit=2");
        assertEquals(2, all.get("items").size());
        assertEquals(1, all.get("items").get(0).get("seq").asLong());
        JsonNode next = ok("/api/v1/audit?limit=2&cursor=" + all.get("next").asText());
        assertEquals(3, next.get("items").get(0).get("seq").asLong());
        JsonNode created = ok("/api/v1/audit?event=CAMPAIGN_CREATED");
        assertEquals(1, created.get("items").size());
        assertEquals("roll-1", created.get("items").get(0).get("campaignId").asText());
    }

    @Test
    void listsDeadLettersWithTheirReasons() {
        JsonNode d = ok("/api/v1/dead-letters");
        assertEquals(1, d.get("items").size());
        assertEquals("BAD_SIGNATURE", d.get("items").get(0).get("cause").asText());
    }

    @Test
    void refusesBadQueryParametersNamingThem() {
        refused("/api/v1/vehicles?limit=0", "limit");
        refused("/api/v1/vehicles?limit=501", "limit");
        refused("/api/v1/vehicles?limit=ten", "limit");
        refused("/api/v1/vehicles?cursor=garbage", "cursor");
        refused("/api/v1/vehicles?state=HAPPY", "state");
        refused("/api/v1/vehicles?hardware=a%20b", "hardware");
        refused("/api/v1/vehicles?version=%3Cx%3E", "version");
        refused("/api/v1/releases?limit=-1", "limit");
        refused("/api/v1/campaigns?cursor=%21%21", "cursor");
        refused("/api/v1/campaigns/roll-1/vehicles?status=DONE", "status");
        refused("/api/v1/audit?event=NOTHING", "event");
        refused("/api/v1/audit?cursor=" + PageRequest.cursor("x"), "cursor");
        refused("/api/v1/dead-letters?limit=x", "limit");
    }

    @Test
    void answersAnUnknownPathWithAProblem() {
        ApiKit.Reply r = api.viewer.get("/api/v1/nothing-here");
        assertEquals(404, r.status());
        assertEquals("NOT_FOUND", r.reason());
    }

    @Test
    void servesTheCommittedOpenApiDocument() throws Exception {
        ApiKit.Reply r = api.viewer.get(ApiServer.OPENAPI_PATH);
        assertEquals(200, r.status());
        assertArrayEquals(Files.readAllBytes(Repository.file("docs/api/openapi.json")), r.body().getBytes(StandardCharsets.UTF_8),
                "the served OpenAPI document is not docs/api/openapi.json");
    }

    @Test
    void documentsEveryRouteAndNoOther() throws Exception {
        JsonNode doc = ApiKit.JSON.readTree(Files.readAllBytes(Repository.file("docs/api/openapi.json")));
        Set<String> documented = new HashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
        assertEquals(ApiEndpoints.all(), documented);
        assertEquals(new HashSet<>(api.server.routes()), documented);
    }

    private static void refused(String path, String field) {
        ApiKit.Reply r = api.viewer.get(path);
        assertEquals(400, r.status(), path + ": " + r.body());
        assertEquals("INVALID_PARAMETER", r.reason());
        assertEquals(field, r.json().get("field").asText(), path);
        assertEquals(2, r.json().get("exitCode").asInt());
    }

    private static JsonNode ok(String path) {
        ApiKit.Reply r = api.viewer.get(path);
        assertEquals(200, r.status(), path + ": " + r.body());
        assertTrue(r.type().startsWith("application/json"), r.type());
        return r.json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(v -> out.add(v.get("id").asText()));
        assertFalse(out.isEmpty());
        return out;
    }
}
