package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.audit.AuditEvent;
import dev.wasmota.ecu.audit.AuditLog;
import dev.wasmota.ecu.audit.AuditRecord;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OEM killed ({@code kill -9}) in the middle of a campaign and started again: the campaign
 * resumes and completes, every vehicle installs the release exactly once, the reports vehicles
 * sent while the OEM was down are taken from its persistent session after the restart, no status
 * record is lost, and every audit log verifies. The OEM runs in its own process ({@link OemChild});
 * the broker (Mosquitto) and the vehicles outlive it.
 */
class OemKillIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int VEHICLES = 8;
    /** Each update takes this long to reach a vehicle, so the kill lands while waves are in flight. */
    private static final Duration LINK_DELAY = Duration.ofMillis(800);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void oemKilledMidCampaignResumesAfterRestartAndLosesNothing() throws Exception {
        try (Broker broker = BrokerKind.MOSQUITTO.start(Brokers.settings(dir.resolve("broker")));
             PipelineKit kit = new PipelineKit(dir.resolve("pipeline"), broker)) {
            List<String> ids = IntStream.rangeClosed(1, VEHICLES).mapToObj(i -> "veh-" + i).toList();
            String campaignId = prepare(kit, ids);
            Path audit = kit.dir.resolve("oem").resolve("audit-w1.log");

            OemProcess first = OemProcess.start(kit, broker, audit);
            first.send("start " + campaignId);
            PipelineKit.await("the first vehicle to commit", WAIT, () -> kit.running(ids, "1.0.0") >= 1);
            first.kill();
            int atKill = kit.running(ids, "1.0.0");
            assertTrue(atKill < VEHICLES, "the kill must land mid-campaign; " + atKill + " of " + VEHICLES + " had committed");

            Thread.sleep(LINK_DELAY.multipliedBy(2).toMillis());
            OemProcess second = OemProcess.start(kit, broker, audit);
            second.awaitState(campaignId, "COMPLETED", WAIT);
            second.stop();

            OemNode oem = kit.startOem("w1");
            for (String id : ids) {
                EcuHost host = kit.hosts.get(id);
                ModuleState s = host.modules().get(0);
                assertEquals("1.0.0", s.activeMetadata().version(), id + " runs the release");
                List<AuditRecord> log = AuditLog.read(host.auditFile());
                assertEquals(1, log.stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED).count(),
                        id + " installed exactly once");
                assertTrue(AuditLog.verify(host.auditFile()).ok(), id + "'s audit log verifies");
                Action a = oem.campaigns().actions(campaignId).stream().filter(x -> x.vehicleId().equals(id)).findFirst()
                        .orElseThrow();
                assertEquals(Action.Status.COMMITTED, a.status(), id + "'s record at the OEM");
            }
            List<AuditRecord> oemLog = AuditLog.read(audit);
            for (String id : ids) {
                assertTrue(oemLog.stream().anyMatch(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED
                        && "COMMITTED".equals(r.cause()) && r.detail() != null && r.detail().startsWith("vehicle " + id + " ")),
                        "the OEM's audit log holds " + id + "'s report");
            }
            assertTrue(oemLog.stream().anyMatch(r -> r.event() == AuditEvent.CAMPAIGN_COMPLETED));
            assertTrue(AuditLog.verify(audit).ok(), "the OEM's audit log verifies after the kill");
        }
    }

    /**
     * Vehicles registered and connected, the release published, the campaign created (not
     * started) by worker w1 in this JVM, which then stops: the child is the same worker (same
     * sessions), since an offline persistent session of another worker would keep its share of
     * the status reports.
     */
    private static String prepare(PipelineKit kit, List<String> ids) {
        OemNode local = kit.startOem("w1");
        for (String id : ids) {
            kit.startVehicle(id, new VehicleNode.Options(Optional.empty(), LINK_DELAY));
        }
        Release v1 = local.releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy("1.0.0", 1,
                "healthy_v1.wasm"))));
        Campaign c = local.campaigns().create(CampaignSpec.builder(v1.id(), Targets.vehicles(ids),
                WavePlan.parse("1,3,100%")).build());
        local.close();
        kit.oems.clear();
        return c.id();
    }


    /** {@link OemChild} in its own JVM: started, asked, stopped or killed. */
    private static final class OemProcess {
        private final Process process;
        private final PrintStream in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private final Path err;

        private OemProcess(Process process, Path err) {
            this.process = process;
            this.err = err;
            this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("io: " + e.getMessage());
                }
            }, "oem-child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static OemProcess start(PipelineKit kit, Broker broker, Path audit) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), OemChild.class.getName(),
                    kit.dir.resolve("oem").toString(), broker.url(), kit.topics.root(), kit.dbUrl(), audit.toString(), "w1"));
            Path err = kit.dir.resolve("oem-" + System.nanoTime() + ".err");
            OemProcess p = new OemProcess(new ProcessBuilder(command).redirectError(err.toFile()).start(), err);
            p.await("ready", WAIT);
            return p;
        }

        void send(String line) {
            in.println(line);
        }

        void awaitState(String campaignId, String state, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            String wanted = "state " + campaignId + " " + state;
            String last = "nothing";
            while (System.nanoTime() < end) {
                send("state " + campaignId);
                String line = lines.poll(2, TimeUnit.SECONDS);
                if (wanted.equals(line)) {
                    return;
                }
                last = line == null ? last : line;
                Thread.sleep(200);
            }
            throw new AssertionError("campaign " + campaignId + " did not reach " + state + " within " + timeout.toSeconds()
                    + " s; last answer: " + last + "; the OEM's standard error is in " + err);
        }

        void await(String wanted, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (wanted.equals(line)) {
                    return;
                }
                if (!process.isAlive() && lines.isEmpty()) {
                    throw new AssertionError("the OEM process exited with " + process.exitValue() + " before '" + wanted + "'");
                }
            }
            throw new AssertionError("the OEM process did not print '" + wanted + "' within " + timeout.toSeconds() + " s");
        }

        /** SIGKILL: no shutdown hook, no flush, no goodbye to the broker. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the OEM process died");
        }

        void stop() throws InterruptedException {
            send("stop");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the OEM process stopped");
            assertEquals(0, process.exitValue());
        }
    }
}
