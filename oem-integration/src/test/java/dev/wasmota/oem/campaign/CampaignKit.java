package dev.wasmota.oem.campaign;

import dev.wasmota.oem.pki.OemPki;

import dev.wasmota.testkit.MutableClock;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An OEM with healthy 1.0.0 (security version 1) and 2.0.0 (security version 2) published, a
 * campaign service on a hand-moved clock, seeded randomness, a new database of the kind given (an
 * in-memory H2 one by default, or the URL given), the OEM's audit trail in it and a recording
 * outbox hook.
 */
public final class CampaignKit implements AutoCloseable {
    public final Fixtures fx;
    /** The fixture OEM's keys as {@code ota oem init} keeps them: what the OEM's services take. */
    public final OemPki oem;
    public final Path oemDir;
    public final MutableClock clock = new MutableClock(Fixtures.T0);
    public ReleaseStore releases;
    public final RecordingOutbox outbox = new RecordingOutbox();
    public final String url;
    public final Release v1;
    public final Release v2;
    public CampaignDatabase db;
    public OemAuditTrail audit;
    public CampaignService service;

    public CampaignKit(Path dir) {
        this(dir, TestDatabase.H2);
    }

    public CampaignKit(Path dir, TestDatabase database) {
        this(dir, database.freshUrl());
    }

    public CampaignKit(Path dir, String url) {
        this.fx = new Fixtures(dir);
        try {
            this.oem = OemPki.load(fx.oemDir(), fx.clock, Fixtures.seeded(7));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.oemDir = dir.resolve("oem");
        this.url = url;
        open();
        this.v1 = releases.publish(PackageFile.toBytes(fx.released()));
        this.v2 = releases.publish(PackageFile.toBytes(healthy(fx, "2.0.0", 2, "healthy_v2.wasm")));
    }

    /** A healthy package, supplier-signed by acme and countersigned. */
    public static ModulePackage healthy(Fixtures fx, String version, long securityVersion, String wasm) {
        return fx.countersigned(fx.supplierSigned(Packager.build(Fixtures.wasm(wasm),
                Fixtures.spec("healthy", version, securityVersion, Fixtures.HEALTHY_CAPS)), fx.acme));
    }

    /** Opens the database, the release store, the audit trail and the service (again, after {@link #close}). */
    public void open() {
        db = CampaignDatabase.open(url, clock);
        releases = new ReleaseStore(db, fx.oem.trustStore(), clock);
        audit = new OemAuditTrail(db, clock);
        service = CampaignService.builder(db, releases, fx.oem.campaign(), outbox, audit).clock(clock)
                .random(new Random(42)).actor("test").build();
    }

    /** The database outbox the service queues its instructions in. */
    public OutboxQueue queue() {
        return new OutboxQueue(db, clock);
    }

    /** Registers vehicles {@code veh-1 .. veh-n} with hardware {@code ecu-a}; returns their ids. */
    public List<String> vehicles(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(service.vehicles().register("veh-" + i, "ecu-a").id());
        }
        return ids;
    }

    public CampaignSpec.Builder spec(Release release, List<String> vehicles, String waves) {
        return CampaignSpec.builder(release.id(), Targets.vehicles(vehicles), WavePlan.parse(waves));
    }

    /** Answers an instruction the way its vehicle would. */
    public StatusReceipt answer(IssuedInstruction i, Action.Status result) {
        return service.reportStatus(i.instruction().vehicleId(), i.instruction().campaignId(),
                i.instruction().instructionId(), i.instruction().nonce(), result, "test");
    }

    /** Answers each of {@code instructions} with {@code result}. */
    public void answerAll(List<IssuedInstruction> instructions, Action.Status result) {
        instructions.forEach(i -> answer(i, result));
    }

    public List<AuditRecord> auditRecords() {
        return audit.records();
    }

    @Override
    public void close() {
        db.close();
    }
}
