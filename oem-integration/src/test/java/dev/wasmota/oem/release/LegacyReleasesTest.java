package dev.wasmota.oem.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The file release store of an earlier version, brought into the OEM database once. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class LegacyReleasesTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    Fixtures fx;
    Path oemDir;
    CampaignDatabase db;
    ReleaseStore store;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        oemDir = dir.resolve("oem");
        db = CampaignDatabase.open(database.freshUrl(), fx.clock);
        store = new ReleaseStore(db, fx.oem.trustStore(), fx.clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** Writes the releases as the file store of earlier versions did; the first with a report. */
    private List<Release> legacyStore(byte[]... packages) throws Exception {
        Path releases = Files.createDirectories(oemDir.resolve(LegacyReleases.DIR));
        List<ReleaseIndex.Entry> entries = new ArrayList<>();
        for (int i = 0; i < packages.length; i++) {
            var m = dev.wasmota.signing.manifest.ManifestCodec.parse(PackageFile.fromBytes(packages[i]).manifestBytes());
            String base = m.moduleId() + "/" + m.version() + "/";
            Files.createDirectories(releases.resolve(base));
            Files.write(releases.resolve(base + ReleaseIndex.PACKAGE_FILE), packages[i]);
            Optional<String> report = i == 0 ? Optional.of(base + ReleaseIndex.REPORT_FILE) : Optional.empty();
            if (report.isPresent()) {
                Files.writeString(releases.resolve(report.get()), "{\"accepted\":true}");
            }
            entries.add(new ReleaseIndex.Entry(new Release(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(),
                    m.wasmSha256(), Digests.sha256Hex(packages[i]), report.isPresent(),
                    Instant.parse("2026-01-0" + (i + 1) + "T10:00:00Z")), base + ReleaseIndex.PACKAGE_FILE, report));
        }
        Files.write(releases.resolve(LegacyReleases.INDEX_FILE), ReleaseIndex.bytes(entries));
        return entries.stream().map(ReleaseIndex.Entry::release).toList();
    }

    private byte[] healthy(String version, long securityVersion, String wasm) {
        return PackageFile.toBytes(fx.countersigned(fx.supplierSigned(Packager.build(Fixtures.wasm(wasm),
                Fixtures.spec("healthy", version, securityVersion, Fixtures.HEALTHY_CAPS)), fx.acme)));
    }

    @Test
    void importsEveryReleaseOnceInPublicationOrderWithItsReportAndTime() throws Exception {
        byte[] v2 = healthy("2.0.0", 2, "healthy_v2.wasm");
        byte[] v1 = PackageFile.toBytes(fx.released());
        List<Release> legacy = legacyStore(v2, v1);

        assertEquals(2, LegacyReleases.importInto(store, oemDir));

        assertEquals(List.of(legacy.get(1), legacy.get(0)), store.list());
        assertArrayEquals(v2, store.packageBytes(legacy.get(0)));
        assertEquals("{\"accepted\":true}", new String(store.report(legacy.get(0)).orElseThrow(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(oemDir.resolve("releases/index.json")));
        assertTrue(Files.exists(oemDir.resolve("releases/" + LegacyReleases.IMPORTED)));
        assertEquals(0, LegacyReleases.importInto(store, oemDir), "imported once");
        assertEquals(Optional.empty(), store.previous("healthy", "1.0.0"));
    }

    @Test
    void refusesAPackageFileThatNoLongerHasItsDigestAndKeepsTheIndex() throws Exception {
        legacyStore(PackageFile.toBytes(fx.released()));
        Path pkg = oemDir.resolve("releases/healthy/1.0.0/package.wotapkg");
        byte[] bytes = Files.readAllBytes(pkg);
        bytes[bytes.length - 1] ^= 1;
        Files.write(pkg, bytes);

        RejectedException e = assertThrows(RejectedException.class, () -> LegacyReleases.importInto(store, oemDir));

        assertEquals(TrustFailure.DIGEST_MISMATCH, e.reason());
        assertTrue(store.list().isEmpty());
        assertTrue(Files.exists(oemDir.resolve("releases/index.json")), "left for an operator to look at");
    }

    @Test
    void anOemDirectoryWithoutAFileStoreImportsNothing() {
        assertEquals(0, LegacyReleases.importInto(store, oemDir));
    }
}
