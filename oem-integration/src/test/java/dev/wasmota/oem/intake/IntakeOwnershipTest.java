package dev.wasmota.oem.intake;

import dev.wasmota.signing.pki.TrustHierarchy;

import static dev.wasmota.oem.intake.IntakeTestKit.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.owner.FileModuleOwners;
import dev.wasmota.oem.owner.ModuleOwnership;
import dev.wasmota.oem.owner.ModuleTransfer;
import dev.wasmota.oem.owner.OwnershipFailure;
import dev.wasmota.oem.owner.OwnershipTransfers;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.ReleaseAttributes.ModuleOwner;
import dev.wasmota.oem.pki.OemPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module id belongs to the supplier whose package of it the intake first countersigned: another
 * supplier's package of it is refused as a security event, until the OEM transfers the module; the
 * countersignature states the owner and the transfers, for vehicles to check.
 */
class IntakeOwnershipTest {
    @TempDir
    Path dir;
    IntakeTestKit kit;
    AuditLog audit;
    Fixtures.Supplier globex;
    FileModuleOwners owners;

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir);
        audit = AuditLog.open(kit.auditFile, kit.fx.clock);
        globex = kit.fx.supplier("globex", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 71);
        owners = FileModuleOwners.in(dir.resolve("oem"));
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    IntakeResult integrate(ModulePackage pkg) {
        return integrate(kit.oem, pkg);
    }

    IntakeResult integrate(OemPki pki, ModulePackage pkg) {
        return new IntakePipeline(pki, kit.options(audit).build()).integrate(pkg, Optional.empty());
    }

    ModulePackage healthy(Fixtures.Supplier supplier, String version, long securityVersion) {
        PackageSpec s = IntakeTestKit.spec("healthy", IntakeTestKit.HEALTHY_CAPS, 1, IntakeTestKit.DEADLINE_US);
        return kit.submitted("healthy_v1.wasm", new PackageSpec(s.moduleId(), version, securityVersion, s.supplierId(),
                s.capabilities(), s.memoryPages(), s.deadlineUs(), s.periodMs(), s.hardwareIds(), s.sbomSha256()), supplier);
    }

    Optional<ModuleOwner> stated(IntakeResult r) {
        return ReleaseAttributes.moduleOwner(new PackageVerifier(kit.fx.oem.trustStore(), kit.fx.clock).verify(r.release()));
    }

    List<AuditRecord> recordsSince(int seen) {
        List<AuditRecord> all = kit.records();
        return all.subList(seen, all.size());
    }

    ModuleTransfer handOverToGlobex(OptionalLong start) {
        return OwnershipTransfers.transfer(owners, kit.fx.oem.release(), "healthy", "globex", "acme sold the line", start,
                Fixtures.T0.plusSeconds(3600));
    }

    @Test
    void theFirstReleaseMakesItsSupplierTheOwnerAndTheCountersignatureStatesIt() {
        IntakeResult v1 = integrate(healthy(kit.fx.acme, "1.0.0", 1));

        assertTrue(v1.accepted(), () -> v1.report().checks().toString());
        assertEquals(Optional.of(new ModuleOwner("healthy", "acme", List.of())), stated(v1));
        assertEquals(List.of(AuditEvent.INTAKE_ACCEPTED, AuditEvent.MODULE_OWNER_RECORDED, AuditEvent.RELEASE_COUNTERSIGNED),
                kit.events());
        ModuleOwnership o = owners.find("healthy").orElseThrow();
        assertEquals("acme", o.supplierId());
        assertEquals(1, o.highestSecurityVersion());

        int seen = kit.records().size();
        assertTrue(integrate(healthy(kit.fx.acme, "2.0.0", 2)).accepted());
        assertEquals(List.of(AuditEvent.INTAKE_ACCEPTED, AuditEvent.RELEASE_COUNTERSIGNED),
                recordsSince(seen).stream().map(AuditRecord::event).toList(), "the owner is recorded once");
        assertEquals(2, owners.find("healthy").orElseThrow().highestSecurityVersion());
        kit.assertLogVerifies();
    }

    @Test
    void refusesAnotherSuppliersPackageOfAnOwnedModuleAsASecurityEvent() throws Exception {
        assertTrue(integrate(healthy(kit.fx.acme, "1.0.0", 1)).accepted());
        byte[] registry = Files.readAllBytes(owners.file());
        int seen = kit.records().size();

        IntakeResult takeover = integrate(healthy(globex, "9.0.0", 9));

        assertRefused(takeover, IntakeCheck.MODULE_OWNER, OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4);
        String why = takeover.rejection().orElseThrow().getMessage();
        assertTrue(why.contains("belongs to supplier acme") && why.contains("from globex"), why);
        List<AuditRecord> added = recordsSince(seen);
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INTAKE_REJECTED), added.stream().map(AuditRecord::event).toList());
        assertEquals("MODULE_OWNED_BY_ANOTHER_SUPPLIER", added.get(1).cause());
        assertArrayEquals(registry, Files.readAllBytes(owners.file()), "the registry is unchanged");
        kit.assertLogVerifies();
    }

    @Test
    void everyIntakePathReadsTheRegistryInTheOemDirectory() throws Exception {
        assertTrue(integrate(healthy(kit.fx.acme, "1.0.0", 1)).accepted());
        OemPki asLoadedByACommand = OemPki.load(dir.resolve("oem"), kit.fx.clock, Fixtures.seeded(3));

        assertRefused(integrate(asLoadedByACommand, healthy(globex, "9.0.0", 9)), IntakeCheck.MODULE_OWNER,
                OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4);
    }

    @Test
    void aRefusedFirstPackageClaimsNothing() {
        IntakeResult refused = new IntakePipeline(kit.oem, kit.options(audit).build()).integrate(healthy(globex, "1.0.0", 1),
                IntakeTestKit.json("[{\"export\": \"version\", \"expect\": [7]}]"));
        assertTrue(refused.rejection().isPresent());
        assertEquals(Optional.empty(), owners.find("healthy"));

        assertTrue(integrate(healthy(kit.fx.acme, "1.0.0", 1)).accepted());
        assertEquals("acme", owners.find("healthy").orElseThrow().supplierId());
    }

    @Test
    void afterATransferTheNewOwnerIsCountersignedWithItAndTheFormerOwnerIsRefused() {
        assertTrue(integrate(healthy(kit.fx.acme, "1.0.0", 3)).accepted());
        ModuleTransfer t = handOverToGlobex(OptionalLong.empty());
        assertEquals(4, t.minSecurityVersion());

        IntakeResult globexV4 = integrate(healthy(globex, "4.0.0", 4));

        assertTrue(globexV4.accepted(), () -> globexV4.report().checks().toString());
        assertEquals(Optional.of(new ModuleOwner("healthy", "globex", List.of(t.attribute()))), stated(globexV4));
        assertRefused(integrate(healthy(kit.fx.acme, "5.0.0", 5)), IntakeCheck.MODULE_OWNER,
                OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4);
        kit.assertLogVerifies();
    }

    @Test
    void refusesTheNewOwnersPackageBelowWhereItsTransferStarts() {
        assertTrue(integrate(healthy(kit.fx.acme, "1.0.0", 1)).accepted());
        handOverToGlobex(OptionalLong.of(10));

        IntakeResult low = integrate(healthy(globex, "5.0.0", 5));

        assertRefused(low, IntakeCheck.MODULE_OWNER, OwnershipFailure.BELOW_TRANSFER_FLOOR, 4);
        assertTrue(low.rejection().orElseThrow().getMessage().contains("below 10"), low.rejection().toString());
    }

    @Test
    void refusesToCountersignWithATransferEditedIntoTheRegistry() throws Exception {
        assertTrue(integrate(healthy(kit.fx.acme, "1.0.0", 1)).accepted());
        handOverToGlobex(OptionalLong.empty());
        Files.writeString(owners.file(), Files.readString(owners.file()).replace("acme sold the line", "acme agreed"));

        IntakeResult r = integrate(healthy(globex, "2.0.0", 2));

        assertRefused(r, IntakeCheck.MODULE_OWNER, OwnershipFailure.TRANSFER_UNVERIFIED, 3);
        assertEquals(AuditEvent.SECURITY_EVENT, kit.records().get(kit.records().size() - 2).event());
    }
}
