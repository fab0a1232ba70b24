package dev.wasmota.protocol.tls;

import dev.wasmota.transport.NoDelaySocketFactory;

import dev.wasmota.signing.pki.TrustHierarchy;

import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.JdkKeys;
import dev.wasmota.signing.pki.Pem;

import static dev.wasmota.signing.pki.PkiTestSupport.assertKeyPair;
import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static dev.wasmota.signing.pki.PkiTestSupport.publicKey;
import static dev.wasmota.protocol.tls.TlsTestSupport.broker;
import static dev.wasmota.protocol.tls.TlsTestSupport.exchange;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.tls.TlsTestSupport.Accepted;
import dev.wasmota.protocol.tls.TlsTestSupport.Connected;
import dev.wasmota.protocol.tls.TlsTestSupport.Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsMaterialTest {
    static final char[] PASSWORD = "changeit-42".toCharArray();

    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    static Fixtures fx;
    static TrustHierarchy oem;
    static TrustHierarchy otherOem;
    static TlsMaterial broker;
    static TlsMaterial vehicle;

    @BeforeAll
    static void setUp() {
        fx = new Fixtures(shared.resolve("a"), 1);
        new Fixtures(shared.resolve("b"), 2);
        oem = TlsTestSupport.issuingNow(shared.resolve("a"), 61);
        otherOem = TlsTestSupport.issuingNow(shared.resolve("b"), 62);
        broker = broker(oem);
        vehicle = TlsMaterial.of(oem.issueClient(ClientKind.VEHICLE, "VIN123"), List.of(), oem.root().cert());
    }

    @Test
    void vehicleCertificateHandshakesWithTls13AndTheServerSeesItsIdentity() throws Exception {
        try (Server server = new Server(broker.sslContext())) {
            Connected client = exchange(NoDelaySocketFactory.tls(vehicle.sslContext()), server.port());
            Accepted accepted = server.result();
            assertEquals("TLSv1.3", client.protocol());
            assertEquals("TLSv1.3", accepted.protocol());
            assertEquals(Optional.of(Map.entry(ClientKind.VEHICLE, "VIN123")), accepted.identity());
            assertTrue(client.tcpNoDelay(), "the client socket sets TCP_NODELAY");
        }
    }

    @Test
    void plainContextHandshakesToo() throws Exception {
        TlsMaterial supplierService = TlsMaterial.of(oem.issueClient(ClientKind.SUPPLIER, "acme"), List.of(), oem.root().cert());
        try (Server server = new Server(broker.sslContext())) {
            exchange(supplierService.sslContext().getSocketFactory(), server.port());
            assertEquals(Optional.of(Map.entry(ClientKind.SUPPLIER, "acme")), server.result().identity());
        }
    }

    @Test
    void serverRefusesAClientWithoutACertificate() throws Exception {
        SSLContext anonymous = SSLContext.getInstance("TLS");
        anonymous.init(null, trustOnly(vehicle), null);
        assertServerRefuses(anonymous.getSocketFactory());
    }

    @Test
    void serverRefusesAVehicleCertificateOfAnotherOem() throws Exception {
        Credential foreign = otherOem.issueClient(ClientKind.VEHICLE, "VIN123");
        assertEquals(oem.root().cert().getSubject(), otherOem.root().cert().getSubject(), "fixture: both roots look alike");
        assertServerRefuses(NoDelaySocketFactory.tls(TlsMaterial.of(foreign, List.of(), oem.root().cert()).sslContext()));
    }

    @Test
    void serverRefusesASigningCertificateWithoutClientAuth() throws Exception {
        assertServerRefuses(NoDelaySocketFactory.tls(TlsMaterial.of(oem.release(), List.of(), oem.root().cert()).sslContext()));
    }

    @Test
    void clientRefusesABrokerOfAnotherOem() throws Exception {
        try (Server server = new Server(broker(otherOem).sslContext())) {
            assertThrows(SSLHandshakeException.class, () -> exchange(NoDelaySocketFactory.tls(vehicle.sslContext()), server.port()));
        }
    }

    @Test
    void clientRefusesABrokerCertificateNotNamingTheAddress() throws Exception {
        TlsMaterial elsewhere = TlsMaterial.of(oem.issueBroker(List.of("broker.example"), List.of("10.0.0.1")), List.of(),
                oem.root().cert());
        try (Server server = new Server(elsewhere.sslContext())) {
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> exchange(NoDelaySocketFactory.tls(vehicle.sslContext()), server.port()));
            assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        }
    }

    @Test
    void everySocketOfTheFactorySetsTcpNoDelayAndTlsOnly() throws Exception {
        SSLSocketFactory factory = NoDelaySocketFactory.tls(vehicle.sslContext());
        try (SSLSocket unconnected = (SSLSocket) factory.createSocket()) {
            assertTrue(unconnected.getTcpNoDelay());
            assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(unconnected.getEnabledProtocols()));
        }
        try (Server server = new Server(broker.sslContext())) {
            try (Socket plain = new Socket(TlsTestSupport.LOOPBACK, server.port());
                 Socket layered = factory.createSocket(plain, "127.0.0.1", server.port(), true)) {
                assertTrue(layered.getTcpNoDelay());
                assertTrue(plain.getTcpNoDelay());
            }
        }
    }

    @Test
    void pemRoundTripKeepsKeyChainAndRootAndStillHandshakes() throws Exception {
        vehicle.writePem(dir);
        assertTrue(Files.readString(dir.resolve("key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(List.of(vehicle.leaf()), Pem.readCertificates(dir.resolve("cert.pem")));
        assertEquals(vehicle.trustRoot(), Pem.readCertificate(dir.resolve("ca.pem")));
        TlsMaterial read = TlsMaterial.readPem(dir);
        assertEquals(vehicle.leaf(), read.leaf());
        assertEquals(vehicle.trustRoot(), read.trustRoot());
        assertEquals(List.of(), read.intermediates());
        assertKeyPair(read.key(), publicKey(read.leaf()));
        try (Server server = new Server(broker.sslContext())) {
            exchange(NoDelaySocketFactory.tls(read.sslContext()), server.port());
            assertEquals(Optional.of(Map.entry(ClientKind.VEHICLE, "VIN123")), server.result().identity());
        }
    }

    @Test
    void pemKeyIsPkcs8V1WithoutThePublicKeyThatOpenSsl30Refuses() throws Exception {
        vehicle.writePem(dir);
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(dir.resolve("key.pem")))) {
            PrivateKeyInfo info = (PrivateKeyInfo) parser.readObject();
            assertEquals(0, info.getVersion().intValueExact());
            assertFalse(info.hasPublicKey());
        }
    }

    @Test
    void pemRoundTripKeepsIntermediatesInOrder() {
        TlsMaterial withCa = TlsMaterial.of(new Credential(fx.acme.keys().getPrivate(), fx.acme.chain().get(0)),
                List.of(fx.oem.supplierCa().cert()), fx.oem.root().cert());
        withCa.writePem(dir);
        TlsMaterial read = TlsMaterial.readPem(dir);
        assertEquals(fx.acme.chain(), List.of(read.leaf(), read.intermediates().get(0)));
        assertEquals(1, read.intermediates().size());
    }

    @Test
    void pemKeyFileIsOwnerOnlyAndRewritingReplacesIt() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        broker.writePem(dir);
        vehicle.writePem(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))));
        assertEquals(vehicle.leaf(), TlsMaterial.readPem(dir).leaf());
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "key.pem, cert.pem, ca.pem and no temporary files");
        }
    }

    @Test
    void malformedPemFilesAreRefusedNamingTheFile() throws Exception {
        assertMalformedFile("cert.pem", "-----BEGIN CERTIFICATE-----\nMIIBnotbase64!!\n-----END CERTIFICATE-----\n");
        assertMalformedFile("cert.pem", "");
        assertMalformedFile("ca.pem", Pem.encode(vehicle.trustRoot(), vehicle.leaf()));
        assertMalformedFile("key.pem", Pem.encode(vehicle.leaf()));
        assertMalformedFile("key.pem", Pem.encode(broker.key()));
        assertMalformedFile("key.pem", "x".repeat((int) Pem.MAX_BYTES + 1));
    }

    @Test
    void missingPemFileIsNamed() throws Exception {
        vehicle.writePem(dir);
        Files.delete(dir.resolve("ca.pem"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TlsMaterial.readPem(dir));
        assertTrue(e.getMessage().contains("ca.pem"), e.getMessage());
    }

    @Test
    void ofRefusesAKeyThatIsNotTheLeafsKey() {
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                () -> TlsMaterial.of(new Credential(broker.key(), vehicle.leaf()), List.of(), oem.root().cert()));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void pkcs12RoundTripHoldsTheKeyEntryAndOnlyTheRootAndServesHandshakes() throws Exception {
        Path ks = dir.resolve("broker.p12");
        Path ts = dir.resolve("trust.p12");
        broker.writeKeyStores(ks, ts, PASSWORD);
        KeyStore keys = load(ks);
        KeyStore trust = load(ts);
        assertEquals(List.of(TlsMaterial.KEY_ALIAS), Collections.list(keys.aliases()));
        assertTrue(keys.isKeyEntry(TlsMaterial.KEY_ALIAS));
        assertEquals(List.of(JdkKeys.toJdk(broker.leaf())), List.of(keys.getCertificateChain(TlsMaterial.KEY_ALIAS)));
        assertArrayEquals(JdkKeys.toJdk(broker.key()).getEncoded(), keys.getKey(TlsMaterial.KEY_ALIAS, PASSWORD).getEncoded());
        assertEquals(List.of(TlsMaterial.ROOT_ALIAS), Collections.list(trust.aliases()));
        assertEquals(JdkKeys.toJdk(oem.root().cert()), trust.getCertificate(TlsMaterial.ROOT_ALIAS));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ks)));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext fromFiles = SSLContext.getInstance("TLS");
        fromFiles.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (Server server = new Server(fromFiles)) {
            exchange(NoDelaySocketFactory.tls(vehicle.sslContext()), server.port());
            assertEquals(Optional.of(Map.entry(ClientKind.VEHICLE, "VIN123")), server.result().identity());
        }
    }

    @Test
    void clientIdentityReadsTheCnAndIsEmptyOtherwise() {
        assertEquals(Optional.of(Map.entry(ClientKind.VEHICLE, "VIN123")), TlsMaterial.clientIdentity(JdkKeys.toJdk(vehicle.leaf())));
        assertEquals(Optional.of(Map.entry(ClientKind.OEM, "serve-1")),
                TlsMaterial.clientIdentity(JdkKeys.toJdk(oem.issueClient(ClientKind.OEM, "serve-1").cert())));
        assertEquals(Optional.empty(), TlsMaterial.clientIdentity(JdkKeys.toJdk(broker.leaf())));
        assertEquals(Optional.empty(), TlsMaterial.clientIdentity(JdkKeys.toJdk(oem.release().cert())));
        assertEquals(Optional.empty(), TlsMaterial.clientIdentity(null));
    }

    private static void assertServerRefuses(SSLSocketFactory client) throws Exception {
        try (Server server = new Server(broker.sslContext())) {
            try {
                exchange(client, server.port());
            } catch (IOException expected) {
                // the client learns of the refusal on its first read at the latest
            }
            Exception e = assertThrows(Exception.class, server::result);
            assertInstanceOf(SSLHandshakeException.class, e, e.toString());
        }
    }

    private static javax.net.ssl.TrustManager[] trustOnly(TlsMaterial material) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(material.trustStore());
        return tmf.getTrustManagers();
    }

    private void assertMalformedFile(String file, String content) throws IOException {
        vehicle.writePem(dir);
        Files.writeString(dir.resolve(file), content);
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> TlsMaterial.readPem(dir));
        assertTrue(e.getMessage().contains(dir.resolve(file).toString()), e.getMessage());
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }
}
