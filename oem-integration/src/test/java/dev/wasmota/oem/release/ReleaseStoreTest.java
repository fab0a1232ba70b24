package dev.wasmota.oem.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The releases in the OEM database: what gets in, what never changes, the order rollbacks follow. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class ReleaseStoreTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    Fixtures fx;
    String url;
    CampaignDatabase db;
    ReleaseStore store;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        url = database.freshUrl();
        db = CampaignDatabase.open(url, fx.clock);
        store = new ReleaseStore(db, fx.oem.trustStore(), fx.clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private ModulePackage healthy(String version, long securityVersion, String wasm) {
        return fx.countersigned(fx.supplierSigned(Packager.build(Fixtures.wasm(wasm),
                Fixtures.spec("healthy", version, securityVersion, Fixtures.HEALTHY_CAPS)), fx.acme));
    }

    @Test
    void publishesCountersignedPackageWithItsReport() throws Exception {
        byte[] pkg = PackageFile.toBytes(fx.released());
        byte[] report = "{\"checks\":[]}".getBytes(StandardCharsets.UTF_8);

        Release r = store.publish(pkg, Optional.of(report));

        assertEquals(new ReleaseId("healthy", "1.0.0"), r.id());
        assertEquals(1, r.securityVersion());
        assertEquals("acme", r.supplierId());
        assertEquals(Digests.sha256Hex(pkg), r.packageSha256());
        assertEquals(Digests.sha256Hex(Fixtures.wasm("healthy_v1.wasm")), r.wasmSha256());
        assertEquals(Fixtures.T0, r.publishedAt());
        assertTrue(r.report());
        assertArrayEquals(report, store.report(r).orElseThrow());
        assertArrayEquals(pkg, store.packageBytes(r.packageSha256()).orElseThrow());
        assertEquals(List.of(r), store.list());
        assertEquals(Optional.of(r), store.find("healthy", "1.0.0"));
        assertArrayEquals(pkg, store.packageBytes(r));
    }

    @Test
    void publishingTheSameBytesTwiceChangesNothing() throws Exception {
        byte[] pkg = PackageFile.toBytes(fx.released());
        Release first = store.publish(pkg);

        Release again = store.publish(pkg, Optional.of("{}".getBytes(StandardCharsets.UTF_8)));

        assertEquals(first, again);
        assertEquals(List.of(first), store.list());
        assertEquals(Optional.empty(), store.report(first));
    }

    @Test
    void twoWorkersPublishingOneVersionAtOnceEndWithOneRelease() throws Exception {
        byte[] pkg = PackageFile.toBytes(fx.released());
        byte[] other = PackageFile.toBytes(healthy("1.0.0", 1, "healthy_v2.wasm"));
        try (CampaignDatabase second = CampaignDatabase.open(url, fx.clock)) {
            ReleaseStore worker2 = new ReleaseStore(second, fx.oem.trustStore(), fx.clock);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 5; round++) {
                    byte[] mine = round % 2 == 0 ? pkg : other;
                    Future<Object> a = pool.submit(attempt(() -> store.publish(mine)));
                    Future<Object> b = pool.submit(attempt(() -> worker2.publish(mine)));
                    assertEquals(a.get(), b.get(), "both get the one release");
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(1, store.list().size());
    }

    /** The release published, or the refusal's reason. */
    private static Callable<Object> attempt(Callable<Release> publish) {
        return () -> {
            try {
                return publish.call();
            } catch (RejectedException e) {
                return e.reason();
            }
        };
    }

    @Test
    void refusesUnsignedPackage() {
        byte[] unsigned = PackageFile.toBytes(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"));

        RejectedException e = assertThrows(RejectedException.class, () -> store.publish(unsigned));

        assertEquals(TrustFailure.UNSIGNED, e.reason());
        assertTrue(store.list().isEmpty());
    }

    @Test
    void refusesSupplierOnlyPackage() {
        byte[] supplierOnly = PackageFile.toBytes(fx.supplierSigned(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), fx.acme));

        RejectedException e = assertThrows(RejectedException.class, () -> store.publish(supplierOnly));

        assertEquals(TrustFailure.COUNTERSIGNATURE_MISSING, e.reason());
        assertEquals(3, e.exitCode().code());
        assertTrue(store.list().isEmpty());
    }

    @Test
    void refusesAnotherPackageUnderAPublishedVersion() throws Exception {
        Release published = store.publish(PackageFile.toBytes(fx.released()));
        byte[] other = PackageFile.toBytes(healthy("1.0.0", 1, "healthy_v2.wasm"));

        RejectedException e = assertThrows(RejectedException.class, () -> store.publish(other));

        assertEquals(ReleaseFailure.RELEASE_CONFLICT, e.reason());
        assertEquals(4, e.exitCode().code());
        assertEquals(List.of(published), store.list());
        assertEquals(published.packageSha256(), Digests.sha256Hex(store.packageBytes(published)));
    }

    @Test
    void refusesReportThatIsNotAJsonObject() {
        byte[] pkg = PackageFile.toBytes(fx.released());

        RejectedException e = assertThrows(RejectedException.class,
                () -> store.publish(pkg, Optional.of("[1,2".getBytes(StandardCharsets.UTF_8))));

        assertEquals(ReleaseFailure.MALFORMED_REPORT, e.reason());
        assertTrue(store.list().isEmpty());
    }

    @Test
    void previousIsTheReleaseWithTheNextLowerSecurityVersion() {
        Release v1 = store.publish(PackageFile.toBytes(fx.released()));
        Release v3 = store.publish(PackageFile.toBytes(healthy("3.0.0", 3, "healthy_v2.wasm")));
        Release v2 = store.publish(PackageFile.toBytes(healthy("2.0.0", 2, "healthy_v2.wasm")));

        assertEquals(Optional.of(v2), store.previous("healthy", "3.0.0"));
        assertEquals(Optional.of(v1), store.previous("healthy", "2.0.0"));
        assertEquals(Optional.empty(), store.previous("healthy", "1.0.0"));
        assertEquals(List.of(v1, v2, v3), store.list());
    }

    @Test
    void previousOfAnEqualSecurityVersionIsTheOnePublishedBefore() {
        Release v1 = store.publish(PackageFile.toBytes(fx.released()));
        store.publish(PackageFile.toBytes(healthy("1.0.1", 1, "healthy_v2.wasm")));

        assertEquals(Optional.of(v1), store.previous("healthy", "1.0.1"));
    }

    @Test
    void previousOfAnUnknownReleaseIsRefused() {
        RejectedException e = assertThrows(RejectedException.class, () -> store.previous("healthy", "9.9.9"));

        assertEquals(ReleaseFailure.UNKNOWN_RELEASE, e.reason());
    }

    @Test
    void anotherProcessOnTheSameDatabaseSeesEveryRelease() {
        Release v1 = store.publish(PackageFile.toBytes(fx.released()));

        try (CampaignDatabase other = CampaignDatabase.open(url, fx.clock)) {
            ReleaseStore reopened = new ReleaseStore(other, fx.oem.trustStore(), fx.clock);

            assertEquals(List.of(v1), reopened.list());
            assertArrayEquals(PackageFile.toBytes(fx.released()), reopened.packageBytes(v1));
        }
    }

    @Test
    void refusesAStoredPackageChangedInTheDatabase() throws Exception {
        Release v1 = store.publish(PackageFile.toBytes(fx.released()));
        byte[] bytes = store.packageBytes(v1);
        bytes[bytes.length - 1] ^= 1;
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement p = c.prepareStatement("UPDATE oem_release SET package = ? WHERE version = '1.0.0'")) {
            p.setBytes(1, bytes);
            p.executeUpdate();
        }

        RejectedException e = assertThrows(RejectedException.class, () -> store.packageBytes(v1));

        assertEquals(TrustFailure.DIGEST_MISMATCH, e.reason());
    }
}
