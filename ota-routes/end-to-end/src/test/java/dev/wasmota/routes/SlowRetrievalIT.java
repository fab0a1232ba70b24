package dev.wasmota.routes;

import static dev.wasmota.routes.PipelineKit.assertAccepted;

import dev.wasmota.protocol.RouteProperties;

import dev.wasmota.signing.pki.Credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.TlsListener;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.transport.PacketGuard;
import dev.wasmota.transport.SlowRetrievalRecorder;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Uptane's slow-retrieval attack on the pipeline: an on-path proxy trickles the update to a
 * vehicle one byte per 50 ms and keeps the connection open, which keep-alive never notices. The
 * vehicle's packet guard (2 s here, plus the size at 32 KiB/s) drops the connection, records a
 * {@code SECURITY_EVENT SLOW_RETRIEVAL}, installs nothing; once the link is honest again the
 * broker's redelivery installs and commits.
 */
class SlowRetrievalIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration PACKET_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BYTE_INTERVAL = Duration.ofMillis(50);
    private static final Duration SLACK = Duration.ofSeconds(3);
    private static final Set<AuditEvent> INSTALL_STEPS = Set.of(AuditEvent.VERIFY, AuditEvent.INSTALL_STAGED,
            AuditEvent.INSTALL_COMMITTED, AuditEvent.ACTIVATED);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void aTricklingUpdateIsCutOffAndInstallsOnceTheLinkIsHonest(BrokerKind kind) throws Exception {
        try (Broker broker = kind.start(BrokerSettings.builder(Files.createDirectories(dir.resolve("broker")))
                .port(0).maxMessageBytes(10 * 1024 * 1024).build());
             PipelineKit kit = new PipelineKit(dir, broker);
             TrickleProxy proxy = new TrickleProxy(broker.url(), TrickleProxy.Framing.MQTT, 1024, BYTE_INTERVAL)) {
            kit.startOem("w1");
            throughProxy(kit, proxy.url("tcp"));
            kit.startVehicle("veh-1");
            Release v1 = release(kit, kit.healthy("1.0.0", 1, "healthy_v1.wasm"), "healthy");
            attackThenRecover(kit, proxy, kit.campaign(v1, List.of("veh-1"), "1"), 2);
        }
    }

    @Test
    void aTricklingUpdateOverTlsIsCutOffToo() throws Exception {
        Fixtures fx = new Fixtures(dir);
        Path material = dir.resolve("broker-tls");
        Credential server = fx.oem.issueBroker(List.of("localhost"), List.of("127.0.0.1"));
        TlsMaterial.of(server, List.of(), fx.oem.root().cert()).writePem(material);
        BrokerSettings settings = BrokerSettings.builder(Files.createDirectories(dir.resolve("broker")))
                .plainListener(false).tls(new TlsListener(0, material)).maxMessageBytes(10 * 1024 * 1024)
                .oemClients(List.of("w1")).build();
        try (Broker broker = BrokerKind.MOSQUITTO.start(settings); PipelineKit kit = new PipelineKit(dir, fx, broker, true);
             TrickleProxy proxy = new TrickleProxy(broker.tlsUrl().orElseThrow(), TrickleProxy.Framing.TLS, 8192,
                     BYTE_INTERVAL)) {
            kit.startOem("w1");
            throughProxy(kit, proxy.url("ssl"));
            kit.startVehicle("veh-1");
            ModulePackage large = fx.supplierSigned(Packager.build(Fixtures.wasm("large_100k.wasm"),
                    Fixtures.spec("large", "1.0.0", 1, CapabilitySet.parse("log"))), fx.acme);
            Release v1 = release(kit, large, "large");
            attackThenRecover(kit, proxy, kit.campaign(v1, List.of("veh-1"), "1"), 1);
        }
    }

    /** Vehicles connect through {@code url} with the test's short packet timeout, read from the routes' settings. */
    private static void throughProxy(PipelineKit kit, String url) {
        PacketGuard guard = PacketGuard.of(RouteProperties.with(Map.of("ota.mqtt.packetTimeoutMillis",
                String.valueOf(PACKET_TIMEOUT.toMillis()))));
        kit.vehicleLink = s -> s.withBrokerUrl(url).withPacketGuard(guard);
    }

    private static Release release(PipelineKit kit, ModulePackage pkg, String moduleId) throws InterruptedException {
        assertAccepted(kit.submit(pkg));
        return kit.oem().releases().find(moduleId, "1.0.0").orElseThrow();
    }

    private static void attackThenRecover(PipelineKit kit, TrickleProxy proxy, Campaign c, int cuts) throws Exception {
        PipelineKit.await(cuts + " trickled downloads to be cut off", WAIT, () -> proxy.trickles().size() >= cuts);
        proxy.trickles().forEach(SlowRetrievalIT::assertCutWithinItsBound);
        EcuHost host = kit.hosts.get("veh-1");
        PipelineKit.await("a security event per cut", WAIT, () -> slowRetrievals(host).size() >= cuts
                && kit.registries.get("veh-1").counter(SlowRetrievalRecorder.METER, "party", "vehicle").count() >= cuts);
        AuditRecord first = slowRetrievals(host).get(0);
        assertTrue(first.detail().startsWith("slow retrieval: MQTT PUBLISH of "), first.toString());
        assertEquals(AuditRecord.Outcome.REFUSED, first.outcome());
        assertTrue(AuditLog.read(host.auditFile()).stream().noneMatch(r -> INSTALL_STEPS.contains(r.event())),
                "nothing verified or installed");
        assertTrue(host.modules().isEmpty(), "no slot changed");
        assertEquals(Action.Status.INSTRUCTED, kit.oem().campaigns().actions(c.id()).get(0).status());

        proxy.stopTrickling();
        PipelineKit.await("the redelivered update to install and the campaign to complete", WAIT,
                () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
        assertEquals("1.0.0", host.modules().get(0).activeMetadata().version());
        List<AuditRecord> after = AuditLog.read(host.auditFile());
        assertEquals(1, after.stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED).count());
        assertTrue(AuditLog.verify(host.auditFile()).ok());
    }

    /**
     * Cut no sooner than the timeout, and no later than the timeout plus the size at the minimum
     * rate (256 KiB if the proxy cannot see it, under TLS) plus slack.
     */
    private static void assertCutWithinItsBound(TrickleProxy.Trickle t) {
        long bytes = t.packetBytes() < 0 ? 256 * 1024 : t.packetBytes();
        Duration bound = PACKET_TIMEOUT.plusMillis(bytes * 1000 / PacketGuard.DEFAULT_MIN_BYTES_PER_SECOND);
        assertTrue(t.cutAfter().compareTo(PACKET_TIMEOUT.minusMillis(100)) >= 0, "not before the timeout: " + t);
        assertTrue(t.cutAfter().compareTo(bound.plus(SLACK)) <= 0, "within the bound " + bound + ": " + t);
        System.out.printf("slow retrieval cut after %d ms (packet %d bytes; asserted at most %d ms + slack)%n",
                t.cutAfter().toMillis(), t.packetBytes(), bound.toMillis());
    }

    private static List<AuditRecord> slowRetrievals(EcuHost host) {
        return AuditLog.read(host.auditFile()).stream().filter(r -> r.event() == AuditEvent.SECURITY_EVENT
                && SlowRetrievalRecorder.CAUSE.equals(r.cause())).toList();
    }
}
