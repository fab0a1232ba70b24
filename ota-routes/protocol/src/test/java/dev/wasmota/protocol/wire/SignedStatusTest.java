package dev.wasmota.protocol.wire;

import dev.wasmota.signing.pki.TrustHierarchy;

import dev.wasmota.signing.pki.Credential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.TrustStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SignedStatusTest {
    @TempDir
    Path dir;
    Fixtures fx;
    Credential veh1;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        veh1 = fx.oem.issueClient(ClientKind.VEHICLE, "veh-1");
    }

    static StatusReport report(String vehicleId) {
        return new StatusReport(vehicleId, "camp-1", "ins-1", "00112233445566778899aabbccddeeff",
                StatusReport.Result.COMMITTED, "", "ok", "healthy", "1.0.0", "a".repeat(64), 3, "b".repeat(64), Fixtures.T0);
    }

    TrustStore trust() {
        return fx.oem.trustStore();
    }

    static RejectedException assertRejected(RouteFailure reason, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    static List<byte[]> parts(byte[] signed) {
        return Frames.decode(signed, SignedStatus.KIND, 3, StatusReportCodec.MAX_BYTES, SignedStatus.MAX_SIGNATURE_BYTES,
                SignedStatus.MAX_CERT_BYTES);
    }

    static byte[] ed25519(Credential c, byte[] body) throws Exception {
        Signature s = Signature.getInstance("Ed25519", Crypto.PROVIDER);
        s.initSign(c.key());
        s.update(body);
        return s.sign();
    }

    @Test
    void roundTripsThroughSignAndOpen() {
        StatusReport r = report("veh-1");
        assertEquals(r, SignedStatus.open(SignedStatus.sign(r, veh1), trust(), Fixtures.T0));
    }

    @Test
    void framesCanonicalReportSignatureAndCertificate() throws Exception {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        assertTrue(signed.length <= SignedStatus.MAX_BYTES, signed.length + " bytes");
        List<byte[]> parts = parts(signed);
        assertArrayEquals(StatusReportCodec.canonicalBytes(report("veh-1")), parts.get(0));
        assertArrayEquals(veh1.cert().getEncoded(), parts.get(2));
    }

    @Test
    void opensWithinTheCertificatesValidity() {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        Instant lastDay = Fixtures.T0.plus(TrustHierarchy.TLS_VALIDITY).minus(Duration.ofDays(1));
        assertEquals(report("veh-1"), SignedStatus.open(signed, trust(), lastDay));
    }

    @Test
    void refusesReportWithAFlippedByte() {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        int at = Fixtures.indexOf(signed, "\"ok\"".getBytes(StandardCharsets.US_ASCII)) + 1;
        signed[at] ^= 0x01;
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(signed, trust(), Fixtures.T0));
    }

    @Test
    void refusesReportWhoseVehicleIdWasRewrittenAsUnverifiedNotWrongSender() {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        int at = Fixtures.indexOf(signed, "\"veh-1\"".getBytes(StandardCharsets.US_ASCII));
        signed[at + 5] = '2';
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(signed, trust(), Fixtures.T0));
    }

    @Test
    void refusesFlippedSignatureByte() {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        List<byte[]> parts = parts(signed);
        parts.get(1)[10] ^= 0x40;
        byte[] tampered = Frames.encode(SignedStatus.KIND, parts.get(0), parts.get(1), parts.get(2));
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(tampered, trust(), Fixtures.T0));
    }

    @Test
    void refusesVehicleCertificateFromAnotherOem(@TempDir Path otherDir) {
        Fixtures other = new Fixtures(otherDir, 9);
        Credential stranger = other.oem.issueClient(ClientKind.VEHICLE, "veh-1");
        byte[] signed = SignedStatus.sign(report("veh-1"), stranger);
        assertEquals(report("veh-1"), SignedStatus.open(signed, other.oem.trustStore(), Fixtures.T0));
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(signed, trust(), Fixtures.T0));
    }

    @Test
    void refusesSupplierClientCertificate() {
        Credential supplier = fx.oem.issueClient(ClientKind.SUPPLIER, "acme");
        byte[] signed = SignedStatus.sign(report("veh-1"), supplier);
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(signed, trust(), Fixtures.T0));
    }

    @Test
    void refusesOemClientCertificateEvenWhenItsNameIsTheVehicles() {
        Credential oemService = fx.oem.issueClient(ClientKind.OEM, "veh-1");
        byte[] signed = SignedStatus.sign(report("veh-1"), oemService);
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(signed, trust(), Fixtures.T0));
    }

    @Test
    void refusesOemReleaseAndCampaignKeys() {
        byte[] release = SignedStatus.sign(report("veh-1"), fx.oem.release());
        byte[] campaign = SignedStatus.sign(report("veh-1"), fx.oem.campaign());
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(release, trust(), Fixtures.T0));
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(campaign, trust(), Fixtures.T0));
    }

    @Test
    void refusesReportNamingAnotherVehicleThanItsCertificate() {
        byte[] signed = SignedStatus.sign(report("veh-2"), veh1);
        RejectedException e = assertRejected(RouteFailure.WRONG_SENDER, () -> SignedStatus.open(signed, trust(), Fixtures.T0));
        assertTrue(e.getMessage().contains("veh-2"), e.getMessage());
    }

    @Test
    void refusesReportNamingAVehicleWhoseIdOnlyPrefixesTheCertificates() {
        Credential veh10 = fx.oem.issueClient(ClientKind.VEHICLE, "veh-10");
        assertRejected(RouteFailure.WRONG_SENDER,
                () -> SignedStatus.open(SignedStatus.sign(report("veh-1"), veh10), trust(), Fixtures.T0));
    }

    @Test
    void refusesExpiredCertificate() {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        Instant afterNotAfter = veh1.cert().getNotAfter().toInstant().plusSeconds(1);
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(signed, trust(), afterNotAfter));
    }

    @Test
    void refusesCertificateNotYetValid() {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        Instant beforeNotBefore = veh1.cert().getNotBefore().toInstant().minusSeconds(1);
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(signed, trust(), beforeNotBefore));
    }

    @Test
    void refusesGarbageCertificateBytes() throws Exception {
        byte[] body = StatusReportCodec.canonicalBytes(report("veh-1"));
        byte[] sig = ed25519(veh1, body);
        byte[] garbage = Frames.encode(SignedStatus.KIND, body, sig, "not a certificate".getBytes(StandardCharsets.US_ASCII));
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(garbage, trust(), Fixtures.T0));
        byte[] empty = Frames.encode(SignedStatus.KIND, body, sig, new byte[0]);
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(empty, trust(), Fixtures.T0));
        byte[] der = veh1.cert().getEncoded();
        byte[] truncated = Frames.encode(SignedStatus.KIND, body, sig, Arrays.copyOf(der, der.length - 10));
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(truncated, trust(), Fixtures.T0));
    }

    @Test
    void refusesEmptySignature() throws Exception {
        byte[] body = StatusReportCodec.canonicalBytes(report("veh-1"));
        byte[] unsigned = Frames.encode(SignedStatus.KIND, body, new byte[0], veh1.cert().getEncoded());
        assertRejected(RouteFailure.UNVERIFIED_STATUS, () -> SignedStatus.open(unsigned, trust(), Fixtures.T0));
    }

    @Test
    void refusesValidlySignedBodyThatIsNotACanonicalReportAsMalformed() throws Exception {
        byte[] body = "{\"vehicleId\": \"veh-1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] signed = Frames.encode(SignedStatus.KIND, body, ed25519(veh1, body), veh1.cert().getEncoded());
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> SignedStatus.open(signed, trust(), Fixtures.T0));
    }

    @Test
    void refusesBadFramingBeforeLookingAtTheCertificate() throws Exception {
        byte[] signed = SignedStatus.sign(report("veh-1"), veh1);
        List<byte[]> parts = parts(signed);
        byte[] twoParts = Frames.encode(SignedStatus.KIND, parts.get(0), parts.get(1));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> SignedStatus.open(twoParts, trust(), Fixtures.T0));
        byte[] otherKind = Frames.encode(UpdateMessage.KIND, parts.get(0), parts.get(1), parts.get(2));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> SignedStatus.open(otherKind, trust(), Fixtures.T0));
        byte[] bigCert = Frames.encode(SignedStatus.KIND, parts.get(0), parts.get(1), new byte[SignedStatus.MAX_CERT_BYTES + 1]);
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> SignedStatus.open(bigCert, trust(), Fixtures.T0));
        byte[] bigSig = Frames.encode(SignedStatus.KIND, parts.get(0), new byte[SignedStatus.MAX_SIGNATURE_BYTES + 1], parts.get(2));
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> SignedStatus.open(bigSig, trust(), Fixtures.T0));
        byte[] bigBody = Frames.encode(SignedStatus.KIND, new byte[StatusReportCodec.MAX_BYTES + 1], parts.get(1), parts.get(2));
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> SignedStatus.open(bigBody, trust(), Fixtures.T0));
    }
}
