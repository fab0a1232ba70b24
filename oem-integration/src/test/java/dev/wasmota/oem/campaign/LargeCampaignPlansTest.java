package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign of thousands of vehicles on PostgreSQL: right after it is created, and after its wave
 * started, the planner's statistics count the rows just written (the step ran ANALYZE in its
 * transaction) and the update of one action is planned by looking up that vehicle's row. In the
 * 100,000-vehicle bench, with the statistics of the tables as they were before the bulk write,
 * starting the wave kept PostgreSQL busy for minutes on the per-action updates.
 */
class LargeCampaignPlansTest {
    private static final int VEHICLES = 1500;

    @TempDir
    Path dir;

    @Test
    void aLargeCampaignsActionsAreUpdatedByTheirPrimaryKeyOnPostgres() {
        Fixtures fx = new Fixtures(dir);
        MutableClock clock = new MutableClock(Fixtures.T0.plus(Duration.ofHours(1)));
        try (CampaignWorkspace ws = CampaignWorkspace.open(fx.oemDir(), Optional.of(TestDatabase.POSTGRESQL.freshUrl()), clock,
                new Random(1), "test", Optional.empty())) {
            Release r = ws.releases().publish(PackageFile.toBytes(fx.countersigned(fx.supplierSigned(Packager.build(
                    Fixtures.wasm("healthy_v1.wasm"), Fixtures.spec("healthy", "1.0.0", 1, Fixtures.HEALTHY_CAPS)), fx.acme))));
            List<String> ids = IntStream.rangeClosed(1, VEHICLES).mapToObj(i -> String.format("veh-%05d", i)).toList();
            ids.forEach(id -> ws.vehicles().register(id, "ecu-a"));
            String campaign = ws.campaigns().create(CampaignSpec.builder(r.id(), Targets.vehicles(ids), WavePlan.parse("100%"))
                    .build()).id();

            assertTrue(estimatedRows(ws, "campaign_action") >= VEHICLES, "the planner counts the new actions right after create");
            assertFindsTheVehiclesRow(updatePlan(ws, campaign), "after create");

            ws.campaigns().start(campaign);

            assertTrue(estimatedRows(ws, "outbox_message") >= VEHICLES, "the planner counts the queued instructions right after start");
            assertFindsTheVehiclesRow(updatePlan(ws, campaign), "after start");
            assertEquals(VEHICLES, ws.outbox().claim("w", VEHICLES).size(), "every instruction in the outbox");
        }
    }

    /** The plan looks the row up by the vehicle (primary key or the vehicle's counters), not by the campaign alone. */
    private static void assertFindsTheVehiclesRow(String plan, String when) {
        String cond = plan.lines().filter(l -> l.contains("Index Cond")).findFirst().orElse("");
        assertTrue(cond.contains("vehicle_id"), when + ", a scan of the campaign's actions: " + plan);
    }

    /** PostgreSQL's estimate of a table's rows (pg_class.reltuples: -1 or 0 until the table was analyzed). */
    private static long estimatedRows(CampaignWorkspace ws, String table) {
        return ws.database().transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
                p.setString(1, table);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return (long) rs.getDouble(1);
                }
            }
        });
    }

    private static String updatePlan(CampaignWorkspace ws, String campaign) {
        return ws.database().transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("EXPLAIN UPDATE campaign_action SET status = 'FAILED'"
                    + " WHERE campaign_id = ? AND vehicle_id = ? AND kind = 'INSTALL'")) {
                p.setString(1, campaign);
                p.setString(2, "veh-00001");
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }
}
