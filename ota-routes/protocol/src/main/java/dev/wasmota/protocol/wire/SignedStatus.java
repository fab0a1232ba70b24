package dev.wasmota.protocol.wire;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;

/**
 * A status report signed by its vehicle: the canonical report, a signature over it by the
 * vehicle's key, and the vehicle's certificate (issued by the OEM root for
 * {@link CertRole#VEHICLE}, common name {@code vehicle/<id>}). {@link #open} checks the chain and
 * the signature before it parses the report, then that the report names the certificate's vehicle.
 */
public final class SignedStatus {
    public static final String KIND = "WOTS";
    public static final String CN_PREFIX = "vehicle/";
    public static final int MAX_SIGNATURE_BYTES = 512;
    public static final int MAX_CERT_BYTES = 8 * 1024;
    public static final int MAX_BYTES = 6 + 12 + StatusReportCodec.MAX_BYTES + MAX_SIGNATURE_BYTES + MAX_CERT_BYTES;

    private SignedStatus() {
    }

    /** Signs {@code report} with the vehicle's credential. */
    public static byte[] sign(StatusReport report, Credential vehicle) {
        byte[] body = StatusReportCodec.canonicalBytes(report);
        try {
            Signature s = Signature.getInstance(algorithm(vehicle.key().getAlgorithm()), Crypto.PROVIDER);
            s.initSign(vehicle.key());
            s.update(body);
            return Frames.encode(KIND, body, s.sign(), vehicle.cert().getEncoded());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign a status report: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies and opens a signed status payload.
     *
     * @throws RejectedException {@link RouteFailure#MALFORMED_MESSAGE} or {@code OVERSIZED_MESSAGE}
     *     for bad framing, {@link RouteFailure#UNVERIFIED_STATUS} for a bad certificate or signature,
     *     {@link RouteFailure#WRONG_SENDER} when the report names another vehicle than its certificate
     */
    public static StatusReport open(byte[] payload, TrustStore trust, Instant now) {
        List<byte[]> parts = Frames.decode(payload, KIND, 3, StatusReportCodec.MAX_BYTES, MAX_SIGNATURE_BYTES, MAX_CERT_BYTES);
        X509CertificateHolder cert;
        try {
            cert = new X509CertificateHolder(parts.get(2));
        } catch (IOException | RuntimeException e) {
            throw unverified("the status report's certificate is not DER X.509");
        }
        try {
            new ChainValidator(trust).validate(cert, List.of(), CertRole.VEHICLE, now);
        } catch (RejectedException e) {
            throw unverified("the status report's certificate: " + e.getMessage());
        }
        if (!verifies(cert, parts.get(0), parts.get(1))) {
            throw unverified("the status report's signature does not verify with its certificate");
        }
        StatusReport report = StatusReportCodec.parse(parts.get(0));
        String cn = CertIssuer.commonName(cert).orElse("");
        if (!cn.equals(CN_PREFIX + report.vehicleId())) {
            throw new RejectedException(RouteFailure.WRONG_SENDER, "status report for vehicle " + report.vehicleId()
                    + " is signed by '" + cn + "'");
        }
        return report;
    }

    private static boolean verifies(X509CertificateHolder cert, byte[] body, byte[] signature) {
        try {
            PublicKey key = new JcaX509CertificateConverter().setProvider(Crypto.PROVIDER).getCertificate(cert).getPublicKey();
            Signature s = Signature.getInstance(algorithm(key.getAlgorithm()), Crypto.PROVIDER);
            s.initVerify(key);
            s.update(body);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new IllegalArgumentException("no signature algorithm for " + keyAlgorithm + " keys");
        };
    }

    private static RejectedException unverified(String why) {
        return new RejectedException(RouteFailure.UNVERIFIED_STATUS, why);
    }
}
