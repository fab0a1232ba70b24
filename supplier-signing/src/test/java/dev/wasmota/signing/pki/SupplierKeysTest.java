package dev.wasmota.signing.pki;


import static dev.wasmota.signing.pki.PkiTestSupport.assertKeyPair;
import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupplierKeysTest {
    @TempDir
    Path dir;

    @Test
    void keygenWritesAPkcs8KeyAndACsrThatPemReadsBack() throws Exception {
        PKCS10CertificationRequest csr = SupplierKeys.generate("acme", dir, Fixtures.seeded(1));
        Path keyFile = SupplierKeys.keyFile(dir, "acme");
        Path csrFile = SupplierKeys.csrFile(dir, "acme");
        assertEquals(dir.resolve("acme.key.pem"), keyFile);
        assertEquals(dir.resolve("acme.csr.pem"), csrFile);
        String keyPem = Files.readString(keyFile);
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8, not a legacy key format: " + keyPem);
        assertTrue(Files.readString(csrFile).startsWith("-----BEGIN CERTIFICATE REQUEST-----"));

        PrivateKey key = Pem.readPrivateKey(keyFile);
        assertEquals(Crypto.ALGORITHM, key.getAlgorithm());
        PKCS10CertificationRequest readCsr = Pem.readCertificationRequest(csrFile);
        assertEquals(csr, readCsr);
        assertEquals("acme", readCsr.getSubject().getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN)[0].getFirst()
                .getValue().toString());
        assertTrue(readCsr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Crypto.PROVIDER)
                .build(readCsr.getSubjectPublicKeyInfo())));
        PublicKey csrKey = new JcaPEMKeyConverter().setProvider(Crypto.PROVIDER).getPublicKey(readCsr.getSubjectPublicKeyInfo());
        assertKeyPair(key, csrKey);
    }

    @Test
    void keyFileIsReadableByTheOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        SupplierKeys.generate("acme", dir, Fixtures.seeded(2));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(SupplierKeys.keyFile(dir, "acme"))));
    }

    @Test
    void writtenCsrEnrollsAtTheOem() throws Exception {
        SupplierKeys.generate("acme", dir.resolve("supplier"), Fixtures.seeded(3));
        TrustHierarchy oem = TrustHierarchy.create(dir.resolve("oem").resolve(TrustHierarchy.TRUST_DIR), java.time.Clock.fixed(Fixtures.T0, java.time.ZoneOffset.UTC),
                Fixtures.seeded(4));
        PKCS10CertificationRequest csr = Pem.readCertificationRequest(SupplierKeys.csrFile(dir.resolve("supplier"), "acme"));
        var cert = oem.enroll(csr, "acme", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(5));
        assertKeyPair(Pem.readPrivateKey(SupplierKeys.keyFile(dir.resolve("supplier"), "acme")), PkiTestSupport.publicKey(cert));
    }

    @Test
    void refusesAnInvalidSupplierIdAndWritesNothing() throws Exception {
        for (String id : new String[] {"Acme", "../acme", "", "acme corp", "-acme", "a/b", "x".repeat(65)}) {
            assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> SupplierKeys.generate(id, dir, Fixtures.seeded(6)));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void acceptsTheLongestValidId() throws Exception {
        String id = "a" + "b".repeat(63);
        SupplierKeys.generate(id, dir, Fixtures.seeded(7));
        assertTrue(Files.exists(SupplierKeys.keyFile(dir, id)));
    }

    @Test
    void refusesToOverwriteAnExistingKeyFile() throws Exception {
        Path keyFile = SupplierKeys.keyFile(dir, "acme");
        Files.writeString(keyFile, "the supplier's only signing key");
        assertThrows(FileAlreadyExistsException.class, () -> SupplierKeys.generate("acme", dir, Fixtures.seeded(8)));
        assertEquals("the supplier's only signing key", Files.readString(keyFile));
        assertFalse(Files.exists(SupplierKeys.csrFile(dir, "acme")), "no request for a key that was not written");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }
}
