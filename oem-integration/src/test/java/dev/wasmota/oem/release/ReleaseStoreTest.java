package dev.wasmota.oem.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseStoreTest {
    @TempDir
    Path dir;

    Fixtures fx;
    ReleaseStore store;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        store = ReleaseStore.open(dir.resolve("oem"), fx.clock);
    }

    private ModulePackage healthy(String version, long securityVersion, String wasm) {
        return fx.countersigned(fx.supplierSigned(Packager.build(Fixtures.wasm(wasm),
                Fixtures.spec("healthy", version, securityVersion, Fixtures.HEALTHY_CAPS)), fx.acme));
    }

    @Test
    void publishesCountersignedPackageWithItsReportAndIndexEntry() throws Exception {
        byte[] pkg = PackageFile.toBytes(fx.released());
        byte[] report = "{\"checks\":[]}".getBytes(StandardCharsets.UTF_8);

        Release r = store.publish(pkg, Optional.of(report));

        assertEquals(new ReleaseId("healthy", "1.0.0"), r.id());
        assertEquals(1, r.securityVersion());
        assertEquals("acme", r.supplierId());
        assertEquals(Digests.sha256Hex(pkg), r.packageSha256());
        assertEquals(Digests.sha256Hex(Fixtures.wasm("healthy_v1.wasm")), r.wasmSha256());
        assertEquals(Fixtures.T0, r.publishedAt());
        Path base = dir.resolve("oem/releases/healthy/1.0.0");
        assertArrayEquals(pkg, Files.readAllBytes(base.resolve("package.wotapkg")));
        assertArrayEquals(report, Files.readAllBytes(base.resolve("report.json")));
        assertEquals(Optional.of("healthy/1.0.0/report.json"), r.reportPath());
        assertEquals(List.of(r), store.list());
        assertEquals(Optional.of(r), store.find("healthy", "1.0.0"));
        assertArrayEquals(pkg, store.packageBytes(r));
    }

    @Test
    void publishingTheSameBytesTwiceChangesNothing() throws Exception {
        byte[] pkg = PackageFile.toBytes(fx.released());
        Release first = store.publish(pkg);
        byte[] index = Files.readAllBytes(store.directory().resolve(ReleaseStore.INDEX_FILE));

        Release again = store.publish(pkg);

        assertEquals(first, again);
        assertArrayEquals(index, Files.readAllBytes(store.directory().resolve(ReleaseStore.INDEX_FILE)));
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
        assertFalse(Files.exists(store.directory().resolve("healthy")));
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
    void indexSurvivesReopening() {
        Release v1 = store.publish(PackageFile.toBytes(fx.released()));

        ReleaseStore reopened = ReleaseStore.open(dir.resolve("oem"), fx.clock);

        assertEquals(List.of(v1), reopened.list());
    }

    @Test
    void refusesStoredPackageChangedOnDisk() throws Exception {
        Release v1 = store.publish(PackageFile.toBytes(fx.released()));
        byte[] bytes = Files.readAllBytes(store.packageFile(v1));
        bytes[bytes.length - 1] ^= 1;
        Files.write(store.packageFile(v1), bytes);

        RejectedException e = assertThrows(RejectedException.class, () -> store.packageBytes(v1));

        assertEquals(TrustFailure.DIGEST_MISMATCH, e.reason());
    }
}
