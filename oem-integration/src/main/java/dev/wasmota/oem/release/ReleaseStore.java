package dev.wasmota.oem.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The OEM's released packages, in the OEM database so every worker and command reads the same:
 * each countersigned package with its integration report. Only packages whose supplier signature
 * and OEM countersignature both verify get in; a module version, once published, never changes
 * (two workers publishing the same version at once: one wins, the other gets the same release or
 * a conflict). Packages are read back checked against the digest recorded when they were published.
 * An OEM directory of an earlier version keeps its releases in files; {@link LegacyReleases}
 * brings them in.
 */
public final class ReleaseStore {
    /** Largest integration report accepted. */
    public static final int MAX_REPORT_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "module_id, version, security_version, supplier_id, wasm_sha256, package_sha256,"
            + " published_at, report IS NOT NULL AS has_report";

    private final CampaignDatabase db;
    private final PackageVerifier verifier;
    private final Clock clock;

    /** A store in {@code db} that admits packages verifying against {@code trust} at {@code clock}'s time. */
    public ReleaseStore(CampaignDatabase db, TrustStore trust, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.verifier = new PackageVerifier(trust, clock);
        this.clock = clock;
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
        Release release = new Release(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(), m.wasmSha256(),
                Digests.sha256Hex(packageBytes), reportJson.isPresent(), clock.instant().truncatedTo(ChronoUnit.SECONDS));
        return insert(release, packageBytes, reportJson);
    }

    /** Inserts {@code release} unless its module version is published; then it must be the same package. */
    Release insert(Release release, byte[] packageBytes, Optional<byte[]> report) {
        try {
            return db.transaction(c -> {
                Optional<Release> existing = find(c, release.moduleId(), release.version());
                if (existing.isPresent()) {
                    return same(existing.get(), release.packageSha256());
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO oem_release (module_id, version, security_version,"
                        + " supplier_id, wasm_sha256, package_sha256, published_at, package, report)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    p.setString(1, release.moduleId());
                    p.setString(2, release.version());
                    p.setLong(3, release.securityVersion());
                    p.setString(4, release.supplierId());
                    p.setString(5, release.wasmSha256());
                    p.setString(6, release.packageSha256());
                    p.setObject(7, CampaignDatabase.time(release.publishedAt()));
                    p.setBytes(8, packageBytes);
                    p.setBytes(9, report.orElse(null));
                    p.executeUpdate();
                }
                return release;
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s && CampaignDatabase.isDuplicateKey(s)) {
                Release raced = find(release.moduleId(), release.version()).orElseThrow(() -> e);
                return same(raced, release.packageSha256());
            }
            throw e;
        }
    }

    /** Every release, by module id, then security version, then publication order. */
    public List<Release> list() {
        return db.transaction(c -> query(c, "SELECT " + COLUMNS + " FROM oem_release"
                + " ORDER BY module_id, security_version, publication", null, null));
    }

    public Optional<Release> find(String moduleId, String version) {
        return db.transaction(c -> find(c, moduleId, version));
    }

    /** The release named {@code id}; refused with {@link ReleaseFailure#UNKNOWN_RELEASE} if there is none. */
    public Release get(ReleaseId id) {
        return find(id.moduleId(), id.version()).orElseThrow(() -> new RejectedException(ReleaseFailure.UNKNOWN_RELEASE,
                "no release " + id + " is published (publish it first, or create the campaign with --package)"));
    }

    /**
     * The release a rollback of {@code moduleId@version} goes to: among the module's other
     * releases, the one just below it in (security version, publication order), which is the one
     * with the next lower security version unless an earlier release shares its security version.
     * Empty if there is none; refused if {@code moduleId@version} itself is unknown.
     */
    public Optional<Release> previous(String moduleId, String version) {
        List<Release> ordered = db.transaction(c -> query(c, "SELECT " + COLUMNS + " FROM oem_release WHERE module_id = ?"
                + " ORDER BY security_version, publication", moduleId, null));
        ReleaseId id = new ReleaseId(moduleId, version);
        int self = -1;
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).id().equals(id)) {
                self = i;
            }
        }
        if (self < 0) {
            get(id);
        }
        return self > 0 ? Optional.of(ordered.get(self - 1)) : Optional.empty();
    }

    /** The package file of {@code release}, checked against the digest recorded when it was published. */
    public byte[] packageBytes(Release release) {
        return packageBytes(release.packageSha256()).orElseThrow(() -> new RejectedException(ReleaseFailure.UNKNOWN_RELEASE,
                "no package " + release.packageSha256() + " of " + release.id() + " is published"));
    }

    /** The published package whose SHA-256 is {@code sha256}, checked against it; empty if none is published. */
    public Optional<byte[]> packageBytes(String sha256) {
        Optional<byte[]> bytes = db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT package FROM oem_release WHERE package_sha256 = ?")) {
                p.setString(1, sha256);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
        bytes.ifPresent(b -> {
            if (!Digests.sha256Hex(b).equals(sha256)) {
                throw new RejectedException(TrustFailure.DIGEST_MISMATCH, "the stored package " + sha256
                        + " no longer has the digest it was published with");
            }
        });
        return bytes;
    }

    /** The integration report kept with {@code release}, if one was given. */
    public Optional<byte[]> report(Release release) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT report FROM oem_release WHERE module_id = ? AND version = ?")) {
                p.setString(1, release.moduleId());
                p.setString(2, release.version());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** Reads {@code release}'s package and verifies both signatures again, at this store's clock time. */
    public VerifiedPackage verified(Release release) {
        return verifier.verify(PackageFile.fromBytes(packageBytes(release)));
    }

    private static Optional<Release> find(Connection c, String moduleId, String version) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM oem_release WHERE module_id = ? AND version = ?", moduleId, version)
                .stream().findFirst();
    }

    private static List<Release> query(Connection c, String sql, String first, String second) throws SQLException {
        List<Release> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (first != null) {
                p.setString(1, first);
            }
            if (second != null) {
                p.setString(2, second);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Release(rs.getString("module_id"), rs.getString("version"), rs.getLong("security_version"),
                            rs.getString("supplier_id"), rs.getString("wasm_sha256"), rs.getString("package_sha256"),
                            rs.getBoolean("has_report"), CampaignDatabase.instant(rs, "published_at")));
                }
            }
        }
        return out;
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
}
