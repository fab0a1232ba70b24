package dev.wasmota.oem.release;

import dev.wasmota.oem.campaign.CampaignDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which releases are on the broker's retained release topics, in chunks (table
 * {@code release_topic}): a worker publishes a release there once, the first time an instruction
 * for it goes out, and records it; the sweep asks which recorded releases no campaign needs any
 * more, clears their topics and forgets them, so a later campaign publishes the release again.
 */
public final class ReleaseTopics {
    /** A release on the retained topics. */
    public record Published(String packageSha256, int chunkBytes, int chunkCount) {
    }

    private final CampaignDatabase db;
    private final Clock clock;

    public ReleaseTopics(CampaignDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether {@code sha256} is recorded as published with chunks of {@code chunkBytes}. */
    public boolean isPublished(String sha256, int chunkBytes) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT chunk_bytes FROM release_topic WHERE package_sha256 = ?")) {
                s.setString(1, sha256);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getInt(1) == chunkBytes;
                }
            }
        });
    }

    /** Records {@code p} as published (replacing a record of the same release in another chunk size). */
    public void published(Published p) {
        db.transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM release_topic WHERE package_sha256 = ?")) {
                d.setString(1, p.packageSha256());
                d.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO release_topic (package_sha256, chunk_bytes, chunk_count, published_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, p.packageSha256());
                s.setInt(2, p.chunkBytes());
                s.setInt(3, p.chunkCount());
                s.setObject(4, CampaignDatabase.time(clock.instant()));
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The published releases no campaign needs: none of its instructions is outstanding
     * ({@code INSTRUCTED}), and no campaign that may still issue one for it (created, running,
     * paused, or stopped and so possibly rolled back to it) names it as its release or its
     * rollback release.
     */
    public List<Published> unneeded() {
        return db.transaction(c -> {
            List<Published> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT r.package_sha256, r.chunk_bytes, r.chunk_count"
                    + " FROM release_topic r WHERE NOT EXISTS (SELECT 1 FROM campaign_action a"
                    + "   WHERE a.package_sha256 = r.package_sha256 AND a.status = 'INSTRUCTED')"
                    + " AND NOT EXISTS (SELECT 1 FROM campaign k WHERE k.state IN ('CREATED', 'RUNNING', 'PAUSED', 'STOPPED')"
                    + "   AND (k.package_sha256 = r.package_sha256 OR k.rollback_package_sha256 = r.package_sha256))"
                    + " ORDER BY r.published_at, r.package_sha256");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Published(rs.getString(1).trim(), rs.getInt(2), rs.getInt(3)));
                }
            }
            return out;
        });
    }

    /** Forgets {@code sha256}: its topics were cleared. */
    public void cleared(String sha256) {
        db.transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM release_topic WHERE package_sha256 = ?")) {
                d.setString(1, sha256);
                return d.executeUpdate();
            }
        });
    }

    /** Every release on the retained topics. */
    public List<Published> list() {
        return db.transaction(c -> {
            List<Published> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT package_sha256, chunk_bytes, chunk_count FROM release_topic ORDER BY published_at, package_sha256");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Published(rs.getString(1).trim(), rs.getInt(2), rs.getInt(3)));
                }
            }
            return out;
        });
    }
}
