package dev.wasmota.protocol.release;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;

/**
 * The signed table of contents of a release published in chunks: the package's digest and length,
 * the chunk size, and each chunk's SHA-256, signed by the OEM campaign key (CMS, Ed25519, chain to
 * the root checked for the campaign role). A vehicle verifies the index before it reads a field of
 * it, then each chunk against its entry as the chunk arrives, so a chunk that does not belong is
 * refused before it touches the disk; the whole package is still verified as before it is parsed.
 * On the wire it is a {@value #KIND} frame whose one part is the CMS SignedData over a
 * {@value #CONTENT_KIND} frame (digest, length, chunk size, chunk hashes).
 *
 * @param packageSha256 the package file's SHA-256, lowercase hex
 * @param length the package file's length in bytes
 * @param chunkBytes every chunk's length but the last one's
 * @param chunkHashes each chunk's SHA-256, 32 bytes each, in order
 */
public record ReleaseIndex(String packageSha256, long length, int chunkBytes, byte[] chunkHashes) {
    public static final String KIND = "WOTX";
    static final String CONTENT_KIND = "WOTI";
    public static final int MIN_CHUNK_BYTES = 1024;
    public static final int MAX_CHUNK_BYTES = 1024 * 1024;
    /** Most chunks in one release: a package at its cap in chunks of the smallest size. */
    public static final int MAX_CHUNKS = (int) ((PackageFile.MAX_FILE_BYTES + MIN_CHUNK_BYTES - 1) / MIN_CHUNK_BYTES);
    /** The largest index content: header, four parts and every hash. */
    static final int MAX_CONTENT_BYTES = 6 + 4 * 4 + 32 + 8 + 4 + 32 * MAX_CHUNKS;
    /** The largest signed index frame: the content, one signature and its certificate. */
    public static final int MAX_FRAME_BYTES = MAX_CONTENT_BYTES + 16 * 1024;

    public ReleaseIndex {
        if (packageSha256 == null || !Digests.SHA256_HEX.matcher(packageSha256).matches()) {
            throw bad("package digest is not 64 lowercase hex digits");
        }
        if (length < 1 || length > PackageFile.MAX_FILE_BYTES) {
            throw bad("package length " + length + " is outside 1.." + PackageFile.MAX_FILE_BYTES);
        }
        if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
            throw bad("chunk size " + chunkBytes + " is outside " + MIN_CHUNK_BYTES + ".." + MAX_CHUNK_BYTES);
        }
        long count = (length + chunkBytes - 1) / chunkBytes;
        if (chunkHashes == null || chunkHashes.length != count * 32) {
            throw bad("index lists " + (chunkHashes == null ? 0 : chunkHashes.length / 32) + " chunk hashes for "
                    + count + " chunks");
        }
        chunkHashes = chunkHashes.clone();
    }

    /** The index of {@code packageFile} cut into chunks of {@code chunkBytes}. */
    public static ReleaseIndex of(byte[] packageFile, int chunkBytes) {
        if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunk size " + chunkBytes + " is outside " + MIN_CHUNK_BYTES + ".." + MAX_CHUNK_BYTES);
        }
        int count = (packageFile.length + chunkBytes - 1) / chunkBytes;
        byte[] hashes = new byte[count * 32];
        for (int i = 0; i < count; i++) {
            MessageDigest d = Digests.sha256();
            int from = i * chunkBytes;
            d.update(packageFile, from, Math.min(chunkBytes, packageFile.length - from));
            System.arraycopy(d.digest(), 0, hashes, i * 32, 32);
        }
        return new ReleaseIndex(Digests.sha256Hex(packageFile), packageFile.length, chunkBytes, hashes);
    }

    /** Chunk {@code i} of {@code packageFile} under this index's chunk size. */
    public byte[] slice(byte[] packageFile, int i) {
        int from = Math.multiplyExact(i, chunkBytes);
        return Arrays.copyOfRange(packageFile, from, from + chunkLength(i));
    }

    public int chunkCount() {
        return chunkHashes.length / 32;
    }

    /** The length chunk {@code i} must have: the chunk size, or what is left for the last one. */
    public int chunkLength(int i) {
        checkIndex(i);
        return (int) Math.min(chunkBytes, length - (long) i * chunkBytes);
    }

    @Override
    public byte[] chunkHashes() {
        return chunkHashes.clone();
    }

    /**
     * Refuses ({@link TransferFailure#CHUNK_MISMATCH}) chunk {@code i} unless its bytes have the
     * length and hash this index gives it.
     */
    public void verifyChunk(int i, byte[] bytes) {
        if (i < 0 || i >= chunkCount()) {
            throw new RejectedException(TransferFailure.CHUNK_MISMATCH, "chunk " + i + " of release "
                    + packageSha256.substring(0, 12) + " is out of range: it has " + chunkCount() + " chunks");
        }
        if (bytes.length != chunkLength(i)) {
            throw new RejectedException(TransferFailure.CHUNK_MISMATCH, "chunk " + i + " of release "
                    + packageSha256.substring(0, 12) + " has " + bytes.length + " bytes; its index says " + chunkLength(i));
        }
        byte[] expected = Arrays.copyOfRange(chunkHashes, i * 32, i * 32 + 32);
        if (!MessageDigest.isEqual(expected, Digests.sha256(bytes))) {
            throw new RejectedException(TransferFailure.CHUNK_MISMATCH, "chunk " + i + " of release "
                    + packageSha256.substring(0, 12) + " does not hash to its entry in the signed index");
        }
    }

    /** The signed {@value #KIND} frame: this index signed with the campaign key. */
    public byte[] sign(Credential campaign) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.PROVIDER).build())
                    .build(Crypto.signer(campaign.key()), campaign.cert()));
            gen.addCertificates(new CollectionStore<>(List.of(campaign.cert())));
            byte[] cms = gen.generate(new CMSProcessableByteArray(content()), true).getEncoded("DER");
            return Frames.encode(KIND, cms);
        } catch (CMSException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign the release index: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a signed {@value #KIND} frame: the size, then the signature and the campaign chain at
     * {@code clock}'s time, and only then the fields. Refused as {@link TransferFailure#BAD_RELEASE_INDEX}
     * (or as a malformed/oversized message) with a one-line reason.
     */
    public static ReleaseIndex open(byte[] frame, TrustStore trust, Clock clock) {
        byte[] cms = Frames.decode(frame, KIND, 1, MAX_FRAME_BYTES).get(0);
        byte[] content;
        try {
            content = verified(cms, trust, clock);
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad("its signature structure is malformed");
        }
        List<byte[]> p;
        try {
            p = Frames.decode(content, CONTENT_KIND, 4, 32, 8, 4, 32 * MAX_CHUNKS);
        } catch (RejectedException e) {
            throw bad(e.userMessage());
        }
        if (p.get(0).length != 32 || p.get(1).length != 8 || p.get(2).length != 4) {
            throw bad("a field has the wrong width");
        }
        return new ReleaseIndex(Digests.hex(p.get(0)), ByteBuffer.wrap(p.get(1)).getLong(),
                ByteBuffer.wrap(p.get(2)).getInt(), p.get(3));
    }

    private static byte[] verified(byte[] file, TrustStore trust, Clock clock) {
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(file);
        } catch (CMSException | RuntimeException e) {
            throw bad("it is not CMS SignedData");
        }
        if (cms.getSignerInfos().size() != 1 || cms.getSignedContent() == null
                || !(cms.getSignedContent().getContent() instanceof byte[] content)) {
            throw bad("it must carry one signature over its content");
        }
        SignerInformation signer = cms.getSignerInfos().iterator().next();
        if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(signer.getEncryptionAlgOID())) {
            throw bad("its signature is not Ed25519");
        }
        Collection<X509CertificateHolder> pool = cms.getCertificates().getMatches(null);
        X509CertificateHolder cert = pool.stream().filter(c -> signer.getSID().match(c)).findFirst()
                .orElseThrow(() -> bad("its signer's certificate is missing"));
        try {
            new ChainValidator(trust).validate(cert, pool, CertRole.CAMPAIGN, clock.instant());
        } catch (RejectedException e) {
            throw bad("its signer is not trusted: " + e.userMessage());
        }
        try {
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER).build(cert))) {
                throw bad("its signature does not verify");
            }
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw bad("its signature does not verify");
        }
        if (content.length > MAX_CONTENT_BYTES) {
            throw bad("its content of " + content.length + " bytes exceeds " + MAX_CONTENT_BYTES);
        }
        return content;
    }

    private byte[] content() {
        return Frames.encode(CONTENT_KIND, java.util.HexFormat.of().parseHex(packageSha256),
                ByteBuffer.allocate(8).putLong(length).array(), ByteBuffer.allocate(4).putInt(chunkBytes).array(), chunkHashes);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= chunkCount()) {
            throw new IndexOutOfBoundsException("chunk " + i + " of " + chunkCount());
        }
    }

    static RejectedException bad(String why) {
        return new RejectedException(TransferFailure.BAD_RELEASE_INDEX, "release index refused: " + why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseIndex r && r.packageSha256.equals(packageSha256) && r.length == length
                && r.chunkBytes == chunkBytes && Arrays.equals(r.chunkHashes, chunkHashes);
    }

    @Override
    public int hashCode() {
        return packageSha256.hashCode();
    }

    @Override
    public String toString() {
        return "ReleaseIndex[" + packageSha256 + ", " + length + " bytes, " + chunkCount() + " chunks of " + chunkBytes + "]";
    }
}
