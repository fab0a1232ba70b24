package dev.wasmota.oem.release;

import dev.wasmota.signing.pki.TrustHierarchy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OEM's released packages under {@code <oem dir>/releases/}: each countersigned package at
 * {@code <moduleId>/<version>/package.wotapkg} (with its integration {@code report.json}), and an
 * index ({@code index.json}, canonical JSON) the campaigns look releases up in. Only packages whose
 * supplier signature and OEM countersignature both verify get in; a module version, once
 * published, never changes. Files are written durably, the index last, so a crash never leaves an
 * index entry without its package. I/O failures are thrown as {@link UncheckedIOException}.
 */
public final class ReleaseStore {
    /** The store's directory inside the OEM directory. */
    public static final String DIR = "releases";
    public static final String INDEX_FILE = "index.json";
    public static final String PACKAGE_FILE = "package" + PackageFile.EXTENSION;
    public static final String REPORT_FILE = "report.json";
    /** Largest integration report accepted. */
    public static final int MAX_REPORT_BYTES = 1024 * 1024;

    private static final String LOCK_FILE = ".lock";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One writer per store directory in this process (a file lock is per process, not per thread). */
    private static final Map<Path, Object> WRITERS = new ConcurrentHashMap<>();

    private final Path dir;
    private final PackageVerifier verifier;
    private final Clock clock;

    /** A store in {@code dir} that admits packages verifying against {@code trust} at {@code clock}'s time. */
    public ReleaseStore(Path dir, TrustStore trust, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.verifier = new PackageVerifier(trust, clock);
        this.clock = clock;
    }

    /** The store of the OEM directory {@code oemDir}, trusting the OEM's own vehicle trust anchors. */
    public static ReleaseStore open(Path oemDir, Clock clock) {
        try {
            return new ReleaseStore(oemDir.resolve(DIR), TrustStore.load(oemDir.resolve(TrustHierarchy.TRUST_DIR)), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trust anchors of " + oemDir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Publishes a package without an integration report; see {@link #publish(byte[], Optional)}. */
    public Release publish(byte[] packageBytes) {
        return publish(packageBytes, Optional.empty());
    }

    /**
     * Verifies both signatures of {@code packageBytes} and publishes it. Publishing the same bytes
     * again returns the existing release (the first report stays); another package under an
     * existing module id and version is refused ({@link ReleaseFailure#RELEASE_CONFLICT}).
     */
    public Release publish(byte[] packageBytes, Optional<byte[]> reportJson) {
        VerifiedPackage verified = verifier.verify(PackageFile.fromBytes(packageBytes));
        reportJson.ifPresent(ReleaseStore::checkReport);
        Manifest m = verified.manifest();
        String packageSha = Digests.sha256Hex(packageBytes);
        synchronized (WRITERS.computeIfAbsent(dir, d -> new Object())) {
            return write(m, packageSha, packageBytes, reportJson);
        }
    }

    /** Under the in-process lock of this directory, takes the file lock other processes honour, then writes. */
    private Release write(Manifest m, String packageSha, byte[] packageBytes, Optional<byte[]> reportJson) {
        try {
            DurableFiles.createDirectories(dir);
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
                List<Release> index = readIndex();
                Optional<Release> existing = index.stream()
                        .filter(r -> r.moduleId().equals(m.moduleId()) && r.version().equals(m.version())).findFirst();
                if (existing.isPresent()) {
                    return same(existing.get(), packageSha);
                }
                String base = m.moduleId() + "/" + m.version() + "/";
                DurableFiles.createDirectories(dir.resolve(base));
                DurableFiles.writeAtomic(dir.resolve(base + PACKAGE_FILE), packageBytes);
                Optional<String> report = Optional.empty();
                if (reportJson.isPresent()) {
                    DurableFiles.writeAtomic(dir.resolve(base + REPORT_FILE), reportJson.get());
                    report = Optional.of(base + REPORT_FILE);
                }
                Release release = new Release(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(),
                        m.wasmSha256(), packageSha, base + PACKAGE_FILE, report,
                        clock.instant().truncatedTo(ChronoUnit.SECONDS));
                List<Release> updated = new ArrayList<>(index);
                updated.add(release);
                DurableFiles.writeAtomic(dir.resolve(INDEX_FILE), ReleaseIndex.bytes(updated));
                return release;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish to " + dir, e);
        }
    }

    /** Every release, by module id, then security version, then publication order. */
    public List<Release> list() {
        List<Release> all = new ArrayList<>(readIndex());
        List<Release> order = List.copyOf(all);
        all.sort(Comparator.comparing(Release::moduleId).thenComparingLong(Release::securityVersion)
                .thenComparingInt(order::indexOf));
        return all;
    }

    public Optional<Release> find(String moduleId, String version) {
        return readIndex().stream().filter(r -> r.moduleId().equals(moduleId) && r.version().equals(version)).findFirst();
    }

    /** The release named {@code id}; refused with {@link ReleaseFailure#UNKNOWN_RELEASE} if there is none. */
    public Release get(ReleaseId id) {
        return find(id.moduleId(), id.version()).orElseThrow(() -> new RejectedException(ReleaseFailure.UNKNOWN_RELEASE,
                "no release " + id + " in " + dir + " (publish it first, or create the campaign with --package)"));
    }

    /**
     * The release a rollback of {@code moduleId@version} goes to: among the module's other
     * releases, the one just below it in (security version, publication order), which is the one
     * with the next lower security version unless an earlier release shares its security version.
     * Empty if there is none; refused if {@code moduleId@version} itself is unknown.
     */
    public Optional<Release> previous(String moduleId, String version) {
        List<Release> index = readIndex();
        ReleaseId id = new ReleaseId(moduleId, version);
        Release self = index.stream().filter(r -> r.id().equals(id)).findFirst().orElseGet(() -> get(id));
        int selfPos = index.indexOf(self);
        Comparator<Release> order = Comparator.comparingLong(Release::securityVersion).thenComparingInt(index::indexOf);
        return index.stream()
                .filter(r -> r.moduleId().equals(moduleId) && !r.equals(self))
                .filter(r -> r.securityVersion() < self.securityVersion()
                        || (r.securityVersion() == self.securityVersion() && index.indexOf(r) < selfPos))
                .max(order);
    }

    /** Where {@code release}'s package file lies. */
    public Path packageFile(Release release) {
        return dir.resolve(release.packagePath());
    }

    /** The package file of {@code release}, checked against the digest the index recorded. */
    public byte[] packageBytes(Release release) {
        byte[] bytes;
        try {
            bytes = DurableFiles.readBounded(packageFile(release), PackageFile.MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the package of " + release.id(), e);
        }
        if (!Digests.sha256Hex(bytes).equals(release.packageSha256())) {
            throw new RejectedException(TrustFailure.DIGEST_MISMATCH, "the stored package of " + release.id()
                    + " no longer has the digest it was published with");
        }
        return bytes;
    }

    /** Reads {@code release}'s package and verifies both signatures again, at this store's clock time. */
    public VerifiedPackage verified(Release release) {
        return verifier.verify(PackageFile.fromBytes(packageBytes(release)));
    }

    private static Release same(Release existing, String packageSha) {
        if (!existing.packageSha256().equals(packageSha)) {
            throw new RejectedException(ReleaseFailure.RELEASE_CONFLICT, existing.id() + " is already published as package "
                    + existing.packageSha256().substring(0, 12) + "…, not " + packageSha.substring(0, 12)
                    + "…; a published release never changes (give the new package a new version)");
        }
        return existing;
    }

    private static void checkReport(byte[] report) {
        if (report.length > MAX_REPORT_BYTES) {
            throw new RejectedException(ReleaseFailure.MALFORMED_REPORT,
                    "integration report of " + report.length + " bytes exceeds " + MAX_REPORT_BYTES);
        }
        JsonNode node;
        try {
            node = JSON.readTree(report);
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new RejectedException(ReleaseFailure.MALFORMED_REPORT, "integration report is not a JSON object");
        }
    }

    private List<Release> readIndex() {
        Path file = dir.resolve(INDEX_FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return ReleaseIndex.parse(DurableFiles.readBounded(file, ReleaseIndex.MAX_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
