package dev.wasmota.signing.pki;

import dev.wasmota.signing.manifest.CapabilitySet;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

/**
 * Issues the product's X.509 certificates: the OEM root, role CAs and role leaves, each with the
 * constraints the verifier later insists on (basic constraints, key usage, role EKU).
 */
public final class CertIssuer {
    private static final BcX509ExtensionUtils EXT = new BcX509ExtensionUtils();

    private final SecureRandom random;

    public CertIssuer(SecureRandom random) {
        this.random = random;
    }

    /** An X.500 name {@code CN=cn, O=org}. */
    public static X500Name name(String cn, String org) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, org).addRDN(BCStyle.CN, cn).build();
    }

    /** The CN of a certificate's subject, or empty. */
    public static Optional<String> commonName(X509CertificateHolder cert) {
        var rdns = cert.getSubject().getRDNs(BCStyle.CN);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return Optional.empty();
        }
        return Optional.of(rdns[0].getFirst().getValue().toString());
    }

    /** A self-signed root CA. */
    public X509CertificateHolder selfSignedRoot(X500Name subject, java.security.KeyPair keys, Instant from, Duration validity) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        X509v3CertificateBuilder b = builder(subject, subject, spki, from, validity);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, EXT.createSubjectKeyIdentifier(spki));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return b.build(Crypto.signer(keys.getPrivate()));
    }

    /** An intermediate CA that may only issue leaves of {@code role}. */
    public X509CertificateHolder roleCa(X509CertificateHolder issuer, PrivateKey issuerKey, X500Name subject,
                                        PublicKey key, CertRole role, Instant from, Duration validity) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        X509v3CertificateBuilder b = builder(issuer.getSubject(), subject, spki, from, validity);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(role.purpose()));
            b.addExtension(Extension.subjectKeyIdentifier, false, EXT.createSubjectKeyIdentifier(spki));
            b.addExtension(Extension.authorityKeyIdentifier, false, EXT.createAuthorityKeyIdentifier(issuer));
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return b.build(Crypto.signer(issuerKey));
    }

    /**
     * A signing leaf of {@code role}. For {@link CertRole#SUPPLIER} the permitted capability LIST
     * is written into a critical extension.
     */
    public X509CertificateHolder leaf(X509CertificateHolder issuer, PrivateKey issuerKey, X500Name subject,
                                      SubjectPublicKeyInfo spki, CertRole role, Optional<CapabilitySet> capabilities,
                                      Instant from, Duration validity) {
        Optional<Extension> caps = capabilities.map(c -> extension(CertRole.CAPABILITIES_EXTENSION, true, new DERUTF8String(c.canonical())));
        return endEntity(issuer, issuerKey, subject, spki, List.of(role.purpose()), caps, from, validity);
    }

    /**
     * A TLS leaf: key usage digitalSignature, the given (critical) extended key usages, such as
     * {@code id-kp-clientAuth} with a role, and optionally a subject alternative name.
     */
    public X509CertificateHolder tlsLeaf(X509CertificateHolder issuer, PrivateKey issuerKey, X500Name subject,
                                         SubjectPublicKeyInfo spki, List<KeyPurposeId> purposes, Optional<GeneralNames> altNames,
                                         Instant from, Duration validity) {
        Optional<Extension> san = altNames.map(n -> extension(Extension.subjectAlternativeName, false, n));
        return endEntity(issuer, issuerKey, subject, spki, purposes, san, from, validity);
    }

    private X509CertificateHolder endEntity(X509CertificateHolder issuer, PrivateKey issuerKey, X500Name subject,
                                            SubjectPublicKeyInfo spki, List<KeyPurposeId> purposes, Optional<Extension> extra,
                                            Instant from, Duration validity) {
        X509v3CertificateBuilder b = builder(issuer.getSubject(), subject, spki, from, validity);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            b.addExtension(Extension.subjectKeyIdentifier, false, EXT.createSubjectKeyIdentifier(spki));
            b.addExtension(Extension.authorityKeyIdentifier, false, EXT.createAuthorityKeyIdentifier(issuer));
            if (extra.isPresent()) {
                b.addExtension(extra.get());
            }
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
        return b.build(Crypto.signer(issuerKey));
    }

    private static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            return new Extension(oid, critical, new DEROctetString(value));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, SubjectPublicKeyInfo spki,
                                             Instant from, Duration validity) {
        BigInteger serial = new BigInteger(127, random).add(BigInteger.ONE);
        return new X509v3CertificateBuilder(issuer, serial, Date.from(from), Date.from(from.plus(validity)), subject, spki);
    }
}
