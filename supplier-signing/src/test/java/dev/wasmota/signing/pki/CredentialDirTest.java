package dev.wasmota.signing.pki;

import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialDirTest {
    @TempDir
    static Path fixtures;
    static Fixtures fx;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        fx = new Fixtures(fixtures, 1);
    }

    private static CredentialDir supplierChain() {
        return new CredentialDir(new Credential(fx.acme.keys().getPrivate(), fx.acme.chain().get(0)),
                fx.acme.chain().subList(1, 2), fx.oem.root().cert());
    }

    @Test
    void roundTripsKeyChainAndAnchor() throws Exception {
        CredentialDir written = supplierChain();
        written.writeNew(dir.resolve("acme"));
        CredentialDir read = CredentialDir.read(dir.resolve("acme"));
        assertEquals(written.chain(), read.chain());
        assertEquals(written.anchor(), read.anchor());
        assertTrue(JdkKeys.matches(read.credential().key(), read.leaf()));
    }

    @Test
    void writesTheKeyAsPkcs8VersionOneReadableByItsOwnerOnly() throws Exception {
        supplierChain().writeNew(dir.resolve("acme"));
        Path key = dir.resolve("acme").resolve(CredentialDir.KEY_FILE);
        try (PEMParser p = new PEMParser(Files.newBufferedReader(key))) {
            PrivateKeyInfo info = (PrivateKeyInfo) p.readObject();
            assertEquals(0, info.getVersion().intValueExact(), "PKCS#8 v1: OpenSSL 3.0 reads no other");
            assertFalse(info.hasPublicKey());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("acme"))));
    }

    @Test
    void refusesToWriteOverAnExistingCredentialAndLeavesNothingBehind() throws Exception {
        CredentialDir first = supplierChain();
        first.writeNew(dir.resolve("acme"));
        byte[] key = Files.readAllBytes(dir.resolve("acme").resolve(CredentialDir.KEY_FILE));
        CredentialDir second = new CredentialDir(fx.oem.issueClient(ClientKind.SUPPLIER, "acme"), List.of(), fx.oem.root().cert());
        assertThrows(FileAlreadyExistsException.class, () -> second.writeNew(dir.resolve("acme")));
        assertArrayEquals(key, Files.readAllBytes(dir.resolve("acme").resolve(CredentialDir.KEY_FILE)));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("acme")), entries.toList(), "no temporary directory left");
        }
    }

    @Test
    void writesIntoAnEmptyDirectory() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        supplierChain().writeNew(dir.resolve("empty"));
        assertEquals(supplierChain().chain(), CredentialDir.read(dir.resolve("empty")).chain());
    }

    @Test
    void namesTheMissingOrMalformedFile() throws Exception {
        supplierChain().writeNew(dir.resolve("acme"));
        Files.delete(dir.resolve("acme").resolve(CredentialDir.CA_FILE));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> CredentialDir.read(dir.resolve("acme")));
        assertTrue(missing.getFile().endsWith(CredentialDir.CA_FILE), missing.getFile());
        Files.writeString(dir.resolve("acme").resolve(CredentialDir.CA_FILE), "not PEM at all\n");
        Files.writeString(dir.resolve("acme").resolve(CredentialDir.CA_FILE), Pem.encode(fx.oem.root().key()));
        var e = assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> CredentialDir.read(dir.resolve("acme")));
        assertTrue(e.getMessage().contains(CredentialDir.CA_FILE), e.getMessage());
    }
}
