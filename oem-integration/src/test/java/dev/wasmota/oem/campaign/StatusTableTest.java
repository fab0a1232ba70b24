package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class StatusTableTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    @Test
    void showsEachWaveWithCountsAndRates() {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            List<String> vehicles = kit.vehicles(4);
            Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "2,100%").advanceAt(50)
                    .stopAt(60).id("c-table").build()).id());
            kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
            kit.answer(kit.outbox.lastTo("veh-2"), FAILED);

            String table = StatusTable.detail(kit.service.status(k.id()));

            String expected = """
                    WAVE  STEP  STATE    SIZE  INSTRUCTED  COMMITTED  FAILED  PENDING  SUCCESS  ERRORS
                    1     2     PASSED   2     2           1          1       0        50%      50%
                    2     100%  RUNNING  2     2           0          0       2        0%       0%
                    all                  4     4           1          1       2        25%      25%
                    """;
            assertTrue(table.endsWith(expected), table);
            assertTrue(table.startsWith("campaign  c-table\nrelease   healthy@2.0.0 (security version 2, package "), table);
            assertTrue(table.contains("state     RUNNING, wave 2/2\n"), table);
            assertTrue(table.contains("rules     waves 2,100% (cumulative); advance at 50%, stop at 60%; instructions valid 24h"),
                    table);

            String overview = StatusTable.overview(List.of(kit.service.status(k.id())));
            assertEquals("""
                    CAMPAIGN  RELEASE        STATE    WAVE  TARGETS  COMMITTED  FAILED  PENDING  SUCCESS  ERRORS
                    c-table   healthy@2.0.0  RUNNING  2/2   4        1          1       2        25%      25%
                    """, overview);
        }
    }
}
