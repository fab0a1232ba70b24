package dev.wasmota.oem.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.oem.pki.OemPki;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ModuleOwners} must do, whatever keeps it (the kit each implementation's test
 * runs): first owner, refusals, transfers and their limits, atomically across processes.
 */
abstract class ModuleOwnersContract {
    static final Instant T0 = Fixtures.T0;
    static final Instant LATER = T0.plusSeconds(3600);

    @TempDir
    Path dir;
    Fixtures fx;
    ModuleOwners owners;

    /** The registry under test, made once per test. */
    abstract ModuleOwners open();

    /** Another handle on the same registry, as another process would have. */
    abstract ModuleOwners another();

    @BeforeEach
    void setUpRegistry() {
        fx = new Fixtures(dir);
        owners = open();
    }

    static RejectedException assertRefused(Reason reason, int exit, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(exit, e.exitCode().code());
        return e;
    }

    ModuleTransfer transfer(String module, String to, OptionalLong min) {
        return OwnershipTransfers.transfer(owners, fx.oem.release(), module, to, "acme sold the product line", min, LATER);
    }

    @Test
    void theFirstClaimMakesItsSupplierTheOwnerDurably() {
        ModuleOwners.Claim first = owners.claim("healthy", "acme", 3, T0);
        assertTrue(first.firstOwner());
        assertFalse(owners.claim("healthy", "acme", 4, LATER).firstOwner());

        ModuleOwnership read = another().find("healthy").orElseThrow();
        assertEquals("acme", read.supplierId());
        assertEquals(T0, read.since());
        assertEquals(4, read.highestSecurityVersion());
        assertEquals(List.of("healthy"), owners.list().stream().map(ModuleOwnership::moduleId).toList());
    }

    @Test
    void anotherSuppliersClaimIsRefusedAndChangesNothing() {
        owners.claim("healthy", "acme", 1, T0);
        List<ModuleOwnership> before = owners.list();

        RejectedException e = assertRefused(OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4,
                () -> owners.claim("healthy", "globex", 9, LATER));

        assertTrue(e.getMessage().contains("belongs to supplier acme"), e.getMessage());
        assertEquals(before, another().list());
    }

    @Test
    void anOlderReleaseDoesNotLowerTheHighestSecurityVersion() {
        owners.claim("healthy", "acme", 7, T0);
        owners.claim("healthy", "acme", 2, LATER);

        assertEquals(7, owners.find("healthy").orElseThrow().highestSecurityVersion());
    }

    @Test
    void concurrentFirstClaimsBySeveralSuppliersLeaveExactlyOneOwner() throws Exception {
        List<String> suppliers = List.of("acme", "globex", "initech", "umbrella", "hooli", "wonka");
        ExecutorService pool = Executors.newFixedThreadPool(suppliers.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> claims = new ArrayList<>();
            for (String s : suppliers) {
                claims.add(pool.submit(() -> {
                    start.await();
                    try {
                        return another().claim("contested", s, 1, T0).firstOwner();
                    } catch (RejectedException e) {
                        assertEquals(OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, e.reason());
                        return false;
                    }
                }));
            }
            start.countDown();
            long winners = 0;
            for (Future<Boolean> f : claims) {
                winners += f.get() ? 1 : 0;
            }
            assertEquals(1, winners, "one supplier became the owner, every other was refused");
        } finally {
            pool.shutdownNow();
        }
        assertTrue(suppliers.contains(owners.find("contested").orElseThrow().supplierId()));
    }

    @Test
    void aTransferStartsOneAboveTheHighestReleasedAndHandsTheModuleOver() {
        owners.claim("healthy", "acme", 9, T0);

        ModuleTransfer t = transfer("healthy", "globex", OptionalLong.empty());

        assertEquals(10, t.minSecurityVersion());
        t.verify(fx.oem.release().cert());
        ModuleOwnership after = owners.find("healthy").orElseThrow();
        assertEquals("globex", after.supplierId());
        assertEquals(LATER, after.since());
        assertEquals(10, after.floor());
        assertEquals(List.of(t), after.transfers());
        assertEquals(new ReleaseAttributes.ModuleOwner("healthy", "globex",
                List.of(new ReleaseAttributes.Transfer("acme", "globex", 10, LATER))), after.statement(fx.oem.release().cert()));
        assertRefused(OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4, () -> owners.claim("healthy", "acme", 11, LATER));
        assertRefused(OwnershipFailure.BELOW_TRANSFER_FLOOR, 4, () -> owners.claim("healthy", "globex", 9, LATER));
        assertFalse(owners.claim("healthy", "globex", 10, LATER).firstOwner());
    }

    @Test
    void refusesTransferringAModuleNoIntakeAccepted() {
        assertRefused(OwnershipFailure.UNKNOWN_MODULE, 4, () -> transfer("healthy", "globex", OptionalLong.empty()));
        assertTrue(another().list().isEmpty());
    }

    @Test
    void refusesATransferToTheOwnerOrStartingAtOrBelowAReleasedSecurityVersion() {
        owners.claim("healthy", "acme", 9, T0);

        assertRefused(OwnershipFailure.INVALID_TRANSFER, 4, () -> transfer("healthy", "acme", OptionalLong.empty()));
        assertRefused(OwnershipFailure.INVALID_TRANSFER, 4, () -> transfer("healthy", "globex", OptionalLong.of(9)));
        assertEquals(12, transfer("healthy", "globex", OptionalLong.of(12)).minSecurityVersion(), "a higher start is allowed");
    }

    @Test
    void refusesARecordedTransferDraftedAgainstAnOwnershipThatChangedSince() {
        owners.claim("healthy", "acme", 1, T0);
        ModuleTransfer stale = ModuleTransfer.sign("healthy", "acme", "initech", 2, LATER, "drafted earlier", fx.oem.release());
        transfer("healthy", "globex", OptionalLong.empty());

        assertRefused(OwnershipFailure.INVALID_TRANSFER, 4, () -> owners.transfer(stale));
        assertEquals("globex", owners.find("healthy").orElseThrow().supplierId());
    }

    @Test
    void refusesMoreTransfersThanACountersignatureCarries() {
        owners.claim("healthy", "acme", 1, T0);
        for (int i = 0; i < FileModuleOwners.MAX_TRANSFERS; i++) {
            transfer("healthy", i % 2 == 0 ? "globex" : "acme", OptionalLong.empty());
        }

        assertRefused(OwnershipFailure.INVALID_TRANSFER, 4, () -> transfer("healthy", "initech", OptionalLong.empty()));
        assertEquals(FileModuleOwners.MAX_TRANSFERS, owners.find("healthy").orElseThrow().transfers().size());
    }

    @Test
    void aTransferSignedWithAnotherKeyDoesNotVerify() throws Exception {
        Fixtures otherFixtures = new Fixtures(dir.resolve("other"), 2);
        OemPki other = OemPki.load(otherFixtures.oemDir(), otherFixtures.clock, Fixtures.seeded(8));
        ModuleTransfer foreign = ModuleTransfer.sign("healthy", "acme", "globex", 2, LATER, "forged", other.release());

        assertRefused(OwnershipFailure.TRANSFER_UNVERIFIED, 3, () -> foreign.verify(fx.oem.release().cert()));
    }
}
