package dev.wasmota.ecu;

import dev.wasmota.signing.pki.TrustHierarchy;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.after;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.eventsOf;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.error.TrustUpdateFailure;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.signing.pki.TrustUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation on the vehicle through {@link EcuHost#applyTrustUpdate}: a root-signed update is
 * stored durably and refuses every later install from a revoked key; a forged or older one is a
 * security event and changes nothing; what runs keeps running.
 */
class EcuHostTrustTest {
    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v11;

    @BeforeAll
    static void setUp() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v11 = kit.healthy("1.1.0", 1);
    }

    static byte[] revokingAcme(long sequence) {
        TrustUpdate u = new TrustUpdate(sequence, Fixtures.T0, List.of(new Revocation(
                Revocation.keySha256(kit.fx.acme.chain().get(0)), "acme key leaked")), List.of());
        return SignedTrustUpdate.sign(u, kit.fx.oem.root());
    }

    Path storedUpdate() {
        return state.resolve(EcuHost.TRUST_DIR).resolve(TrustStore.UPDATE_FILE);
    }

    @Test
    void rootSignedUpdateRefusesNewInstallsFromTheRevokedKeyAndIsLogged() {
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            ModuleState before = host.modules().get(0);
            int seen = records(host).size();

            TrustChange c = host.applyTrustUpdate(revokingAcme(1));
            assertTrue(c.applied());
            assertEquals(0, c.fromSequence());
            assertEquals(1, host.trust().sequence());
            AuditRecord updated = after(records(host), seen).get(0);
            assertEquals(AuditEvent.TRUST_UPDATED, updated.event());
            assertEquals(Outcome.SUCCESS, updated.outcome());
            assertTrue(updated.detail().contains("trust update 1"), updated.detail());

            int beforeInstall = records(host).size();
            var e = assertRejected(TrustFailure.CERTIFICATE_REVOKED, 3, () -> host.install(v11, InstallContext.manual()));
            assertTrue(e.getMessage().contains("CN=acme"), e.getMessage());
            assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INSTALL_REFUSED),
                    eventsOf(after(records(host), beforeInstall)));
            assertEquals(List.of(before), host.modules(), "no slot changed");
            assertLogVerifies(host);
        }
    }

    @Test
    void anotherSuppliersPackageStillInstalls() {
        Fixtures.Supplier bolt = kit.fx.supplier("bolt", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 41);
        try (EcuHost host = kit.open(state)) {
            host.applyTrustUpdate(revokingAcme(1));
            InstallResult r = host.install(kit.released("healthy_v1.wasm", spec("bolted", "1.0.0", 1, HEALTHY_CAPS), bolt),
                    InstallContext.manual());
            assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
        }
    }

    @Test
    void updateIsStoredDurablyAndInForceAgainAfterReopening() throws Exception {
        byte[] update = revokingAcme(1);
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            host.applyTrustUpdate(update);
        }
        assertArrayEquals(update, Files.readAllBytes(storedUpdate()));
        try (EcuHost host = kit.open(state)) {
            assertEquals(1, host.trust().sequence());
            assertRejected(TrustFailure.CERTIFICATE_REVOKED, 3, () -> host.install(v11, InstallContext.manual()));
            host.start();
            assertTrue(host.awaitStarted(java.time.Duration.ofSeconds(30)), "started");
            assertTrue(host.running(HEALTHY).isPresent(), "the module installed before the revocation keeps running");
            assertLogVerifies(host);
        }
    }

    @Test
    void olderUpdateIsARollbackAndChangesNothing() throws Exception {
        try (EcuHost host = kit.open(state)) {
            host.applyTrustUpdate(revokingAcme(2));
            byte[] stored = Files.readAllBytes(storedUpdate());
            int seen = records(host).size();
            assertRejected(TrustUpdateFailure.TRUST_UPDATE_ROLLBACK, 4, () -> host.applyTrustUpdate(revokingAcme(1)));
            List<AuditRecord> added = after(records(host), seen);
            assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.TRUST_UPDATED), eventsOf(added));
            assertEquals("TRUST_UPDATE_ROLLBACK", added.get(0).cause());
            assertEquals(Outcome.REFUSED, added.get(1).outcome());
            assertArrayEquals(stored, Files.readAllBytes(storedUpdate()));
            assertEquals(2, host.trust().sequence());
        }
    }

    @Test
    void theUpdateInForceDeliveredAgainChangesNothing() {
        try (EcuHost host = kit.open(state)) {
            byte[] update = revokingAcme(1);
            host.applyTrustUpdate(update);
            int seen = records(host).size();
            TrustChange again = host.applyTrustUpdate(update);
            assertFalse(again.applied());
            assertEquals(seen, records(host).size(), "no record for a redelivery");
        }
    }

    @Test
    void updateSignedByTheReleaseKeyOrAnotherRootIsASecurityEventAndNotStored() {
        TrustUpdate u = new TrustUpdate(1, Fixtures.T0, List.of(new Revocation("a".repeat(64), "")), List.of());
        Fixtures other = new Fixtures(state.resolve("other-oem"), 3);
        try (EcuHost host = kit.open(state)) {
            for (byte[] forged : List.of(SignedTrustUpdate.sign(u, kit.fx.oem.release()), SignedTrustUpdate.sign(u, other.oem.root()))) {
                int seen = records(host).size();
                assertRejected(TrustFailure.UNTRUSTED_SIGNER, 3, () -> host.applyTrustUpdate(forged));
                assertEquals(AuditEvent.SECURITY_EVENT, after(records(host), seen).get(0).event());
            }
            assertFalse(Files.exists(storedUpdate()));
            assertEquals(0, host.trust().sequence());
        }
    }

    @Test
    void storedUpdateThatNoLongerVerifiesStopsTheOpen() throws Exception {
        try (EcuHost host = kit.open(state)) {
            host.applyTrustUpdate(revokingAcme(1));
        }
        byte[] file = Files.readAllBytes(storedUpdate());
        int at = Fixtures.indexOf(file, "acme key leaked".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        file[at] = 'A';
        Files.write(storedUpdate(), file);
        assertRejected(TrustFailure.BAD_SIGNATURE, 3, () -> kit.open(state));
        List<AuditRecord> log = dev.wasmota.audit.AuditLog.read(state.resolve(EcuHost.AUDIT_FILE));
        assertEquals(AuditEvent.SECURITY_EVENT, log.get(log.size() - 1).event());
    }
}
