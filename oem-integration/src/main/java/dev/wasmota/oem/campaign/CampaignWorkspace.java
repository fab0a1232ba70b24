package dev.wasmota.oem.campaign;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.oem.pki.OemPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Random;

/**
 * Everything the campaign commands work on in one OEM directory, opened together and closed
 * together: the campaign key, the release store ({@code releases/}), the campaign database
 * ({@code campaigns/} unless another URL is given), the OEM audit log ({@code audit.log}) and the
 * file outbox ({@code outbox/}). A process that already holds the audit log (one writer per file)
 * passes it in; it is then left open on {@link #close}.
 */
public final class CampaignWorkspace implements AutoCloseable {
    /** The OEM audit log inside the OEM directory. */
    public static final String AUDIT_FILE = "audit.log";

    private final ReleaseStore releases;
    private final CampaignDatabase db;
    private final AuditLog audit;
    private final boolean ownsAudit;
    private final CampaignService service;

    private CampaignWorkspace(ReleaseStore releases, CampaignDatabase db, AuditLog audit, boolean ownsAudit,
                              CampaignService service) {
        this.releases = releases;
        this.db = db;
        this.audit = audit;
        this.ownsAudit = ownsAudit;
        this.service = service;
    }

    /** Opens the workspace of {@code oemDir}, with its own audit log. */
    public static CampaignWorkspace open(Path oemDir, Optional<String> dbUrl, Clock clock, Random random, String actor) {
        return open(oemDir, dbUrl, clock, random, actor, Optional.empty());
    }

    /** Opens the workspace of {@code oemDir}; {@code sharedAudit}, if given, is used instead of opening the log. */
    public static CampaignWorkspace open(Path oemDir, Optional<String> dbUrl, Clock clock, Random random, String actor,
                                         Optional<AuditLog> sharedAudit) {
        return open(oemDir, dbUrl, clock, random, actor, sharedAudit, Optional.empty());
    }

    /**
     * Opens the workspace of {@code oemDir}; {@code sharedAudit}, if given, is used instead of
     * opening the log, and {@code outbox}, if given, instead of the {@link FileOutbox} (an MQTT
     * dispatcher that writes through it).
     */
    public static CampaignWorkspace open(Path oemDir, Optional<String> dbUrl, Clock clock, Random random, String actor,
                                         Optional<AuditLog> sharedAudit, Optional<Outbox> outbox) {
        OemPki pki;
        try {
            pki = OemPki.load(oemDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OEM keys in " + oemDir, e);
        }
        ReleaseStore releases = ReleaseStore.open(oemDir, clock);
        CampaignDatabase db = CampaignDatabase.open(dbUrl.orElseGet(() -> CampaignDatabase.defaultUrl(oemDir)), clock);
        AuditLog audit;
        try {
            audit = sharedAudit.orElseGet(() -> AuditLog.open(oemDir.resolve(AUDIT_FILE), clock));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        CampaignService service = CampaignService.builder(db, releases, pki.campaign(),
                        outbox.orElseGet(() -> new FileOutbox(oemDir.resolve(FileOutbox.DIR))), audit)
                .clock(clock).random(random).actor(actor).build();
        return new CampaignWorkspace(releases, db, audit, sharedAudit.isEmpty(), service);
    }

    public CampaignService campaigns() {
        return service;
    }

    public ReleaseStore releases() {
        return releases;
    }

    public VehicleRegistry vehicles() {
        return service.vehicles();
    }

    public CampaignDatabase database() {
        return db;
    }

    @Override
    public void close() {
        try {
            if (ownsAudit) {
                audit.close();
            }
        } finally {
            db.close();
        }
    }
}
