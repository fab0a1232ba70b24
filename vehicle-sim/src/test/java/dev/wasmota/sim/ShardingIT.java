package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.testkit.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two simulators share one broker and one OEM: each runs its range of vehicle ids, one campaign reaches them all. */
class ShardingIT {
    @TempDir
    Path dir;

    @Test
    void twoSimulatorsSplitTheFleetAndOneCampaignReachesBoth() throws Exception {
        Narrator narrator = new Narrator(new PrintWriter(new StringWriter()), false);
        FleetConfig first = new FleetConfig(dir.resolve("a"), 6, 1, 3, Optional.empty(), true, Optional.empty(),
                FaultSpec.none(), 1, Map.of(), false);
        try (Fleet a = Fleet.start(first, n -> { })) {
            FleetConfig second = new FleetConfig(dir.resolve("b"), 6, 4, 6, Optional.of(a.brokerUrl()), false,
                    Optional.of(dir.resolve("a").resolve("oem")), FaultSpec.none(), 2, Map.of(), false);
            try (Fleet b = Fleet.start(second, n -> { })) {
                Scenario s = new Scenario(a, narrator, Path.of(System.getProperty("ota.corpus")));
                Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.empty());
                assertEquals(Campaign.State.COMPLETED, s.rollout(v1, "100%", Duration.ZERO, Duration.ofSeconds(60), false));
                assertEquals(Map.of("1.0.0", 3), Demo.versions(a));
                assertEquals(Map.of("1.0.0", 3), Demo.versions(b), "the second simulator's vehicles got it too");
            }
        }
    }

    /** The OEM's simulator on PostgreSQL (sim run --db): the other simulator's vehicles are counted in that database. */
    @Test
    void theOemsSimulatorKeepsTheCampaignInTheGivenDatabase() throws Exception {
        Narrator narrator = new Narrator(new PrintWriter(new StringWriter()), false);
        String db = PostgresServer.shared().freshSchemaUrl();
        FleetConfig first = new FleetConfig(dir.resolve("a"), 4, 1, 2, Optional.empty(), true, Optional.empty(),
                FaultSpec.none(), 1, Map.of(), false).withOemDatabase(db);
        try (Fleet a = Fleet.start(first, n -> { })) {
            FleetConfig second = new FleetConfig(dir.resolve("b"), 4, 3, 4, Optional.of(a.brokerUrl()), false,
                    Optional.of(dir.resolve("a").resolve("oem")), FaultSpec.none(), 2, Map.of(), false);
            try (Fleet b = Fleet.start(second, n -> { })) {
                Scenario s = new Scenario(a, narrator, Path.of(System.getProperty("ota.corpus")));
                Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.empty());
                assertEquals(Campaign.State.COMPLETED, s.rollout(v1, "100%", Duration.ZERO, Duration.ofSeconds(60), false));
                assertEquals(Map.of("1.0.0", 2), Demo.versions(b));
            }
        }
        try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM campaign_action WHERE status = 'COMMITTED'"
                     + " AND vehicle_id IN ('veh-0003', 'veh-0004')")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "the second simulator's reports are in the PostgreSQL database");
        }
    }
}
