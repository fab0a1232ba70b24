package dev.wasmota.signing.pkg;

import dev.wasmota.contract.Digests;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.Capability;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.signing.pki.TrustStore;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The one gate between a package's bytes and a trusted manifest, used by the vehicle and by the
 * OEM's intake. In order: the supplier signature over the manifest bytes and its chain to the
 * root; the OEM countersignature over the supplier signature and its chain; only then the
 * manifest is parsed, its supplier matched to the certificate, the binary's length and digest
 * checked, and the requested capabilities checked against the supplier certificate. The WASM
 * itself is never parsed here.
 */
public final class PackageVerifier {
    private final ChainValidator chains;
    private final Clock clock;

    public PackageVerifier(TrustStore trust, Clock clock) {
        this.chains = new ChainValidator(trust);
        this.clock = clock;
    }

    /** Verifies both signatures (what a vehicle requires). */
    public VerifiedPackage verify(ModulePackage pkg) {
        return checked(pkg, true);
    }

    /** Verifies the supplier signature only (the OEM's intake, before it countersigns). */
    public VerifiedPackage verifySupplier(ModulePackage pkg) {
        return checked(pkg, false);
    }

    /**
     * The one isolation point around Bouncy Castle's CMS and certificate parsing, which throws
     * unchecked exceptions for malformed structures (found by fuzzing): they are bad signatures.
     */
    private VerifiedPackage checked(ModulePackage pkg, boolean requireRelease) {
        try {
            return check(pkg, requireRelease);
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "the signature's structure is malformed: " + e);
        }
    }

    private VerifiedPackage check(ModulePackage pkg, boolean requireRelease) {
        Instant now = clock.instant();
        byte[] manifestBytes = pkg.manifestBytes();
        CMSSignedData cms = parse(pkg, manifestBytes);
        Collection<X509CertificateHolder> pool = cms.getCertificates().getMatches(null);
        SignerInformation supplier = single(cms.getSignerInfos(), "supplier signature");
        X509CertificateHolder supplierCert = signerCertificate(supplier, pool);
        chains.validate(supplierCert, pool, CertRole.SUPPLIER, now);
        verifySignature(supplier, supplierCert, TrustFailure.MANIFEST_MISMATCH,
                "the supplier signature was made over a different manifest");
        Optional<SignerInformation> counter = countersignature(supplier);
        Optional<X509CertificateHolder> releaseCert = Optional.empty();
        if (counter.isPresent()) {
            X509CertificateHolder cert = signerCertificate(counter.get(), pool);
            chains.validate(cert, pool, CertRole.RELEASE, now);
            verifySignature(counter.get(), cert, TrustFailure.COUNTERSIGNATURE_MISMATCH,
                    "the OEM countersignature signs a different supplier signature");
            releaseCert = Optional.of(cert);
        } else if (requireRelease) {
            throw new RejectedException(TrustFailure.COUNTERSIGNATURE_MISSING, "missing OEM countersignature");
        }
        Manifest manifest = ManifestCodec.parse(manifestBytes);
        checkSupplier(manifest, supplierCert);
        checkBinary(manifest, pkg.wasmBytes());
        checkSbom(manifest, pkg.sbom());
        checkCapabilities(manifest, supplierCert);
        return new VerifiedPackage(pkg, manifest, supplierCert, releaseCert,
                counter.map(SignerInformation::getSignedAttributes));
    }

    private static CMSSignedData parse(ModulePackage pkg, byte[] manifestBytes) {
        byte[] sig = pkg.signature().orElseThrow(() ->
                new RejectedException(TrustFailure.UNSIGNED, "package carries no supplier signature"));
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(manifestBytes), sig);
            if (!CMSObjectIdentifiers.data.getId().equals(cms.getSignedContentTypeOID())) {
                throw bad("signed content is not id-data");
            }
            return cms;
        } catch (CMSException | RuntimeException e) {
            if (e instanceof RejectedException r) {
                throw r;
            }
            throw bad("signature is not CMS SignedData: " + e.getMessage());
        }
    }

    private static SignerInformation single(SignerInformationStore store, String what) {
        if (store.size() != 1) {
            throw bad("expected exactly one " + what + ", found " + store.size());
        }
        SignerInformation s = store.iterator().next();
        if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(s.getEncryptionAlgOID())) {
            throw bad(what + " uses algorithm " + s.getEncryptionAlgOID() + ", not Ed25519");
        }
        return s;
    }

    private static X509CertificateHolder signerCertificate(SignerInformation signer, Collection<X509CertificateHolder> pool) {
        List<X509CertificateHolder> matches = pool.stream().filter(c -> signer.getSID().match(c)).collect(Collectors.toList());
        if (matches.size() != 1) {
            throw new RejectedException(TrustFailure.UNTRUSTED_SIGNER, "the signer's certificate is not carried with the signature");
        }
        return matches.get(0);
    }

    private static Optional<SignerInformation> countersignature(SignerInformation supplier) {
        AttributeTable unsigned = supplier.getUnsignedAttributes();
        if (unsigned == null || unsigned.size() == 0) {
            return Optional.empty();
        }
        if (unsigned.size() != 1 || unsigned.get(CMSAttributes.counterSignature) == null) {
            throw bad("supplier signature carries unsigned attributes other than one countersignature");
        }
        return Optional.of(single(supplier.getCounterSignatures(), "OEM countersignature"));
    }

    private static void verifySignature(SignerInformation signer, X509CertificateHolder cert,
                                        TrustFailure digestMismatch, String mismatchDetail) {
        boolean ok;
        try {
            ok = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(dev.wasmota.signing.pki.Crypto.PROVIDER).build(cert));
        } catch (CMSSignerDigestMismatchException e) {
            throw new RejectedException(digestMismatch, mismatchDetail);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new RejectedException(TrustFailure.CERTIFICATE_EXPIRED,
                    "signed at a time outside the validity of '" + cert.getSubject() + "'");
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException | RuntimeException e) {
            throw bad("signature by '" + cert.getSubject() + "' cannot be checked: " + e.getMessage());
        }
        if (!ok) {
            throw bad("signature by '" + cert.getSubject() + "' does not verify");
        }
    }

    private static void checkSupplier(Manifest m, X509CertificateHolder cert) {
        String cn = CertIssuer.commonName(cert).orElse("");
        if (!cn.equals(m.supplierId())) {
            throw new RejectedException(TrustFailure.SUPPLIER_MISMATCH,
                    "manifest names supplier '" + m.supplierId() + "' but was signed by '" + cn + "'");
        }
    }

    /**
     * Requires {@code wasm} to be the module {@code m} binds, by length and SHA-256; the check this
     * gate makes after the signatures, open for a supplier's own checks of an unsigned package.
     *
     * @throws RejectedException {@link TrustFailure#LENGTH_MISMATCH} or {@link TrustFailure#DIGEST_MISMATCH}
     */
    public static void checkBinary(Manifest m, byte[] wasm) {
        if (wasm.length != m.wasmLength()) {
            throw new RejectedException(TrustFailure.LENGTH_MISMATCH,
                    "module is " + wasm.length + " bytes; the manifest says " + m.wasmLength());
        }
        byte[] expected = java.util.HexFormat.of().parseHex(m.wasmSha256());
        if (!MessageDigest.isEqual(expected, Digests.sha256(wasm))) {
            throw new RejectedException(TrustFailure.DIGEST_MISMATCH, "module SHA-256 differs from the manifest's");
        }
    }

    /**
     * Requires an SBOM the package carries to be the one its manifest names, by SHA-256; a
     * manifest may name an SBOM the package does not carry (a vehicle does not need it).
     *
     * @throws RejectedException {@link TrustFailure#DIGEST_MISMATCH}
     */
    public static void checkSbom(Manifest m, Optional<byte[]> sbom) {
        if (sbom.isEmpty()) {
            return;
        }
        if (m.sbomSha256().isEmpty()) {
            throw new RejectedException(TrustFailure.DIGEST_MISMATCH, "the package carries an SBOM its manifest does not name");
        }
        byte[] expected = java.util.HexFormat.of().parseHex(m.sbomSha256().get());
        if (!MessageDigest.isEqual(expected, Digests.sha256(sbom.get()))) {
            throw new RejectedException(TrustFailure.DIGEST_MISMATCH, "SBOM SHA-256 differs from the manifest's");
        }
    }

    private static void checkCapabilities(Manifest m, X509CertificateHolder cert) {
        List<Capability> beyond = ChainValidator.permittedCapabilities(cert).uncovered(m.capabilities());
        if (!beyond.isEmpty()) {
            throw new RejectedException(PolicyFailure.CAPABILITY_NOT_CERTIFIED, "requested capabilities "
                    + beyond.stream().map(Capability::canonical).collect(Collectors.joining(","))
                    + " exceed what supplier '" + m.supplierId() + "' is certified for");
        }
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(TrustFailure.BAD_SIGNATURE, detail);
    }
}
