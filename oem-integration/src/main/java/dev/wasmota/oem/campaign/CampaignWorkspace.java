package dev.wasmota.oem.campaign;

import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.owner.DatabaseModuleOwners;
import dev.wasmota.oem.owner.ModuleOwners;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.oem.policy.OemPolicy;
import dev.wasmota.oem.record.UpdateRecords;
import dev.wasmota.oem.release.LegacyReleases;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.oem.trust.TrustDistribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.Random;

/**
 * The OEM as every {@code ota oem} command and every {@code oem serve} worker opens it: the keys of
 * an OEM directory ({@link OemPki}) and the OEM database holding everything else, which all of them
 * share: vehicles, campaigns, releases, module owners, the outbox, workers' leases, trust updates
 * and the one audit trail. The database is the embedded H2 file of the OEM directory unless another
 * URL is given. Opening brings in what an OEM directory of an earlier version kept in files (its
 * release store, owner registry, and the instructions its file outbox still owed vehicles), once.
 */
public final class CampaignWorkspace implements AutoCloseable {
    private final OemPki pki;
    private final CampaignDatabase db;
    private final ReleaseStore releases;
    private final DatabaseModuleOwners owners;
    private final OemAuditTrail trail;
    private final CampaignService service;
    private final String actor;
    private final Outbox outbox;
    private final Random random;
    private final OemPolicy policy;

    private CampaignWorkspace(OemPki pki, CampaignDatabase db, ReleaseStore releases, DatabaseModuleOwners owners,
                              OemAuditTrail trail, CampaignService service, String actor, Outbox outbox, Random random,
                              OemPolicy policy) {
        this.pki = pki;
        this.db = db;
        this.releases = releases;
        this.owners = owners;
        this.trail = trail;
        this.service = service;
        this.actor = actor;
        this.outbox = outbox;
        this.random = random;
        this.policy = policy;
    }

    /** Opens the OEM of {@code oemDir}; a campaign step's instructions are also written to {@code oemDir/outbox/}. */
    public static CampaignWorkspace open(Path oemDir, Optional<String> dbUrl, Clock clock, Random random, String actor) {
        return open(oemDir, dbUrl, clock, random, actor, Optional.empty());
    }

    /**
     * Opens the OEM of {@code oemDir}; {@code hook}, if given, is what a campaign step's
     * instructions are handed to once committed, instead of the {@link FileOutbox} (a dispatcher
     * that sends them at once).
     */
    public static CampaignWorkspace open(Path oemDir, Optional<String> dbUrl, Clock clock, Random random, String actor,
                                         Optional<Outbox> hook) {
        OemPki pki;
        try {
            pki = OemPki.load(oemDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OEM keys in " + oemDir, e);
        }
        OemPolicy policy = OemPolicy.load(oemDir);
        CampaignDatabase db = CampaignDatabase.open(dbUrl.orElseGet(() -> CampaignDatabase.defaultUrl(oemDir)), clock);
        try {
            ReleaseStore releases = new ReleaseStore(db, pki.trustStore(), clock);
            LegacyReleases.importInto(releases, oemDir);
            DatabaseModuleOwners owners = new DatabaseModuleOwners(db);
            owners.importFile(oemDir);
            OemAuditTrail trail = new OemAuditTrail(db, clock);
            Outbox outbox = hook.orElseGet(() -> new FileOutbox(oemDir.resolve(FileOutbox.DIR), releases));
            CampaignService service = CampaignService.builder(db, releases, pki.campaign(), outbox, trail)
                    .clock(clock).random(random).actor(actor)
                    .startCheck(UpdateRecords.startCheck(policy.updateRecordRequired()))
                    .targetCheck(new dev.wasmota.oem.rxswin.Compatibility()).build();
            LegacyOutbox.importInto(service, oemDir);
            return new CampaignWorkspace(pki, db, releases, owners, trail, service, actor, outbox, random, policy);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    public CampaignService campaigns() {
        return service;
    }

    /**
     * The same campaigns (database, outbox hook, clock, randomness) with audit records naming
     * {@code who} as the actor: what a management API request acts as.
     */
    public CampaignService campaignsAs(String who) {
        return CampaignService.builder(db, releases, pki.campaign(), outbox, trail).clock(db.clock()).random(random)
                .actor(who).startCheck(UpdateRecords.startCheck(policy.updateRecordRequired()))
                    .targetCheck(new dev.wasmota.oem.rxswin.Compatibility()).build();
    }

    /** What the OEM requires of update records and SBOMs ({@link OemPolicy#FILE} in its directory). */
    public OemPolicy policy() {
        return policy;
    }

    /** The RXSWIN register, releases' RXSWIN changes and vehicles' reported configurations, stated as {@code who}. */
    public dev.wasmota.oem.rxswin.RxswinRegister rxswin(String who) {
        return new dev.wasmota.oem.rxswin.RxswinRegister(db, trail, db.clock(), who);
    }

    /** What the campaigns' vehicles tell their users, stated as {@code who}, and what they reported of it. */
    public dev.wasmota.oem.record.CampaignNotices notices(String who) {
        return new dev.wasmota.oem.record.CampaignNotices(db, trail, db.clock(), who);
    }

    /** The releases' own update records, stated as {@code who}; campaigns inherit them. */
    public dev.wasmota.oem.record.ReleaseRecords releaseRecords(String who) {
        return new dev.wasmota.oem.record.ReleaseRecords(db, trail, db.clock(), who);
    }

    /** The campaigns' update records, stated as {@code who}. */
    public UpdateRecords records(String who) {
        return new UpdateRecords(db, trail, db.clock(), who);
    }

    public ReleaseStore releases() {
        return releases;
    }

    public VehicleRegistry vehicles() {
        return service.vehicles();
    }

    /** Who owns each module id; the intake reads and writes it. */
    public ModuleOwners owners() {
        return owners;
    }

    /** The OEM's one audit trail. */
    public OemAuditTrail trail() {
        return trail;
    }

    /** The messages on their way to vehicles. */
    public OutboxQueue outbox() {
        return outbox(db.clock());
    }

    /** The messages on their way to vehicles, claimed and leased on {@code leaseClock}. */
    public OutboxQueue outbox(Clock leaseClock) {
        return new OutboxQueue(db, leaseClock);
    }

    /** The serving workers' leases. */
    public WorkerLeases leases() {
        return leases(db.clock());
    }

    /** The serving workers' leases, on {@code leaseClock} (every worker's must agree). */
    public WorkerLeases leases(Clock leaseClock) {
        return new WorkerLeases(db, leaseClock);
    }

    /** The trust updates of this directory and the database, and their distribution to the fleet. */
    public TrustDistribution trust() {
        return new TrustDistribution(pki, db, trail, actor, db.clock());
    }

    public OemPki pki() {
        return pki;
    }

    public CampaignDatabase database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
