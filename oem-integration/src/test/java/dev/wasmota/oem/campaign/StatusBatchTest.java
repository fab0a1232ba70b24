package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.audit.OemCheckpoints;
import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.record.CampaignNotices;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.signing.instruction.Instruction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch of status reports is taken in by one transaction (one commit, one checkpoint), each
 * report checked as a single one is; a report the campaign refuses is refused alone, with its
 * refusal in the trail, and the others of its batch are counted. What a report states of the
 * vehicle's configuration and of its user notice is kept in the same transaction (one commit for
 * the batch), in the report's savepoint: a refused report's is not kept.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class StatusBatchTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    Campaign campaign;
    List<String> vehicles;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(5);
        campaign = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(80).build()).id());
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private VehicleReport report(String vehicle, Action.Status result, String nonce, long seq) {
        Instruction i = kit.outbox.lastTo(vehicle).instruction();
        String head = String.format("%064x", seq);
        return new VehicleReport(vehicle, i.campaignId(), i.instructionId(), nonce, result, "batch",
                Optional.of(new VehicleLogHead(vehicle, seq, head)), Optional.empty(),
                Optional.of(new VehicleAnchors.Report(vehicle, i.campaignId(), i.instructionId(), seq, head, 0, "",
                        kit.clock.instant())));
    }

    private VehicleReport report(String vehicle, Action.Status result) {
        return report(vehicle, result, kit.outbox.lastTo(vehicle).instruction().nonce(), 3);
    }

    @Test
    void oneBadReportIsRefusedAloneAndTheRestOfItsBatchIsCounted() {
        int checkpoints = OemCheckpoints.all(kit.db).size();
        String wrongNonce = "00" + kit.outbox.lastTo(vehicles.get(1)).instruction().nonce().substring(2);
        List<VehicleReport> batch = new ArrayList<>(List.of(
                report(vehicles.get(0), COMMITTED),
                report(vehicles.get(1), COMMITTED, wrongNonce, 3),
                report(vehicles.get(2), FAILED),
                report(vehicles.get(3), COMMITTED)));

        List<VehicleReport.Outcome> out = kit.service.reportStatuses(batch);

        assertEquals(4, out.size());
        assertTrue(out.get(0).receipt().isPresent());
        assertEquals(CampaignFailure.WRONG_NONCE, out.get(1).refused().orElseThrow().reason());
        assertTrue(out.get(1).receipt().isEmpty());
        assertEquals(VehicleAnchors.Verdict.CONSISTENT, out.get(1).anchor().orElseThrow().verdict());
        assertTrue(out.get(2).receipt().isPresent());
        assertTrue(out.get(3).receipt().isPresent());
        CampaignStatus s = kit.service.status(campaign.id());
        assertEquals(2, s.total().committed());
        assertEquals(1, s.total().failed());
        assertEquals(2, s.total().awaiting());
        java.util.Map<Integer, WaveCounts> recount = kit.db.transaction(c -> WaveCounters.recount(c, campaign.id()));
        java.util.Map<Integer, WaveCounts> counters = kit.db.transaction(c -> WaveCounters.read(c, campaign.id()));
        assertEquals(recount, counters);
        assertEquals(checkpoints + 1, OemCheckpoints.all(kit.db).size(), "one checkpoint for the whole batch");
        List<AuditRecord> records = kit.auditRecords();
        AuditRecord refusal = records.get(records.size() - 1);
        assertEquals(AuditRecord.Outcome.REFUSED, refusal.outcome());
        assertEquals("WRONG_NONCE", refusal.cause());
        assertEquals(batch.get(1).instructionId(), refusal.instructionId());
        assertEquals(3, records.stream().filter(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED && r.outcome() != AuditRecord.Outcome.REFUSED).count());
        assertEquals(4, kit.service.anchors().anchors(vehicles.get(0)).size() + kit.service.anchors()
                .anchors(vehicles.get(1)).size() + kit.service.anchors().anchors(vehicles.get(2)).size()
                + kit.service.anchors().anchors(vehicles.get(3)).size(), "every report's anchor kept, the refused one's too");
    }

    @Test
    void aBatchAdvancesTheCampaignAsTheSameReportsOneByOneWould() {
        List<VehicleReport> batch = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            batch.add(report(vehicles.get(v), COMMITTED));
        }
        batch.add(report(vehicles.get(0), COMMITTED)); // the same report twice in one batch: counted once

        List<VehicleReport.Outcome> out = kit.service.reportStatuses(batch);

        assertFalse(out.get(3).receipt().orElseThrow().duplicate());
        assertTrue(out.get(4).receipt().orElseThrow().duplicate());
        assertEquals(VehicleAnchors.Verdict.REPEATED, out.get(4).anchor().orElseThrow().verdict());
        assertEquals(Campaign.State.COMPLETED, out.get(3).receipt().orElseThrow().campaignState(),
                "4 of 5 reach the 80% advance threshold of the last wave");
        assertEquals(Campaign.State.COMPLETED, kit.service.get(campaign.id()).state());
        assertEquals(4, kit.service.status(campaign.id()).total().committed());
    }

    /** {@code r} stating that its vehicle runs {@code rxswin} (reported at {@code at}) and showed the notice. */
    private VehicleReport stating(VehicleReport r, String rxswin, Instant at) {
        TreeMap<String, ReportedConfiguration.Module> modules = new TreeMap<>();
        modules.put("healthy", new ReportedConfiguration.Module("2.0.0", kit.v2.packageSha256()));
        return new VehicleReport(r.vehicleId(), r.campaignId(), r.instructionId(), r.nonce(), r.result(), r.detail(),
                r.logHead(), r.health(), r.anchor(),
                Optional.of(new ReportedConfiguration(r.vehicleId(), Optional.of(rxswin), modules, r.instructionId(), at)),
                Optional.of(new CampaignNotices.Reported(r.vehicleId(), r.instructionId(), at.minusSeconds(30),
                        "told " + rxswin, at)));
    }

    private Optional<String> rxswin(String vehicle) {
        return kit.service.rxswin().configuration(vehicle).flatMap(ReportedConfiguration::rxswin);
    }

    @Test
    void aBatchKeepsWhatItsCountedReportsStateInItsOneCommitAndNothingOfARefusedOne() {
        Instant now = kit.clock.instant();
        String replayed = vehicles.get(1);
        String conflicting = vehicles.get(2);
        String newer = vehicles.get(3);
        kit.service.reportStatuses(List.of(report(conflicting, COMMITTED)));
        kit.service.rxswin().take(stating(report(newer, COMMITTED), "R-LATER", now.plusSeconds(60)).configuration().get());
        String wrongNonce = "00" + kit.outbox.lastTo(replayed).instruction().nonce().substring(2);
        List<VehicleReport> batch = List.of(
                stating(report(vehicles.get(0), COMMITTED), "R-A2", now),
                stating(report(replayed, COMMITTED, wrongNonce, 3), "R-REPLAYED", now),
                stating(report(conflicting, FAILED, kit.outbox.lastTo(conflicting).instruction().nonce(), 4), "R-CONFLICT", now),
                stating(report(newer, COMMITTED), "R-OLDER", now));
        long commits = kit.db.commits();

        List<VehicleReport.Outcome> out = kit.service.reportStatuses(batch);

        assertEquals(commits + 1, kit.db.commits(), "the batch, its configurations and notices: one commit");
        assertEquals(CampaignFailure.WRONG_NONCE, out.get(1).refused().orElseThrow().reason());
        assertEquals(CampaignFailure.STATUS_CONFLICT, out.get(2).refused().orElseThrow().reason());
        assertTrue(out.get(0).receipt().isPresent());
        assertTrue(out.get(3).receipt().isPresent());
        assertEquals(Optional.of("R-A2"), rxswin(vehicles.get(0)));
        assertEquals(Optional.empty(), rxswin(replayed), "a refused report's configuration is not kept");
        assertEquals(Optional.empty(), rxswin(conflicting), "a refused report's configuration is not kept");
        assertEquals(Optional.of("R-LATER"), rxswin(newer), "the newest report's configuration wins");
        Map<String, List<CampaignNotices.Reported>> shown = kit.service.notices().reported(campaign.id());
        assertEquals(List.of(vehicles.get(0), newer), List.copyOf(shown.keySet()), "no notice of a refused report");
        assertEquals("told R-A2", shown.get(vehicles.get(0)).get(0).outcome());
        assertEquals(3, kit.service.status(campaign.id()).total().committed());
    }
}
