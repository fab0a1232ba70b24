package dev.wasmota.oem.campaign;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.audit.OemCheckpoints;
import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseFailure;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The OEM's campaigns: create a rollout of a release to vehicles in waves, start, pause, resume,
 * abort, roll back, and take in the vehicles' status reports. Each step runs in one database
 * transaction that also appends its audit records to the OEM's trail and queues its instructions
 * in the database outbox ({@link OutboxQueue}), so a step, its records and its messages commit
 * together or not at all; once committed, the instructions are handed to the {@link Outbox} hook
 * (files for hand delivery, or a nudge to the dispatcher). Time and randomness (ids, nonces) are
 * injected. Refusals are {@link RejectedException}s with a {@link CampaignFailure}.
 */
public final class CampaignService {
    /** The actor audit records name unless the builder is told otherwise. */
    public static final String DEFAULT_ACTOR = "campaign-service";

    private final CampaignDatabase db;
    private final ReleaseStore releases;
    private final Outbox outbox;
    private final OemAuditTrail trail;
    private final CampaignAudit audit;
    private final Clock clock;
    private final Ids ids;
    private final InstructionIssuer issuer;
    private final WaveEngine engine;
    private final VehicleRegistry vehicles;
    private final Credential campaignKey;
    private final StartCheck startCheck;
    private final TargetCheck targetCheck;
    private final String actor;
    private final ShadowDecisions shadowDecisions;

    /**
     * What must hold before a campaign starts, checked in the start's transaction before anything
     * is issued (e.g. its update record is complete, {@code oem.record.UpdateRecords}); it refuses
     * with a {@link RejectedException}.
     */
    @FunctionalInterface
    public interface StartCheck {
        /** Checks nothing. */
        StartCheck NONE = (c, k) -> { };

        void check(Connection c, Campaign k) throws SQLException;
    }

    /**
     * Which of a starting campaign's vehicles do not fit its release (issue 17: their last signed
     * configuration against the release's RXSWIN change and module requirements, {@code
     * oem.rxswin.Compatibility}), each with its reason. Checked in the start's transaction: those
     * vehicles are left out ({@link Action.Status#EXCLUDED}, one audit record each) and the
     * campaign proceeds without them; a campaign none of whose vehicles fits does not start.
     */
    @FunctionalInterface
    public interface TargetCheck {
        /** Refuses no vehicle. */
        TargetCheck NONE = (c, k, vehicles) -> java.util.Map.of();

        /** The vehicles of {@code vehicles} that do not fit, in their order, each with a one-line reason. */
        java.util.Map<String, String> incompatible(Connection c, Campaign k, List<String> vehicles) throws SQLException;
    }

    private CampaignService(Builder b) {
        this.db = b.db;
        this.releases = b.releases;
        this.outbox = b.outbox;
        this.trail = b.trail;
        this.audit = new CampaignAudit(b.actor);
        this.clock = b.clock;
        this.ids = new Ids(b.random);
        this.issuer = new InstructionIssuer(b.campaignKey, ids, clock);
        this.engine = new WaveEngine(issuer, releases, audit, clock);
        this.vehicles = new VehicleRegistry(db);
        this.campaignKey = b.campaignKey;
        this.startCheck = b.startCheck;
        this.targetCheck = b.targetCheck;
        this.actor = b.actor;
        this.shadowDecisions = new ShadowDecisions(b.campaignKey, ids, clock);
    }

    public static Builder builder(CampaignDatabase db, ReleaseStore releases, Credential campaignKey, Outbox outbox,
                                  OemAuditTrail trail) {
        return new Builder(db, releases, campaignKey, outbox, trail);
    }

    public VehicleRegistry vehicles() {
        return vehicles;
    }

    /** The heads of vehicles' audit logs their signed reports named, each checked against those before. */
    public VehicleAnchors anchors() {
        return new VehicleAnchors(db, trail, clock);
    }

    /**
     * The RXSWIN register, releases' RXSWIN changes and vehicles' last reported configurations
     * (issue 17), where a status report's configuration is taken in.
     */
    public dev.wasmota.oem.rxswin.RxswinRegister rxswin() {
        return new dev.wasmota.oem.rxswin.RxswinRegister(db, trail, clock, DEFAULT_ACTOR);
    }

    /** What campaigns tell vehicles' users and what the vehicles reported of it (issue 17). */
    public dev.wasmota.oem.record.CampaignNotices notices() {
        return new dev.wasmota.oem.record.CampaignNotices(db, trail, clock, DEFAULT_ACTOR);
    }

    /** Creates a campaign (CREATED): its waves planned, one pending action per targeted vehicle. */
    public Campaign create(CampaignSpec spec) {
        return create(spec, RolloutOptions.NONE);
    }

    /** As {@link #create(CampaignSpec)}, each install instruction carrying {@code options} (a shadow run first). */
    public Campaign create(CampaignSpec spec, RolloutOptions requested) {
        spec.validate();
        Release release = releases.get(spec.release());
        RolloutOptions options = withBaseline(requested, release);
        Manifest manifest = releases.verified(release).manifest();
        Instant now = clock.instant();
        Effects fx = new Effects();
        return run(fx, c -> {
            String id = spec.id().orElseGet(() -> freshId(c));
            Campaign created = CampaignPlanner.plan(c, spec, id, release, manifest, now);
            RolloutRows.insert(c, id, options);
            fx.records.add(audit.created(created, ActionRows.of(c, id).size()));
            return created;
        });
    }

    /** Starts a CREATED campaign: issues wave 1's instructions. */
    public Campaign start(String id) {
        Effects fx = new Effects();
        return run(fx, c -> {
            Campaign k = transition(c, id, Campaign.State.RUNNING, Campaign.State.CREATED);
            startCheck.check(c, k);
            CampaignExclusions.exclude(c, k, targetCheck, audit, clock.instant(), fx);
            fx.records.add(audit.started(k));
            engine.startWave(c, k, 1, fx);
            return engine.evaluate(c, reload(c, id), fx);
        });
    }

    /** Pauses a RUNNING campaign: statuses are still counted, but no new wave starts. */
    public Campaign pause(String id) {
        Effects fx = new Effects();
        return run(fx, c -> {
            Campaign k = transition(c, id, Campaign.State.PAUSED);
            CampaignRows.update(c, id, Campaign.State.PAUSED, k.currentWave(), "paused by an operator", clock.instant());
            fx.records.add(audit.paused(k, CampaignAudit.MANUAL, "paused by an operator"));
            return reload(c, id);
        });
    }

    /**
     * Resumes a PAUSED campaign. A current wave that has every answer is taken as passed (an
     * operator's resume overrides a wave that ended below the advance threshold, and what is left
     * of its hold), so the next wave starts, or the campaign completes; the stop threshold still
     * applies. A current wave that reached the advance threshold still runs its hold.
     */
    public Campaign resume(String id) {
        Effects fx = new Effects();
        return run(fx, c -> {
            Campaign k = transition(c, id, Campaign.State.RUNNING, Campaign.State.PAUSED);
            WaveCounts current = WaveEngine.countsByWave(c, id).get(k.currentWave());
            Wave wave = CampaignRows.waves(c, id).get(k.currentWave() - 1);
            String detail = "resumed in wave " + k.currentWave() + "/" + k.waveCount();
            if (wave.state() == Wave.State.RUNNING && current.answered() && !current.successReaches(k.advanceAt())) {
                CampaignRows.updateWave(c, id, wave.index(), Wave.State.PASSED, null);
                detail += "; wave " + wave.index() + " accepted at " + current.successPercent() + "% success, below "
                        + k.advanceAt() + "%";
                if (!wave.heldFor(k.hold(), clock.instant())) {
                    detail += ", before the end of its " + StatusTable.human(k.hold()) + " hold";
                }
            }
            CampaignRows.update(c, id, Campaign.State.RUNNING, k.currentWave(), null, clock.instant());
            fx.records.add(audit.resumed(k, detail));
            return engine.evaluate(c, reload(c, id), fx);
        });
    }

    /** Aborts a campaign that is not finished: nothing more is issued; instructions outstanding expire. */
    public Campaign abort(String id) {
        Effects fx = new Effects();
        return run(fx, c -> {
            Campaign k = transition(c, id, Campaign.State.ABORTED);
            CampaignRows.endOpenWaves(c, id, Wave.State.CANCELLED);
            CampaignRows.update(c, id, Campaign.State.ABORTED, k.currentWave(), "aborted by an operator", clock.instant());
            fx.records.add(audit.aborted(k));
            return reload(c, id);
        });
    }

    /**
     * Rolls a started campaign back: every vehicle that committed its release is instructed to
     * install the previous release ({@link ReleaseStore#previous}); the campaign becomes
     * ROLLED_BACK. A vehicle whose commit is reported later is instructed then.
     */
    public Campaign rollback(String id) {
        Effects fx = new Effects();
        return run(fx, c -> {
            Campaign k = transition(c, id, Campaign.State.ROLLED_BACK);
            Release to = releases.previous(k.release().moduleId(), k.release().version())
                    .orElseThrow(() -> new RejectedException(ReleaseFailure.NO_PREVIOUS_RELEASE, "no release of "
                            + k.release().moduleId() + " below " + k.release() + " to roll campaign " + id + " back to"));
            CampaignRows.endOpenWaves(c, id, Wave.State.CANCELLED);
            CampaignRows.setRollback(c, id, to.id(), to.packageSha256());
            CampaignRows.update(c, id, Campaign.State.ROLLED_BACK, k.currentWave(), "rolled back to " + to.id(),
                    clock.instant());
            int issued = 0;
            for (Action a : ActionRows.of(c, id)) {
                if (a.kind() == Action.Kind.INSTALL && a.status() == Action.Status.COMMITTED) {
                    fx.issued.add(issueRollback(c, k, a, to));
                    issued++;
                }
            }
            fx.records.add(audit.rolledBack(k, to, issued));
            return reload(c, id);
        });
    }

    /**
     * An operator's promote or discard of the campaign's shadow runs (issue 19): one signed
     * command per vehicle whose shadow runs now, queued in the outbox with the step, the decision
     * recorded and audited ({@link ShadowDecisions}). Each vehicle answers in the status of the
     * instruction that started its shadow. A discard also aborts a running or paused campaign.
     * Refused ({@link ShadowDecisionFailure}) for a campaign without shadows, one decided already,
     * or one where no shadow runs now.
     */
    public ShadowDecision decideShadows(String id, dev.wasmota.signing.instruction.ShadowCommand.Action action,
                                        String reason) {
        Effects fx = new Effects();
        ShadowDecision d = run(fx, c -> {
            Campaign k = CampaignRows.lock(c, id);
            int commands = shadowDecisions.decide(c, k, action, reason, actor);
            fx.records.add(ShadowDecisions.audited(k, action, reason, actor, commands));
            if (action == dev.wasmota.signing.instruction.ShadowCommand.Action.DISCARD
                    && (k.state() == Campaign.State.RUNNING || k.state() == Campaign.State.PAUSED)) {
                CampaignRows.endOpenWaves(c, id, Wave.State.CANCELLED);
                CampaignRows.update(c, id, Campaign.State.ABORTED, k.currentWave(), "shadows discarded by an operator",
                        clock.instant());
                fx.records.add(audit.aborted(k));
            }
            return ShadowDecisions.find(c, id).orElseThrow();
        });
        outbox.queued();
        return d;
    }

    /** The operator's decision on the campaign's shadows, with its vehicles' answers so far, if one was made. */
    public Optional<ShadowDecision> shadowDecision(String id) {
        return db.transaction(c -> ShadowDecisions.find(c, id));
    }

    /**
     * Takes in a vehicle's answer to an instruction. The instruction must be one this campaign
     * issued to this vehicle, with its nonce. A repeated answer changes nothing; a late answer
     * replaces a timeout; a rollback may follow a commit; other changes are refused.
     */
    public StatusReceipt reportStatus(String vehicleId, String campaignId, String instructionId, String nonce,
                                      Action.Status result, String detail) {
        return reportStatus(vehicleId, campaignId, instructionId, nonce, result, detail, Optional.empty());
    }

    /**
     * As {@link #reportStatus(String, String, String, String, Action.Status, String)}, keeping the
     * head of the vehicle's own audit log that its signed report carried in the status record
     * ({@link VehicleLogHead#VERIFICATION}): a signed anchor of the vehicle's log, checked against
     * the log later ({@code ota oem log --vehicle V --check FILE}).
     */
    public StatusReceipt reportStatus(String vehicleId, String campaignId, String instructionId, String nonce,
                                      Action.Status result, String detail, Optional<VehicleLogHead> logHead) {
        return reportStatus(vehicleId, campaignId, instructionId, nonce, result, detail, logHead, Optional.empty());
    }

    /**
     * As {@link #reportStatus(String, String, String, String, Action.Status, String, Optional)},
     * keeping the runtime health the vehicle signed into its report (issue 19): a repeated
     * COMMITTED answer with fresh health is not counted again, but its health is kept and the
     * campaign's health gate ({@link HealthGate}) applied.
     */
    public StatusReceipt reportStatus(String vehicleId, String campaignId, String instructionId, String nonce,
                                      Action.Status result, String detail, Optional<VehicleLogHead> logHead,
                                      Optional<dev.wasmota.contract.stats.ModuleHealth> health) {
        if (!result.reportable()) {
            throw new IllegalArgumentException("a vehicle reports COMMITTED, FAILED or ROLLED_BACK, not " + result);
        }
        VehicleReport r = new VehicleReport(vehicleId, campaignId, instructionId, nonce, result, detail, logHead, health,
                Optional.empty());
        Effects fx = new Effects();
        try {
            return run(fx, c -> counted(c, r, fx));
        } catch (RejectedException e) {
            trail.append(refusal(r, e));
            throw e;
        }
    }

    /**
     * Takes in a batch of vehicles' reports in one transaction (group commit: one commit, one
     * checkpoint of the trail, however many reports): each as {@link #reportStatus} takes one,
     * its log anchor first ({@link VehicleAnchors}), each in a savepoint of its own, so a report
     * the campaign refuses is rolled back alone (its anchor kept, as a single report's is), its
     * refusal recorded in the same transaction, and the others still counted. What a counted report
     * states of the vehicle's configuration and of its user notice is kept in its savepoint too (a
     * refused one's is not), so a report costs no transaction of its own. Nothing is durable,
     * so nothing may be acknowledged to a vehicle, before this returns. The outcomes are in the
     * order of {@code reports}.
     */
    public List<VehicleReport.Outcome> reportStatuses(List<VehicleReport> reports) {
        if (reports.isEmpty()) {
            return List.of();
        }
        VehicleAnchors anchors = anchors();
        Effects fx = new Effects();
        return run(fx, c -> {
            // each campaign's row locked once, before any report's savepoint: locked again inside each report's
            // subtransaction, PostgreSQL would build a new lock set on the row for every report of the batch
            for (String id : new java.util.TreeSet<>(reports.stream().map(VehicleReport::campaignId).toList())) {
                CampaignRows.find(c, id, true);
            }
            WaveCounters.Tally counters = new WaveCounters.Tally();
            List<VehicleReport.Outcome> out = new java.util.ArrayList<>(reports.size());
            List<AuditRecord> refusals = new java.util.ArrayList<>();
            for (VehicleReport r : reports) {
                Optional<VehicleAnchors.Taken> taken = r.anchor().isEmpty() ? Optional.empty()
                        : Optional.of(anchor(c, anchors, r.anchor().get()));
                Effects one = new Effects();
                one.counters = counters;
                java.util.Map<WaveCounters.Tally.Key, Integer> before = counters.snapshot();
                java.sql.Savepoint sp = c.setSavepoint();
                try {
                    StatusReceipt receipt = counted(c, r, one);
                    stated(c, r);
                    fx.records.addAll(one.records);
                    fx.issued.addAll(one.issued);
                    out.add(VehicleReport.Outcome.counted(receipt, taken));
                } catch (RejectedException e) {
                    c.rollback(sp);
                    counters.restore(before);
                    refusals.add(refusal(r, e));
                    out.add(VehicleReport.Outcome.refused(e, taken));
                }
            }
            counters.flush(c);
            fx.records.addAll(refusals);
            return out;
        });
    }

    /**
     * What a counted report states of the vehicle's configuration (kept unless a later one is) and
     * of its instruction's user notice, in the report's savepoint: a refused report leaves neither.
     */
    private static void stated(Connection c, VehicleReport r) throws SQLException {
        if (r.configuration().isPresent()) {
            dev.wasmota.oem.rxswin.RxswinRegister.take(c, r.configuration().get());
        }
        if (r.notice().isPresent()) {
            dev.wasmota.oem.record.CampaignNotices.take(c, r.campaignId(), r.notice().get());
        }
    }

    /** The anchor of a report of a batch, in a savepoint: the same report taken by another worker at once is found repeated. */
    private static VehicleAnchors.Taken anchor(Connection c, VehicleAnchors anchors, VehicleAnchors.Report r)
            throws SQLException {
        java.sql.Savepoint sp = c.setSavepoint();
        try {
            return anchors.take(c, r);
        } catch (SQLException e) {
            if (!CampaignDatabase.isDuplicateKey(e)) {
                throw e;
            }
            c.rollback(sp);
            return anchors.take(c, r);
        }
    }

    private AuditRecord refusal(VehicleReport r, RejectedException e) {
        return audit.statusRefused(r.campaignId(), r.vehicleId(), r.instructionId(), e.reason().name(), e.getMessage());
    }

    /** Counts one report inside the caller's transaction; its records and instructions go to {@code fx}. */
    private StatusReceipt counted(Connection c, VehicleReport r, Effects fx) throws SQLException {
        String campaignId = r.campaignId();
        String vehicleId = r.vehicleId();
        String instructionId = r.instructionId();
        Action.Status result = r.result();
        Campaign k = CampaignRows.lock(c, campaignId);
        Action a = ActionRows.byInstruction(c, instructionId).filter(x -> x.campaignId().equals(campaignId))
                .orElseThrow(() -> new RejectedException(CampaignFailure.UNKNOWN_INSTRUCTION,
                        "campaign " + campaignId + " issued no instruction " + instructionId));
        checkSender(a, vehicleId, r.nonce());
        if (r.health().isPresent() && a.kind() == Action.Kind.INSTALL) {
            RolloutRows.health(c, campaignId, vehicleId, r.health().get(), clock.instant());
        }
        if (a.status() == result && !a.cause().filter(Action.EXPIRED::equals).isPresent()) {
            Campaign after = r.health().isPresent() && a.kind() == Action.Kind.INSTALL ? engine.evaluate(c, k, fx) : k;
            return new StatusReceipt(a, true, after.state());
        }
        if (!a.acceptsReport(result)) {
            throw new RejectedException(CampaignFailure.STATUS_CONFLICT, "vehicle " + vehicleId + " already reported "
                    + a.status() + " for instruction " + instructionId + "; " + result + " cannot follow it");
        }
        ActionRows.setStatus(c, a, result, Action.REPORTED, r.detail(), clock.instant(), fx.counters);
        fx.records.add(audit.status(k, a, result, r.detail(), r.logHead()));
        Campaign after = followUp(c, k, a, result, fx);
        Action updated = ActionRows.find(c, campaignId, vehicleId, a.kind()).orElseThrow();
        return new StatusReceipt(updated, false, after.state());
    }

    /**
     * Counts every instruction past its expiry without an answer as failed, and applies the wave
     * rules to those campaigns and to every running campaign whose current wave's hold has ended
     * (so it advances without waiting for another report); returns how many instructions expired.
     */
    public int tick() {
        Instant now = clock.instant();
        Set<String> due = db.transaction(c -> {
            Set<String> ids = new LinkedHashSet<>(ActionRows.campaignsWithExpired(c, now));
            ids.addAll(CampaignRows.runningWithHoldElapsed(c, now));
            return ids;
        });
        int expired = 0;
        for (String id : due) {
            Effects fx = new Effects();
            expired += run(fx, c -> {
                Campaign k = CampaignRows.lock(c, id);
                int n = 0;
                for (Action a : ActionRows.of(c, id)) {
                    if (a.status() == Action.Status.INSTRUCTED && a.issued().orElseThrow().expiresAt().isBefore(now)) {
                        ActionRows.setStatus(c, a, Action.Status.FAILED, Action.EXPIRED, null, now);
                        fx.records.add(audit.expired(k, a));
                        n++;
                    }
                }
                engine.evaluate(c, k, fx);
                return n;
            });
        }
        return expired;
    }

    public Optional<Campaign> find(String id) {
        return db.transaction(c -> CampaignRows.find(c, id, false));
    }

    /** The campaign; refused ({@link CampaignFailure#UNKNOWN_CAMPAIGN}) if there is none. */
    public Campaign get(String id) {
        return find(id).orElseThrow(() -> CampaignRows.unknown(id));
    }

    /** Every campaign, oldest first. */
    public List<Campaign> list() {
        return db.transaction(CampaignRows::all);
    }

    /** The campaign with its waves' counts. */
    public CampaignStatus status(String id) {
        return CampaignView.status(db, id);
    }

    /**
     * The same status counted in the database ({@link CampaignView#statusCounted}): no action row
     * leaves it, so polling a campaign of 100,000 vehicles does not hold the database for long.
     */
    public CampaignStatus statusCounted(String id) {
        return CampaignView.statusCounted(db, id);
    }

    /** Every action of the campaign: installs by wave and position, then rollbacks. */
    /**
     * The options with the health gate's baseline taken from the release's intake report (its worst
     * call time) when the gate does not give one; refused when there is none to take.
     */
    private RolloutOptions withBaseline(RolloutOptions o, Release release) {
        if (o.health().isEmpty() || o.health().get().baselineWorstMicros() > 0) {
            return o;
        }
        long worst = releases.report(release).flatMap(CampaignService::worstMicros).orElseThrow(() ->
                new RejectedException(CampaignFailure.INVALID_CAMPAIGN, "release " + release.id() + " has no intake"
                        + " timing to gate its runtime health against; give the baseline"));
        return o.withHealth(o.health().get().withBaseline(Math.max(1, worst)));
    }

    private static Optional<Long> worstMicros(byte[] report) {
        try {
            com.fasterxml.jackson.databind.JsonNode t = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report)
                    .path("timing").path("worstUs");
            return t.isNumber() ? Optional.of((long) Math.ceil(t.doubleValue())) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    public RolloutOptions rolloutOptions(String id) {
        return db.transaction(c -> RolloutRows.find(c, id));
    }

    public List<Action> actions(String id) {
        return db.transaction(c -> ActionRows.of(c, id));
    }

    /**
     * Queues in the database outbox every unanswered instruction (see {@link #unanswered}) it does
     * not hold: what an OEM directory of an earlier version, whose outbox was files, still owed its
     * vehicles when it was upgraded. A vehicle takes one it had received already as a no-op.
     * Returns how many were queued.
     */
    public int queueUnanswered() {
        Instant now = clock.instant();
        return db.transaction(c -> {
            int n = 0;
            for (IssuedInstruction i : UnansweredInstructions.of(c, releases, now)) {
                n += OutboxQueue.addIfAbsent(c, i, now) ? 1 : 0;
            }
            return n;
        });
    }

    /** The signed instruction file issued under {@code instructionId}, for a redelivery. */
    public Optional<byte[]> instructionFile(String instructionId) {
        return db.transaction(c -> ActionRows.instructionFile(c, instructionId));
    }

    /**
     * Every instruction issued, not answered and still valid now, as it was issued: what a
     * restarted OEM checks against its outbox (see {@link UnansweredInstructions}).
     */
    public List<IssuedInstruction> unanswered() {
        return db.transaction(c -> UnansweredInstructions.of(c, releases, clock.instant()));
    }

    private Campaign followUp(Connection c, Campaign k, Action a, Action.Status result, Effects fx) throws SQLException {
        if (a.kind() != Action.Kind.INSTALL) {
            return k;
        }
        if (k.state() == Campaign.State.ROLLED_BACK && result == Action.Status.COMMITTED
                && ActionRows.find(c, k.id(), a.vehicleId(), Action.Kind.ROLLBACK).isEmpty()) {
            Release to = releases.get(k.rollbackTo().orElseThrow());
            fx.issued.add(issueRollback(c, k, a, to));
            return k;
        }
        return engine.evaluate(c, k, fx);
    }

    private IssuedInstruction issueRollback(Connection c, Campaign k, Action install, Release to) throws SQLException {
        ActionRows.insert(c, k.id(), install.vehicleId(), Action.Kind.ROLLBACK, 0, 0, clock.instant());
        Action rollback = ActionRows.find(c, k.id(), install.vehicleId(), Action.Kind.ROLLBACK).orElseThrow();
        return issuer.issue(c, k, rollback, to);
    }

    private static void checkSender(Action a, String vehicleId, String nonce) {
        if (!a.vehicleId().equals(vehicleId)) {
            throw new RejectedException(CampaignFailure.STATUS_MISMATCH, "instruction " + a.issued().orElseThrow()
                    .instructionId() + " is for vehicle " + a.vehicleId() + ", not " + vehicleId);
        }
        String expected = a.issued().orElseThrow().nonce();
        if (nonce == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                nonce.getBytes(StandardCharsets.US_ASCII))) {
            throw new RejectedException(CampaignFailure.WRONG_NONCE, "the status for instruction "
                    + a.issued().orElseThrow().instructionId() + " does not carry the instruction's nonce");
        }
    }

    private Campaign transition(Connection c, String id, Campaign.State next) throws SQLException {
        return transition(c, id, next, null);
    }

    /** Locks the campaign and checks it may become {@code next}; from {@code required} only, if given. */
    private Campaign transition(Connection c, String id, Campaign.State next, Campaign.State required) throws SQLException {
        Campaign k = CampaignRows.lock(c, id);
        if (required != null && k.state() != required) {
            throw new RejectedException(CampaignFailure.ILLEGAL_TRANSITION,
                    "campaign " + id + " is " + k.state() + "; only a " + required + " campaign can become " + next);
        }
        if (!k.state().canBecome(next)) {
            throw new RejectedException(CampaignFailure.ILLEGAL_TRANSITION,
                    "campaign " + id + " is " + k.state() + "; it cannot become " + next);
        }
        return k;
    }

    private String freshId(Connection c) {
        try {
            String id = ids.campaignId();
            while (CampaignRows.find(c, id, false).isPresent()) {
                id = ids.campaignId();
            }
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("campaign database: " + e.getMessage(), e);
        }
    }

    private static Campaign reload(Connection c, String id) throws SQLException {
        return CampaignRows.find(c, id, false).orElseThrow();
    }

    /**
     * Runs {@code work} in a transaction that also appends its audit records (last, so the trail's
     * head is locked only at the end), signs a checkpoint over the trail's new head with the
     * campaign key ({@link OemCheckpoints}) and queues its instructions; the step, its records and
     * its checkpoint commit together or not at all. Once committed, hands the instructions to the
     * outbox hook.
     */
    private <T> T run(Effects fx, CampaignDatabase.Work<T> work) {
        T result = db.transaction(c -> {
            fx.clear();
            T r = work.run(c);
            Instant now = clock.instant();
            for (IssuedInstruction i : fx.issued) {
                OutboxQueue.add(c, i, now);
            }
            if (fx.issued.size() >= CampaignDatabase.ANALYZE_AFTER_ROWS) {
                // a wave of thousands: the outbox's claims and the actions' updates are planned on fresh statistics
                CampaignDatabase.analyze(c, "outbox_message");
                CampaignDatabase.analyze(c, "campaign_action");
            }
            AuditRecord head = trail.appendAll(c, fx.records);
            if (head != null) {
                OemCheckpoints.sign(c, head, campaignKey, now);
            }
            return r;
        });
        fx.issued.forEach(outbox::deliver);
        return result;
    }

    /** Builds a {@link CampaignService}; clock defaults to UTC, randomness to {@link SecureRandom}, actor to {@value #DEFAULT_ACTOR}. */
    public static final class Builder {
        private final CampaignDatabase db;
        private final ReleaseStore releases;
        private final Credential campaignKey;
        private final Outbox outbox;
        private final OemAuditTrail trail;
        private Clock clock = Clock.systemUTC();
        private Random random = new SecureRandom();
        private String actor = DEFAULT_ACTOR;
        private StartCheck startCheck = StartCheck.NONE;
        private TargetCheck targetCheck = TargetCheck.NONE;

        private Builder(CampaignDatabase db, ReleaseStore releases, Credential campaignKey, Outbox outbox,
                        OemAuditTrail trail) {
            this.db = Objects.requireNonNull(db, "db");
            this.releases = Objects.requireNonNull(releases, "releases");
            this.campaignKey = Objects.requireNonNull(campaignKey, "campaignKey");
            this.outbox = Objects.requireNonNull(outbox, "outbox");
            this.trail = Objects.requireNonNull(trail, "trail");
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Randomness for ids and nonces: a {@link SecureRandom} in use, a seeded one in tests. */
        public Builder random(Random value) {
            random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** Who the audit records name as the actor, e.g. {@code cli} or an operator id. */
        public Builder actor(String value) {
            actor = Objects.requireNonNull(value, "actor");
            return this;
        }

        /** What must hold before a campaign starts (default: nothing beyond its state). */
        public Builder startCheck(StartCheck value) {
            startCheck = Objects.requireNonNull(value, "startCheck");
            return this;
        }

        /** Which vehicles a starting campaign leaves out (default: none). */
        public Builder targetCheck(TargetCheck value) {
            targetCheck = Objects.requireNonNull(value, "targetCheck");
            return this;
        }

        public CampaignService build() {
            return new CampaignService(this);
        }
    }
}
