package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.signing.pki.TrustUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ota oem revoke} and {@code ota ecu trust} as a user types them: the OEM revokes acme's
 * key, the ECU takes the trust update and refuses acme's next package with exit 3, and forged,
 * older or malformed input is refused with its CONTRACT code and one line.
 */
class RevocationCliTest {
    @TempDir
    Path dir;
    EcuCli cli;
    Path oem;
    Path update;
    Path acmeCert;

    @BeforeEach
    void setUp() throws Exception {
        cli = new EcuCli(dir);
        oem = dir.resolve("oem");
        update = cli.trust.resolve(TrustStore.UPDATE_FILE);
        acmeCert = dir.resolve("acme.cert.pem");
        Files.writeString(acmeCert, Pem.encode(cli.fx.acme.chain().get(0)));
    }

    Result revokeAcme() {
        return cli.ota("oem", "revoke", "--oem", oem.toString(), "--key-of", acmeCert.toString(), "--reason", "key leaked");
    }

    Result trust(Path state, Path file) {
        return cli.ota("ecu", "trust", "--state", state.toString(), "--update", file.toString());
    }

    @Test
    void revokedKeyIsRefusedByVerifyInstallAndIntakeOnceTheTrustUpdateIsApplied() throws Exception {
        Path state = dir.resolve("state");
        Path v1 = cli.healthy(1);
        Path v2 = cli.healthy(2);
        cli.installed(state, v1);

        Result revoked = revokeAcme();
        assertEquals(0, revoked.code(), revoked::toString);
        assertTrue(revoked.out().contains("trust update 1 written to " + update), revoked.out());
        assertTrue(revoked.out().contains("TRUST_UPDATED"), revoked.out());
        AuditRecord issued = dev.wasmota.cli.oem.OemTrail.records(oem).get(0);
        assertEquals(AuditEvent.TRUST_UPDATED, issued.event());
        assertEquals("ISSUED", issued.cause());

        Result verify = assertRefused(3, cli.verify(v2));
        assertTrue(verify.err().startsWith("rejected (CERTIFICATE_REVOKED)"), verify.err());
        assertTrue(verify.err().contains("key leaked"), verify.err());

        Result applied = trust(state, update);
        assertEquals(0, applied.code(), applied::toString);
        assertTrue(applied.out().contains("trust update 1") && applied.out().contains("in force (was 0)"), applied.out());
        Result again = trust(state, update);
        assertTrue(again.out().contains("already in force; nothing changed"), again.out());

        Result install = assertRefused(3, cli.ota("ecu", "install", "--state", state.toString(), "--package", v2.toString()));
        assertTrue(install.err().startsWith("rejected (CERTIFICATE_REVOKED)"), install.err());
        assertEquals(0, cli.log(state, "--verify").code());
        Result log = cli.log(state);
        assertTrue(log.out().contains("TRUST_UPDATED"), log.out());
        assertTrue(log.out().contains("SECURITY_EVENT REFUSED cause=CERTIFICATE_REVOKED"), log.out());
        assertTrue(cli.ota("ecu", "run", "--state", state.toString(), "--duration", "200ms").out().contains("healthy"),
                "v1, installed before the revocation, still runs");
    }

    @Test
    void aVehicleProvisionedFromTheOemTrustDirectoryGetsTheUpdate() {
        Path v1 = cli.healthy(1);
        assertEquals(0, revokeAcme().code());
        Path fresh = dir.resolve("fresh");
        Result r = assertRefused(3, cli.install(fresh, v1));
        assertTrue(r.err().startsWith("rejected (CERTIFICATE_REVOKED)"), r.err());
        assertTrue(Files.exists(fresh.resolve("trust").resolve(TrustStore.UPDATE_FILE)), "stored in the ECU's state");
        assertTrue(cli.log(fresh).out().contains("TRUST_UPDATED"));
    }

    @Test
    void forgedOlderAndMalformedUpdatesAreRefusedWithOneLine() throws Exception {
        Path state = dir.resolve("state");
        cli.installed(state, cli.healthy(1));
        assertEquals(0, revokeAcme().code());
        Path first = dir.resolve("first.wotatrust");
        Files.copy(update, first);
        Result second = cli.ota("oem", "revoke", "--oem", oem.toString(), "--key-sha256", "AB".repeat(32));
        assertEquals(0, second.code(), second::toString);
        assertTrue(second.out().contains("trust update 2"), second.out());
        assertEquals(0, trust(state, update).code());

        Result older = assertRefused(4, trust(state, first));
        assertTrue(older.err().startsWith("rejected (TRUST_UPDATE_ROLLBACK)"), older.err());

        Path forged = dir.resolve("forged.wotatrust");
        Files.write(forged, SignedTrustUpdate.sign(new TrustUpdate(9, Fixtures.T0, List.of(), List.of()), cli.fx.oem.release()));
        Result byRelease = assertRefused(3, trust(state, forged));
        assertTrue(byRelease.err().startsWith("rejected (UNTRUSTED_SIGNER)"), byRelease.err());

        Path garbage = dir.resolve("garbage.wotatrust");
        Files.writeString(garbage, "not a trust update");
        assertTrue(assertRefused(3, trust(state, garbage)).err().startsWith("rejected (BAD_SIGNATURE)"));

        assertEquals(0, cli.log(state, "--verify").code());
        Result log = cli.log(state);
        assertTrue(log.out().contains("SECURITY_EVENT REFUSED cause=TRUST_UPDATE_ROLLBACK"), log.out());
        assertTrue(log.out().contains("SECURITY_EVENT REFUSED cause=UNTRUSTED_SIGNER"), log.out());
    }

    @Test
    void revokeWithNothingNewWritesNothingAndBadArgumentsAreUsageErrors() throws Exception {
        assertEquals(0, revokeAcme().code());
        byte[] before = Files.readAllBytes(update);
        Result same = revokeAcme();
        assertEquals(0, same.code(), same::toString);
        assertTrue(same.out().startsWith("nothing new"), same.out());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(update)), "not rewritten");

        Result none = cli.ota("oem", "revoke", "--oem", oem.toString());
        assertEquals(2, none.code(), none::toString);
        assertTrue(none.err().contains("nothing to revoke"), none.err());
        assertEquals(2, cli.ota("oem", "revoke", "--oem", oem.toString(), "--key-sha256", "xyz").code());
        assertEquals(2, cli.ota("oem", "revoke", "--oem", oem.toString(), "--key-of", acmeCert.toString(),
                "--reason", "x".repeat(Revocation.MAX_REASON + 1)).code());
        Path root = oem.resolve("root-ca.cert.pem");
        Result self = cli.ota("oem", "revoke", "--oem", oem.toString(), "--cert", root.toString());
        assertEquals(2, self.code(), self::toString);
        assertEquals(2, trust(dir.resolve("never-provisioned"), update).code(), "no trust anchors provisioned");
        assertFalse(Files.exists(dir.resolve("never-provisioned").resolve("trust").resolve(TrustStore.UPDATE_FILE)));
    }
}
