package dev.wasmota.oem.api;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Every operation of the API with a concrete path to call it at: what the per-endpoint tests walk. */
final class ApiEndpoints {
    static final String CAMPAIGN = "roll-1";
    /** Read operations: method-and-template, and a path that exists in the test OEM. */
    static final List<String[]> READS = List.of(
            new String[] {"GET /api/v1/openapi.json", "/api/v1/openapi.json"},
            new String[] {"GET /api/v1/releases", "/api/v1/releases"},
            new String[] {"GET /api/v1/releases/{module}/{version}", "/api/v1/releases/healthy/1.0.0"},
            new String[] {"GET /api/v1/fleet", "/api/v1/fleet"},
            new String[] {"GET /api/v1/vehicles", "/api/v1/vehicles"},
            new String[] {"GET /api/v1/vehicles/{id}", "/api/v1/vehicles/veh-1"},
            new String[] {"GET /api/v1/campaigns", "/api/v1/campaigns"},
            new String[] {"GET /api/v1/campaigns/{id}", "/api/v1/campaigns/" + CAMPAIGN},
            new String[] {"GET /api/v1/campaigns/{id}/vehicles", "/api/v1/campaigns/" + CAMPAIGN + "/vehicles"},
            new String[] {"GET /api/v1/audit", "/api/v1/audit"},
            new String[] {"GET /api/v1/dead-letters", "/api/v1/dead-letters"},
            new String[] {"GET /api/v1/whoami", "/api/v1/whoami"},
            new String[] {"GET /api/v1/refusals", "/api/v1/refusals"},
            new String[] {"GET /api/v1/campaigns/{id}/timeline", "/api/v1/campaigns/" + CAMPAIGN + "/timeline"},
            new String[] {"GET /api/v1/campaigns/{id}/charts/committed-over-time.svg", "/api/v1/campaigns/" + CAMPAIGN
                    + "/charts/committed-over-time.svg"},
            new String[] {"GET /api/v1/campaigns/{id}/charts/time-to-commit.svg", "/api/v1/campaigns/" + CAMPAIGN
                    + "/charts/time-to-commit.svg"},
            new String[] {"GET /api/v1/rxswin", "/api/v1/rxswin"},
            new String[] {"GET /api/v1/releases/{module}/{version}/rxswin", "/api/v1/releases/healthy/2.0.0/rxswin"},
            new String[] {"GET /api/v1/releases/{module}/{version}/record", "/api/v1/releases/healthy/2.0.0/record"},
            new String[] {"GET /api/v1/vehicles/{id}/configuration", "/api/v1/vehicles/veh-1/configuration"},
            new String[] {"GET /api/v1/campaigns/{id}/notice", "/api/v1/campaigns/" + CAMPAIGN + "/notice"});
    /** Change operations: method-and-template, and the path for campaign {@link #CAMPAIGN} (or release healthy@2.0.0). */
    static final List<String[]> CHANGES = List.of(
            new String[] {"POST /api/v1/campaigns", "/api/v1/campaigns"},
            new String[] {"POST /api/v1/campaigns/{id}/start", "/api/v1/campaigns/" + CAMPAIGN + "/start"},
            new String[] {"POST /api/v1/campaigns/{id}/pause", "/api/v1/campaigns/" + CAMPAIGN + "/pause"},
            new String[] {"POST /api/v1/campaigns/{id}/resume", "/api/v1/campaigns/" + CAMPAIGN + "/resume"},
            new String[] {"POST /api/v1/campaigns/{id}/abort", "/api/v1/campaigns/" + CAMPAIGN + "/abort"},
            new String[] {"POST /api/v1/campaigns/{id}/rollback", "/api/v1/campaigns/" + CAMPAIGN + "/rollback"},
            new String[] {"POST /api/v1/campaigns/{id}/shadow-promote", "/api/v1/campaigns/" + CAMPAIGN + "/shadow-promote"},
            new String[] {"POST /api/v1/campaigns/{id}/shadow-discard", "/api/v1/campaigns/" + CAMPAIGN + "/shadow-discard"},
            new String[] {"POST /api/v1/rxswin", "/api/v1/rxswin"},
            new String[] {"PUT /api/v1/releases/{module}/{version}/rxswin", "/api/v1/releases/healthy/2.0.0/rxswin"},
            new String[] {"PUT /api/v1/releases/{module}/{version}/record", "/api/v1/releases/healthy/2.0.0/record"},
            new String[] {"PUT /api/v1/campaigns/{id}/notice", "/api/v1/campaigns/" + CAMPAIGN + "/notice"});

    private ApiEndpoints() {
    }

    /** The method of an operation, {@code e[0]}. */
    static String method(String[] e) {
        return e[0].substring(0, e[0].indexOf(' '));
    }

    static Set<String> all() {
        Set<String> out = new TreeSet<>();
        READS.forEach(e -> out.add(e[0]));
        CHANGES.forEach(e -> out.add(e[0]));
        return out;
    }
}
