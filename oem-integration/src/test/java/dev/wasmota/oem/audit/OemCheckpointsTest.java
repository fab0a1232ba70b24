package dev.wasmota.oem.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.campaign.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OEM's trail is anchored by a checkpoint the campaign key signs at each campaign step, in the
 * step's transaction: a rewrite with a recomputed chain (which the chain alone calls intact) is
 * found, and a step whose records or checkpoint cannot be written does not commit at all.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class OemCheckpointsTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    private static Campaign started(CampaignKit kit) {
        List<String> vehicles = kit.vehicles(3);
        Campaign c = kit.service.create(kit.spec(kit.v2, vehicles, "100%").build());
        return kit.service.start(c.id());
    }

    private static OemCheckpoints.Result check(CampaignKit kit) {
        return OemCheckpoints.verify(kit.db, kit.audit, kit.oem.campaign().cert());
    }

    /** Replaces the trail from {@code from} on with records {@code edit} re-sealed, chain and head recomputed. */
    private static void rewrite(CampaignKit kit, long from) {
        List<AuditRecord> records = kit.audit.records();
        kit.db.transaction(c -> {
            String prev = from == 1 ? AuditLog.GENESIS_HASH : records.get((int) from - 2).hash();
            AuditRecord last = null;
            for (AuditRecord r : records.subList((int) from - 1, records.size())) {
                AuditRecord content = AuditRecord.builder(r.event()).actor(r.actor()).campaignId(r.campaignId())
                        .outcome(r.outcome()).cause(r.cause()).detail(r.seq() == from ? "nothing to see" : r.detail()).build();
                last = AuditChain.seal(content, r.seq(), r.time(), prev);
                prev = last.hash();
                try (PreparedStatement p = c.prepareStatement("UPDATE audit_record SET line = ? WHERE seq = ?")) {
                    p.setString(1, new String(AuditChain.encode(last), StandardCharsets.UTF_8));
                    p.setLong(2, r.seq());
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE audit_head SET hash = ? WHERE id = 1")) {
                p.setString(1, last.hash());
                p.executeUpdate();
            }
            return null;
        });
    }

    @Test
    void eachCampaignStepSignsTheTrailsHead() {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            started(kit);
            List<OemCheckpoints.Checkpoint> cps = OemCheckpoints.all(kit.db);
            assertEquals(2, cps.size(), "create and start");
            assertEquals(kit.audit.size(), cps.get(1).seq());
            OemCheckpoints.Result r = check(kit);
            assertTrue(r.ok(), r.summary());
            assertEquals(kit.audit.size(), r.newest());
        }
    }

    @Test
    void aTrailRewrittenWithItsChainRecomputedIsFoundByItsCheckpoint() {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            started(kit);
            long created = OemCheckpoints.all(kit.db).get(0).seq();
            rewrite(kit, created);
            assertTrue(kit.audit.verify().ok(), "the chain alone calls the rewritten trail intact");

            OemCheckpoints.Result r = check(kit);
            assertFalse(r.ok());
            assertEquals(created, r.broken().orElseThrow().seq());
            assertEquals(VerifyResult.Problem.CHAIN_MISMATCH, r.broken().get().problem());
            VerifyResult all = OemCheckpoints.verifyAll(kit.db, kit.audit, kit.oem.campaign().cert());
            assertFalse(all.ok());
            assertTrue(all.summary().contains("signed"), all.summary());
        }
    }

    @Test
    void aCutTrailOrAForgedCheckpointIsFound() throws SQLException {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            started(kit);
            long newest = kit.audit.size();
            kit.db.transaction(c -> {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM audit_record WHERE seq = ?")) {
                    p.setLong(1, newest);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
                    p.setLong(1, newest - 1);
                    p.setString(2, kit.audit.records().get((int) newest - 2).hash());
                    p.executeUpdate();
                }
                return null;
            });
            assertTrue(kit.audit.verify().ok(), "the last record cut and the head moved back: the chain alone is intact");
            assertEquals(VerifyResult.Problem.DELETED, check(kit).broken().orElseThrow().problem());

            kit.db.transaction(c -> {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM audit_checkpoint WHERE seq = ?")) {
                    p.setLong(1, newest);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE audit_checkpoint SET hash = ?")) {
                    p.setString(1, "e".repeat(64));
                    p.executeUpdate();
                }
                return null;
            });
            OemCheckpoints.Result forged = check(kit);
            assertEquals(VerifyResult.Problem.EDITED, forged.broken().orElseThrow().problem());
            assertTrue(forged.summary().contains("signature does not verify"), forged.summary());
        }
    }

    @Test
    void aStepWhoseRecordsOrCheckpointCannotBeWrittenDoesNotCommit() {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            List<String> vehicles = kit.vehicles(3);
            Campaign c = kit.service.create(kit.spec(kit.v2, vehicles, "100%").build());
            long before = kit.audit.size();
            int checkpoints = OemCheckpoints.all(kit.db).size();
            // a failure after the step's rows, instructions and records were written, before its commit
            kit.db.transaction(x -> {
                for (long seq = before + 1; seq <= before + 20; seq++) {
                    try (PreparedStatement p = x.prepareStatement("INSERT INTO audit_checkpoint (seq, hash, signed_at, signer,"
                            + " signature) VALUES (?, ?, ?, ?, ?)")) {
                        p.setLong(1, seq);
                        p.setString(2, "0".repeat(64));
                        p.setObject(3, CampaignDatabase.time(kit.clock.instant()));
                        p.setString(4, "0".repeat(64));
                        p.setString(5, "x");
                        p.executeUpdate();
                    }
                }
                return null;
            });
            assertThrows(RuntimeException.class, () -> kit.service.start(c.id()));

            assertEquals(Campaign.State.CREATED, kit.service.get(c.id()).state(), "the step did not commit");
            assertEquals(before, kit.audit.size(), "nor did its records");
            assertTrue(kit.queue().in(OutboxQueue.State.WAITING).isEmpty(), "nor its instructions");
            assertTrue(kit.outbox.all().isEmpty(), "nothing handed to delivery");
            assertTrue(kit.audit.verify().ok());
            assertEquals(checkpoints + 20, OemCheckpoints.all(kit.db).size());
        }
    }
}
