package dev.wasmota.sim;

import dev.wasmota.sim.thin.ThinFleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thin vehicles against the real OEM and the embedded broker: each takes its release instruction,
 * fetches and verifies the signed index and the chunks, and sends a status report signed with its
 * own certificate, which the OEM verifies and counts; all on two event-loop threads.
 */
class ThinFleetIT {
    @TempDir
    Path dir;

    @Test
    void thinVehiclesFetchTheReleaseInChunksAndTheOemCountsTheirSignedReports() throws Exception {
        int n = 40;
        try (Fleet fleet = Fleet.startWithoutVehicles(FleetConfig.of(dir, n).withoutModulesRunning())) {
            Scenario s = new Scenario(fleet, new Narrator(new PrintWriter(new StringWriter()), false),
                    Path.of(System.getProperty("ota.corpus")));
            Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.empty());
            int threadsBefore = Thread.activeCount();
            try (ThinFleet thin = ThinFleet.connect(fleet.brokerUrl(), fleet.topicLayout(), fleet.pki().trustStore(), fleet.pki(),
                    fleet.allVehicleIds(), Clock.systemUTC(), 2, x -> { })) {
                assertEquals(n, thin.size());
                assertTrue(Thread.activeCount() - threadsBefore <= 4, "forty vehicles on a shared event loop, not a thread each: "
                        + (Thread.activeCount() - threadsBefore) + " more threads");
                var oem = fleet.oem().orElseThrow();
                var c = oem.campaigns().start(oem.campaigns().create(dev.wasmota.oem.campaign.CampaignSpec.builder(v1.id(),
                        dev.wasmota.oem.campaign.Targets.vehicles(fleet.allVehicleIds()),
                        dev.wasmota.oem.campaign.WavePlan.parse("100%")).build()).id());
                long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                // the campaign completes at its advance threshold; wait for every vehicle's report
                while (oem.campaigns().status(c.id()).total().committed() < n && System.nanoTime() < end) {
                    Thread.sleep(200);
                }
                assertEquals(List.of(), thin.refusals());
                assertEquals(Campaign.State.COMPLETED, oem.campaigns().get(c.id()).state());
                assertTrue(oem.campaigns().actions(c.id()).stream().allMatch(a -> a.status() == Action.Status.COMMITTED));
                assertEquals(n, thin.committed());
                assertTrue(Arrays.stream(thin.committedAtNanos()).allMatch(t -> t > 0));
            }
        }
    }

    @Test
    void parkedVehiclesComeOnlineAFewAtATimeTakeTheirQueuedInstructionAndReport() throws Exception {
        int n = 30;
        int online = 4;
        try (Fleet fleet = Fleet.startWithoutVehicles(FleetConfig.of(dir, n).withoutModulesRunning())) {
            Scenario s = new Scenario(fleet, new Narrator(new PrintWriter(new StringWriter()), false),
                    Path.of(System.getProperty("ota.corpus")));
            Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.empty());
            try (ThinFleet thin = ThinFleet.park(fleet.brokerUrl(), fleet.topicLayout(), fleet.pki().trustStore(), fleet.pki(),
                    fleet.allVehicleIds(), Clock.systemUTC(), 2, online, x -> { })) {
                var oem = fleet.oem().orElseThrow();
                var c = oem.campaigns().start(oem.campaigns().create(dev.wasmota.oem.campaign.CampaignSpec.builder(v1.id(),
                        dev.wasmota.oem.campaign.Targets.vehicles(fleet.allVehicleIds()),
                        dev.wasmota.oem.campaign.WavePlan.parse("100%")).build()).id());
                Thread.sleep(2000); // every instruction queued in its offline vehicle's session
                assertEquals(0, thin.committed(), "no vehicle online while the campaign started");

                thin.roll(online, Duration.ofSeconds(2), System.nanoTime() + Duration.ofSeconds(120).toNanos());

                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (oem.campaigns().status(c.id()).total().committed() < n && System.nanoTime() < end) {
                    Thread.sleep(200);
                }
                assertEquals(List.of(), thin.refusals());
                assertTrue(oem.campaigns().actions(c.id()).stream().allMatch(a -> a.status() == Action.Status.COMMITTED));
                assertEquals(n, thin.committed());
                assertTrue(thin.mostOnline() <= online && thin.mostOnline() >= 1, "at most " + online + " online at once: "
                        + thin.mostOnline());
            }
        }
    }
}
