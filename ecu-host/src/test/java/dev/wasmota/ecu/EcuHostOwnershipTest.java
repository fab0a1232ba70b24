package dev.wasmota.ecu;

import dev.wasmota.signing.pki.TrustHierarchy;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.after;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.eventsOf;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.signing.pkg.ReleaseAttributes.ModuleOwner;
import dev.wasmota.signing.pkg.ReleaseAttributes.Transfer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vehicle keeps a module with its supplier: another supplier's package of an installed module
 * is refused even with a valid OEM countersignature (an intake bypassed, packages signed directly
 * with the OEM's release key), unless that countersignature carries the OEM's transfer of the
 * module from the installed supplier to the new one.
 */
class EcuHostOwnershipTest {
    static final Instant HANDOVER = Fixtures.T0.plusSeconds(3600);
    static final Transfer ACME_TO_GLOBEX = new Transfer("acme", "globex", 5, HANDOVER);

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static Fixtures.Supplier globex;
    private static Fixtures.Supplier initech;
    private static byte[] acmeV1;
    private EcuHost host;

    @BeforeAll
    static void oemAndSuppliers() {
        kit = new HostTestKit(pki);
        globex = kit.fx.supplier("globex", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 61);
        initech = kit.fx.supplier("initech", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 62);
        acmeV1 = kit.healthy("1.0.0", 1);
    }

    @BeforeEach
    void acmesModuleInstalled() {
        host = kit.open(state);
        host.install(acmeV1, InstallContext.manual());
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    /** healthy at {@code version} from {@code supplier}, countersigned by the OEM with no owner statement. */
    static byte[] plainRelease(Fixtures.Supplier supplier, String version, long securityVersion) {
        return kit.released(wasmOf(version), spec(HEALTHY, version, securityVersion, HEALTHY_CAPS), supplier);
    }

    /** healthy at {@code version} from {@code supplier}, countersigned by the OEM stating {@code owner}. */
    static byte[] ownedRelease(Fixtures.Supplier supplier, String version, long securityVersion, ModuleOwner owner) {
        ModulePackage pkg = Packager.build(Fixtures.wasm(wasmOf(version)), spec(HEALTHY, version, securityVersion,
                HEALTHY_CAPS));
        return PackageFile.toBytes(kit.fx.countersigned(kit.fx.supplierSigned(pkg, supplier), owner));
    }

    static String wasmOf(String version) {
        return version.startsWith("1.") ? "healthy_v1.wasm" : "healthy_v2.wasm";
    }

    /** Asserts the refusal changed nothing and was logged as a security event, then INSTALL_REFUSED with its cause. */
    void assertRefusedAsATakeover(String cause, int recordsBefore, ModuleState stateBefore, long floorBefore) {
        List<AuditRecord> added = after(records(host), recordsBefore);
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INSTALL_REFUSED), eventsOf(added));
        assertEquals(cause, only(added, AuditEvent.SECURITY_EVENT).cause());
        assertEquals(cause, only(added, AuditEvent.INSTALL_REFUSED).cause());
        assertEquals(List.of(stateBefore), host.modules(), "no slot changed");
        assertEquals(floorBefore, host.floor(HEALTHY), "the floor did not move");
        assertLogVerifies(host);
    }

    @Test
    void refusesAnotherSuppliersPackageOfTheInstalledModuleThoughTheOemCountersignedIt() {
        int before = records(host).size();
        ModuleState installed = host.modules().get(0);

        RejectedException e = assertRejected(UpdateFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4,
                () -> host.install(plainRelease(globex, "2.0.0", 9), InstallContext.manual()));

        assertTrue(e.getMessage().contains("installed from supplier acme") && e.getMessage().contains("from globex"),
                e.getMessage());
        assertRefusedAsATakeover("MODULE_OWNED_BY_ANOTHER_SUPPLIER", before, installed, 1);
        assertEquals("2.0.0", host.install(kit.healthy("2.0.0", 2), InstallContext.manual()).version(),
                "the rightful owner is not locked out");
    }

    @Test
    void refusesATakeoverWhoseCountersignatureNamesTheNewSupplierAsOwnerWithoutATransfer() {
        int before = records(host).size();
        ModuleState installed = host.modules().get(0);
        byte[] claimed = ownedRelease(globex, "2.0.0", 9, new ModuleOwner(HEALTHY, "globex", List.of()));

        assertRejected(UpdateFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4, () -> host.install(claimed, InstallContext.manual()));

        assertRefusedAsATakeover("MODULE_OWNED_BY_ANOTHER_SUPPLIER", before, installed, 1);
    }

    @Test
    void verifyRefusesTheTakeoverTooAndChangesNothing() {
        int before = records(host).size();

        assertRejected(UpdateFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4, () -> host.verify(plainRelease(globex, "2.0.0", 9)));

        assertEquals(before, records(host).size(), "verify writes nothing");
    }

    @Test
    void refusesACountersignedOwnerThatIsNotThePackagesSupplier() {
        int before = records(host).size();
        ModuleState installed = host.modules().get(0);
        byte[] mislabelled = ownedRelease(kit.fx.acme, "2.0.0", 2, new ModuleOwner(HEALTHY, "globex", List.of()));

        RejectedException e = assertRejected(UpdateFailure.OWNER_MISMATCH, 4,
                () -> host.install(mislabelled, InstallContext.manual()));

        assertTrue(e.getMessage().contains("belongs to globex"), e.getMessage());
        assertRefusedAsATakeover("OWNER_MISMATCH", before, installed, 1);
    }

    @Test
    void refusesACountersignedOwnerStatementAboutAnotherModule() {
        byte[] elsewhere = ownedRelease(kit.fx.acme, "2.0.0", 2, new ModuleOwner("brake-temp", "acme", List.of()));

        assertRejected(UpdateFailure.OWNER_MISMATCH, 4, () -> host.install(elsewhere, InstallContext.manual()));
    }

    @Test
    void refusesCountersignedTransfersThatDoNotLeadToTheOwner() {
        ModuleOwner broken = new ModuleOwner(HEALTHY, "globex", List.of(new Transfer("acme", "initech", 5, HANDOVER)));

        assertRejected(UpdateFailure.OWNER_MISMATCH, 4,
                () -> host.install(ownedRelease(globex, "2.0.0", 9, broken), InstallContext.manual()));
        assertTrue(active(acmeV1));
    }

    @Test
    void installsTheNewOwnersPackageWhenTheCountersignatureCarriesTheTransferAndThenRefusesTheFormerOwner() {
        ModuleOwner globexOwns = new ModuleOwner(HEALTHY, "globex", List.of(ACME_TO_GLOBEX));

        byte[] globexV2 = ownedRelease(globex, "2.0.0", 9, globexOwns);
        InstallResult r = host.install(globexV2, InstallContext.manual());

        assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
        assertTrue(active(globexV2));
        assertEquals(1, host.floor(HEALTHY), "acme's 1.0.0 stays the rollback target");
        ModuleState handedOver = host.modules().get(0);
        int before = records(host).size();
        byte[] acmeAgain = ownedRelease(kit.fx.acme, "3.0.0", 10, new ModuleOwner(HEALTHY, "acme", List.of()));
        assertRejected(UpdateFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4, () -> host.install(acmeAgain, InstallContext.manual()));
        assertRefusedAsATakeover("MODULE_OWNED_BY_ANOTHER_SUPPLIER", before, handedOver, 1);
        assertTrue(active(globexV2));
    }

    @Test
    void refusesTheNewOwnersPackageBelowTheSecurityVersionItsTransferStartsAt() {
        ModuleOwner globexOwns = new ModuleOwner(HEALTHY, "globex", List.of(ACME_TO_GLOBEX));

        RejectedException e = assertRejected(UpdateFailure.ANTI_ROLLBACK, 4,
                () -> host.install(ownedRelease(globex, "2.0.0", 4, globexOwns), InstallContext.manual()));

        assertTrue(e.getMessage().contains("below 5, where the OEM's transfer from acme to globex starts"), e.getMessage());
        assertTrue(active(acmeV1));
    }

    @Test
    void followsAChainOfTransfersFromTheInstalledSupplier() {
        ModuleOwner initechOwns = new ModuleOwner(HEALTHY, "initech", List.of(ACME_TO_GLOBEX,
                new Transfer("globex", "initech", 12, HANDOVER.plusSeconds(60))));

        assertRejected(UpdateFailure.ANTI_ROLLBACK, 4,
                () -> host.install(ownedRelease(initech, "2.0.0", 9, initechOwns), InstallContext.manual()));
        byte[] initechV2 = ownedRelease(initech, "2.0.0", 12, initechOwns);
        host.install(initechV2, InstallContext.manual());

        assertTrue(active(initechV2));
    }

    @Test
    void theInstalledSuppliersOwnStatementAndTheFirstInstallOfAModuleAreNotRefused() {
        byte[] acmeV2 = ownedRelease(kit.fx.acme, "2.0.0", 2, new ModuleOwner(HEALTHY, "acme", List.of()));
        assertEquals(InstallResult.Outcome.COMMITTED, host.install(acmeV2, InstallContext.manual()).outcome());

        byte[] globexOther = kit.released("healthy_v1.wasm", spec("globex-module", "1.0.0", 1, HEALTHY_CAPS), globex);
        assertEquals(InstallResult.Outcome.COMMITTED, host.install(globexOther, InstallContext.manual()).outcome());
    }

    /** Whether the active slot of healthy holds exactly {@code packageBytes}. */
    private boolean active(byte[] packageBytes) {
        ModuleState s = host.modules().stream().filter(m -> m.moduleId().equals(HEALTHY)).findFirst().orElseThrow();
        return s.activeMetadata().packageSha256().equals(dev.wasmota.contract.Digests.sha256Hex(packageBytes));
    }
}
