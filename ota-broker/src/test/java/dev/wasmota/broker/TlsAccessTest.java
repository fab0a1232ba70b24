package dev.wasmota.broker;

import dev.wasmota.protocol.Topics;

import dev.wasmota.transport.NoDelaySocketFactory;

import dev.wasmota.signing.pki.Credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.TrustHierarchy;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The TLS listener of each broker: client certificates from the OEM root only, and the topic ACLs of {@link TopicPolicy}. */
class TlsAccessTest {
    private static final Topics OTA = Topics.standard();

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Map<BrokerKind, Broker> BROKERS = new EnumMap<>(BrokerKind.class);

    @TempDir
    static Path dir;
    static TrustHierarchy pki;
    static Path brokerMaterial;

    @BeforeAll
    static void issueCertificates() throws Exception {
        pki = TrustHierarchy.create(dir.resolve("pki").resolve(TrustHierarchy.TRUST_DIR), Clock.systemUTC(), new SecureRandom());
        brokerMaterial = dir.resolve("broker-tls");
        material(pki.issueBroker(List.of("localhost"), List.of("127.0.0.1"))).writePem(brokerMaterial);
    }

    @AfterAll
    static void stopBrokers() {
        BROKERS.values().forEach(Broker::close);
        BROKERS.clear();
    }

    static synchronized Broker broker(BrokerKind kind) {
        return BROKERS.computeIfAbsent(kind, k -> {
            try {
                return k.start(BrokerSettings.builder(Files.createDirectories(dir.resolve(k.name()))).port(0)
                        .tls(new TlsListener(0, brokerMaterial)).oemClients(List.of("serve-1")).build());
            } catch (java.io.IOException e) {
                throw new BrokerException(e.getMessage(), e);
            }
        });
    }

    private static TlsMaterial material(Credential credential) {
        return TlsMaterial.of(credential, List.of(), pki.root().cert());
    }

    private static TestClient connect(BrokerKind kind, ClientKind client, String name) throws MqttException {
        SocketFactory sockets = NoDelaySocketFactory.tls(material(pki.issueClient(client, name)).sslContext());
        return TestClient.connect(broker(kind).tlsUrl().orElseThrow(), client.prefix() + "-" + name,
                TestClient.options(sockets, true, 0));
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void deliversAnUpdateToTheVehicleItIsFor(BrokerKind kind) throws Exception {
        try (TestClient vehicle = connect(kind, ClientKind.VEHICLE, "VIN1");
             TestClient oem = connect(kind, ClientKind.OEM, "serve-1")) {
            assertEquals(1, vehicle.subscribe(OTA.update("VIN1"), 1));
            assertEquals(0, oem.publish(OTA.update("VIN1"), "campaign-1"));
            TestClient.Received got = vehicle.next(WAIT);
            assertNotNull(got);
            assertEquals("campaign-1", got.payload());
        }
    }

    /**
     * HiveMQ refuses the SUBSCRIBE (SUBACK 0x87); Mosquitto's ACL file is only applied when delivering, so it grants
     * the subscription but never delivers a message the ACL denies. Either way nothing arrives.
     */
    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void neverDeliversAnotherVehiclesUpdatesToAVehicle(BrokerKind kind) throws Exception {
        try (TestClient oem = connect(kind, ClientKind.OEM, "serve-1");
             TestClient vehicle = connect(kind, ClientKind.VEHICLE, "VIN1")) {
            for (String filter : List.of(OTA.update("VIN2"), "ota/vehicle/+/update", "#")) {
                int code = vehicle.subscribe(filter, 1);
                assertTrue(kind == BrokerKind.MOSQUITTO || code == 0x87, kind + " granted " + filter + " with " + code);
            }
            assertTrue(oem.publish(OTA.update("VIN2"), "not for VIN1") < 0x80);
            assertNull(vehicle.next(Duration.ofSeconds(1)), kind + " delivered another vehicle's update");
        }
    }

    /** Both answer PUBACK 0x87 and drop the message; HiveMQ then also disconnects the client (DISCONNECT 0x87). */
    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void refusesAVehiclePublishingAnotherVehiclesStatus(BrokerKind kind) throws Exception {
        try (TestClient oem = connect(kind, ClientKind.OEM, "serve-1")) {
            assertEquals(1, oem.subscribe("ota/vehicle/+/status", 1));
            try (TestClient vehicle = connect(kind, ClientKind.VEHICLE, "VIN1")) {
                assertRefusedPublish(kind, vehicle, OTA.status("VIN2"));
            }
            assertNull(oem.next(Duration.ofSeconds(1)), "forged status was delivered");
            try (TestClient vehicle = connect(kind, ClientKind.VEHICLE, "VIN1")) {
                assertEquals(0, vehicle.publish(OTA.status("VIN1"), "own"));
            }
            assertEquals("own", oem.next(WAIT).payload());
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void letsASupplierSubmitAndReadOnlyItsOwnTopics(BrokerKind kind) throws Exception {
        try (TestClient oem = connect(kind, ClientKind.OEM, "serve-1")) {
            assertEquals(1, oem.subscribe(Topics.shared("oem", OTA.submitFilter()), 1));
            try (TestClient supplier = connect(kind, ClientKind.SUPPLIER, "acme")) {
                assertRefusedPublish(kind, supplier, OTA.submit("other"));
            }
            try (TestClient supplier = connect(kind, ClientKind.SUPPLIER, "acme")) {
                assertEquals(1, supplier.subscribe(OTA.result("acme"), 1));
                assertEquals(0, supplier.publish(OTA.submit("acme"), "package"));
                assertEquals("package", oem.next(WAIT).payload());
                assertNull(oem.next(Duration.ofSeconds(1)), "forged submission was delivered");
                oem.publish(OTA.result("acme"), "accepted");
                assertEquals("accepted", supplier.next(WAIT).payload());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void letsAnOemServiceShareSubscribeToVehicleStatuses(BrokerKind kind) throws Exception {
        try (TestClient oem = connect(kind, ClientKind.OEM, "serve-1");
             TestClient vehicle = connect(kind, ClientKind.VEHICLE, "VIN3")) {
            assertEquals(1, oem.subscribe(Topics.shared("g", OTA.statusFilter()), 1));
            assertEquals(0, vehicle.publish(OTA.status("VIN3"), "installed"));
            TestClient.Received got = oem.next(WAIT);
            assertNotNull(got);
            assertEquals(OTA.status("VIN3"), got.topic());
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void refusesAClientWithoutACertificate(BrokerKind kind) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(material(pki.issueClient(ClientKind.VEHICLE, "VIN1")).trustStore());
        context.init(null, tmf.getTrustManagers(), null);
        assertRefused(kind, context.getSocketFactory());
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void refusesAClientWhoseCertificateChainsToAnotherRoot(BrokerKind kind) throws Exception {
        TrustHierarchy other = TrustHierarchy.create(dir.resolve("other-pki-" + kind).resolve(TrustHierarchy.TRUST_DIR), Clock.systemUTC(), new SecureRandom());
        TlsMaterial foreign = TlsMaterial.of(other.issueClient(ClientKind.OEM, "serve-1"), List.of(), pki.root().cert());
        assertRefused(kind, NoDelaySocketFactory.tls(foreign.sslContext()));
    }

    private static void assertRefusedPublish(BrokerKind kind, TestClient client, String topic) throws InterruptedException {
        try {
            assertEquals(0x87, client.publish(topic, "forged"), kind + " PUBACK for " + topic);
        } catch (MqttException e) {
            assertEquals(0x87, disconnectReason(client, e), kind + " on " + topic + ": " + e.getMessage());
        }
    }

    private static int disconnectReason(TestClient client, MqttException e) throws InterruptedException {
        MqttDisconnectResponse gone = client.disconnection(WAIT);
        return gone == null ? e.getReasonCode() : gone.getReturnCode();
    }

    private static void assertRefused(BrokerKind kind, SocketFactory sockets) throws InterruptedException {
        String url = broker(kind).tlsUrl().orElseThrow();
        try {
            TestClient client = TestClient.connect(url, "intruder-" + kind, TestClient.options(sockets, true, 0));
            MqttDisconnectResponse gone = client.disconnection(WAIT);
            client.close();
            assertNotNull(gone, kind + " kept a client without a valid certificate connected");
        } catch (MqttException expected) {
            System.out.println(kind + " refused: " + expected.getReasonCode() + " " + expected.getMessage()
                    + " / " + expected.getCause());
        }
    }
}
