package dev.wasmota.routes;

import static dev.wasmota.routes.PipelineKit.assertAccepted;

import dev.wasmota.transport.NoDelaySocketFactory;

import dev.wasmota.signing.pki.Credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.TlsListener;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import dev.wasmota.protocol.Topics;

/**
 * The pipeline over TLS with client certificates from the OEM's PKI, the broker's plain listener
 * off: the OEM, the supplier and the vehicles each authenticate with their own certificate, and a
 * client without one, or with one from another OEM, is refused.
 */
class TlsPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Every broker, under the default topic root and under another one ({@code ota.topic.root}). */
    static Stream<Arguments> brokersAndRoots() {
        return Stream.of(BrokerKind.values()).flatMap(kind -> Stream.of(Arguments.of(kind, Topics.DEFAULT_ROOT),
                Arguments.of(kind, "fleet/eu")));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("brokersAndRoots")
    void wholeFlowRunsOverMutualTlsAndStrangersAreRefused(BrokerKind kind, String root) throws Exception {
        Fixtures fx = new Fixtures(dir);
        Path material = dir.resolve("broker-tls");
        Credential server = fx.oem.issueBroker(List.of("localhost"), List.of("127.0.0.1"));
        TlsMaterial.of(server, List.of(), fx.oem.root().cert()).writePem(material);
        BrokerSettings settings = BrokerSettings.builder(Files.createDirectories(dir.resolve("broker-data")))
                .plainListener(false).tls(new TlsListener(0, material)).maxMessageBytes(10 * 1024 * 1024)
                .oemClients(List.of("w1")).topics(new Topics(root)).build();
        try (Broker broker = kind.start(settings); PipelineKit kit = new PipelineKit(dir, fx, broker, true, root)) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            assertAccepted(kit.submit(kit.healthy("1.0.0", 1, "healthy_v1.wasm")));
            Release v1 = kit.oem().releases().find("healthy", "1.0.0").orElseThrow();
            Campaign c = kit.campaign(v1, List.of("veh-1"), "1");
            PipelineKit.await("campaign to complete over TLS", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
            assertEquals("1.0.0", kit.hosts.get("veh-1").modules().get(0).activeMetadata().version());

            MqttSettings noCertificate = MqttSettings.of(broker.tlsUrl().orElseThrow(),
                    javax.net.ssl.SSLContext.getDefault().getSocketFactory());
            assertThrows(RejectedException.class, () -> MqttClients.connect(noCertificate, "stranger", false));
            Fixtures otherOem = new Fixtures(dir.resolve("other"), 9);
            Credential foreign = otherOem.oem.issueClient(ClientKind.VEHICLE, "veh-1");
            MqttSettings foreignCertificate = kit.mqtt.withSocketFactory(
                    NoDelaySocketFactory.tls(TlsMaterial.of(foreign, List.of(), fx.oem.root().cert()).sslContext()));
            assertThrows(RejectedException.class, () -> MqttClients.connect(foreignCertificate, "impostor", false));
        }
    }
}
