package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.oem.api.ApiBackend;
import dev.wasmota.oem.api.ApiServer;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.oem.release.Release;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.routes.oem.OemNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live console in headless Chromium against a real campaign over the embedded broker: the
 * page signs in, shows the campaign's waves advancing as the vehicles commit, and its Pause button
 * pauses the campaign in the OEM database, audited as the operator. The screenshot stays in
 * {@code target/console-it/console.png} for a person to look at.
 */
class ConsoleChromiumIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUT = Path.of("target", "console-it").toAbsolutePath();
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @BeforeAll
    static void needsChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("install chromium: apt-get install -y chromium");
        }
    }

    @Test
    void theConsoleShowsWavesAdvancingAndItsPauseButtonPausesTheCampaign() throws Exception {
        Narrator quiet = new Narrator(new PrintWriter(new StringWriter()), false);
        try (Fleet fleet = Fleet.start(FleetConfig.of(dir.resolve("fleet"), 8), n -> { })) {
            Scenario s = new Scenario(fleet, quiet, Path.of(System.getProperty("ota.corpus")));
            Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.empty());
            OemNode node = fleet.oem().orElseThrow();
            node.campaigns().create(CampaignSpec.builder(v1.id(), Targets.vehicles(fleet.allVehicleIds()),
                    WavePlan.parse("1,2,4,6,8")).hold(Duration.ofSeconds(3)).id("live-1").build());
            OemPki pki = node.workspace().pki();
            TlsMaterial tls = TlsMaterial.of(pki.issueBroker(List.of("localhost"), List.of("127.0.0.1")), List.of(),
                    pki.root().cert());
            try (ApiServer api = ApiServer.start("127.0.0.1", 0, tls, ApiBackend.of(node.workspace()), Clock.systemUTC());
                 Cdp browser = Cdp.start(CHROMIUM, Files.createDirectories(dir.resolve("profile")))) {
                api.openConsole("127.0.0.1", 0);
                browser.navigate(api.consoleLink("operator/it").toString());
                browser.await("document.getElementById('who').textContent", v -> v.asText().equals("operator/it (operator)"),
                        Duration.ofSeconds(30));
                node.campaigns().start("live-1");

                String wave = "Number(document.getElementById('campaign').dataset.currentWave || 0)";
                int first = browser.await(wave, v -> v.asInt() >= 1, Duration.ofSeconds(30)).asInt();
                int later = browser.await(wave, v -> v.asInt() > first, Duration.ofSeconds(60)).asInt();
                JsonNode states = browser.eval("[...document.querySelectorAll('#waves tbody tr')].map(r => r.dataset.state)");
                assertEquals("PASSED", states.get(0).asText(), "wave 1 of " + states);
                assertTrue(later < 5, "the campaign ran to the end before the test could pause it");

                browser.await("!document.getElementById('pause').disabled", JsonNode::asBoolean, Duration.ofSeconds(10));
                browser.eval("document.getElementById('pause').click()");
                browser.await("document.getElementById('campaign-state').textContent", v -> v.asText().equals("PAUSED"),
                        Duration.ofSeconds(15));
                assertEquals(Campaign.State.PAUSED, node.campaigns().get("live-1").state(), "paused in the database");
                assertEquals("operator/it", node.auditTrail().records(AuditEvent.CAMPAIGN_PAUSED).get(0).actor());

                for (String chart : List.of("committed-over-time", "time-to-commit")) {
                    browser.await("document.getElementById('" + chart + "').naturalWidth", v -> v.asInt() > 0,
                            Duration.ofSeconds(15));
                }
                assertTrue(browser.eval("Number(document.getElementById('fleet-by-state').getAttribute('data-bars'))")
                        .asInt() >= 1);
                Files.createDirectories(OUT);
                byte[] png = browser.screenshot();
                Files.write(OUT.resolve("console.png"), png);
                assertTrue(png.length > 1_000, "screenshot size " + png.length);
                assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, PNG_MAGIC.length), "not a PNG");
            }
        }
    }
}
