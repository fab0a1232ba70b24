package dev.wasmota.oem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiServerTest {
    @TempDir
    static Path dir;
    static ApiKit api;

    @BeforeAll
    static void start() {
        api = new ApiKit(dir);
        api.kit.vehicles(3);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anOperatorReadsTheReleases() {
        ApiKit.Reply r = api.operator.get("/api/v1/releases");
        assertEquals(200, r.status(), r.body());
        JsonNode items = r.json().get("items");
        assertEquals(2, items.size(), r.body());
        assertEquals("healthy@1.0.0", items.get(0).get("id").asText());
    }

    @Test
    void aViewerCannotCreateACampaign() {
        ApiKit.Reply r = api.viewer.post("/api/v1/campaigns", "{\"release\":\"healthy@1.0.0\",\"hardware\":\"ecu-a\",\"waves\":\"100%\"}");
        assertEquals(403, r.status(), r.body());
        assertEquals("FORBIDDEN", r.reason());
    }
}
