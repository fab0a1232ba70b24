package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.oem.campaign.Campaign;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota sim run --then ...}: a shadow campaign after v1, and a release that regresses in call time only. */
class FleetThenIT {
    private static final int FLEET = 4;
    private static EmbeddedBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerSettings.builder(Files.createTempDirectory("then-broker")).port(0).build());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private FleetRun.Outcome run(FleetRun.Then then, String root, StringWriter text) throws Exception {
        FleetConfig config = new FleetConfig(dir, FLEET, 1, FLEET, Optional.of(broker.url()), true, Optional.empty(),
                FaultSpec.none(), 3, Map.of("ota.topic.root", root), true);
        return FleetRun.run(config, new FleetRun.Plan("100%", Duration.ZERO, Duration.ofSeconds(90), Duration.ZERO, then,
                300), Path.of(System.getProperty("ota.corpus")), Optional.of(dir.resolve("r.html")),
                new Narrator(new PrintWriter(text), false));
    }

    @Test
    void aReleaseThatRegressesInCallTimeOnlyIsStoppedByTheHealthGate() throws Exception {
        StringWriter text = new StringWriter();
        FleetRun.Outcome o = run(FleetRun.Then.CALL_TIME_REGRESSION, "then-regress", text);

        Campaign v2 = o.then().orElseThrow();
        assertEquals(Campaign.State.STOPPED, v2.state(), text.toString());
        String why = v2.cause().orElseThrow();
        assertTrue(why.contains("runtime health regressed") && why.contains("veh-"), why);
        assertTrue(why.contains("p99 call time on") || why.contains("deadline misses on"), why);
        assertEquals(FLEET, o.logsIntact());
    }

    @Test
    void aShadowCampaignAfterV1IsPromotedOnEveryVehicle() throws Exception {
        StringWriter text = new StringWriter();
        FleetRun.Outcome o = run(FleetRun.Then.SHADOW, "then-shadow", text);

        assertEquals(Campaign.State.COMPLETED, o.then().orElseThrow().state(), text.toString());
        assertEquals(Map.of("2.0.0", FLEET), o.activeVersions(), text.toString());
    }
}
