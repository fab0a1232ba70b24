package dev.wasmota.oem.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.audit.VehicleAnchors.Report;
import dev.wasmota.oem.audit.VehicleAnchors.Verdict;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Each new head a vehicle reports is checked against the anchors the OEM holds; a contradiction is a named security event. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class VehicleAnchorsTest {
    static final Instant T = Instant.parse("2026-06-01T10:00:00Z");
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final String C = "c".repeat(64);

    @Parameter
    TestDatabase database;

    private final MutableClock clock = new MutableClock(T);
    private CampaignDatabase db;
    private OemAuditTrail trail;
    private VehicleAnchors anchors;

    private String url;

    @BeforeEach
    void open() {
        url = database.freshUrl();
        db = CampaignDatabase.open(url, clock);
        trail = new OemAuditTrail(db, clock);
        anchors = new VehicleAnchors(db, trail, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Report report(String instruction, long seq, String hash, long prevSeq, String prevHash, int minute) {
        return new Report("veh-1", "c1", instruction, seq, hash, prevSeq, prevHash, T.plusSeconds(60L * minute));
    }

    private List<AuditRecord> securityEvents() {
        return trail.records(AuditEvent.SECURITY_EVENT);
    }

    @Test
    void reportsThatContinueTheChainAreConsistentAndKept() {
        assertEquals(Verdict.CONSISTENT, anchors.take(report("i1", 12, A, 0, "", 1)).verdict());
        assertEquals(Verdict.CONSISTENT, anchors.take(report("i2", 37, B, 12, A, 2)).verdict());
        assertEquals(Verdict.REPEATED, anchors.take(report("i2", 37, B, 12, A, 2)).verdict(), "a resend");
        assertEquals(List.of(12L, 37L), anchors.anchors("veh-1").stream().map(VehicleAnchors.Anchor::seq).toList());
        assertTrue(securityEvents().isEmpty());
    }

    @Test
    void aLaterReportWithALowerSeqIsASecurityEventNamed() {
        anchors.take(report("i1", 37, A, 0, "", 1));
        VehicleAnchors.Taken t = anchors.take(report("i2", 5, B, 0, "", 2));
        assertEquals(Verdict.AUDIT_SEQ_WENT_BACK, t.verdict());
        AuditRecord event = t.securityEvent().orElseThrow();
        assertEquals("AUDIT_SEQ_WENT_BACK", event.cause());
        assertTrue(event.detail().contains("seq 5") && event.detail().contains("seq 37"), event.detail());
        assertEquals(List.of(event), securityEvents());
        assertEquals(Verdict.CONSISTENT, anchors.take(report("i3", 40, C, 0, "", 3)).verdict(),
                "checked against the consistent anchors: 37, not the 5 cut back to");
    }

    @Test
    void anOlderReportArrivingLateIsNoContradiction() {
        anchors.take(report("i2", 37, A, 0, "", 5));
        assertEquals(Verdict.CONSISTENT, anchors.take(report("i1", 12, B, 0, "", 1)).verdict());
        assertTrue(securityEvents().isEmpty());
    }

    @Test
    void anotherHashAtAnAnchoredSeqIsASecurityEvent() {
        anchors.take(report("i1", 37, A, 0, "", 1));
        assertEquals(Verdict.AUDIT_HEAD_FORKED, anchors.take(report("i2", 37, B, 0, "", 2)).verdict());
        assertEquals("AUDIT_HEAD_FORKED", securityEvents().get(0).cause());
    }

    @Test
    void aLogRewrittenAndGrownPastItsAnchorShowsInTheContinuationProof() {
        anchors.take(report("i1", 37, A, 0, "", 1));
        VehicleAnchors.Taken t = anchors.take(report("i2", 40, B, 37, C, 2));
        assertEquals(Verdict.AUDIT_CHAIN_REWRITTEN, t.verdict());
        assertTrue(t.detail().contains("seq 37"), t.detail());
    }

    @Test
    void aProofFromBehindTheLastAnchorIsASecurityEventOnceTheVehicleProves() {
        anchors.take(report("i1", 12, A, 0, "", 1));
        anchors.take(report("i2", 37, B, 12, A, 2));
        assertEquals(Verdict.AUDIT_PROOF_BEHIND_ANCHOR, anchors.take(report("i3", 40, C, 0, "", 3)).verdict());
    }

    @Test
    void aVehicleThatNeverProvesIsOnlyCheckedBySeqAndHead() {
        anchors.take(report("i1", 12, A, 0, "", 1));
        assertEquals(Verdict.CONSISTENT, anchors.take(report("i2", 37, B, 0, "", 2)).verdict());
    }

    @Test
    void theSameReportTakenByTwoWorkersAtOnceIsKeptOnce() throws Exception {
        CampaignDatabase second = CampaignDatabase.open(url, clock);
        try {
            VehicleAnchors other = new VehicleAnchors(second, new OemAuditTrail(second, clock), clock);
            Report r = report("i1", 12, A, 0, "", 1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = pool.submit(() -> anchors.take(r).verdict());
                var b = pool.submit(() -> other.take(r).verdict());
                assertEquals(java.util.Set.of(Verdict.CONSISTENT, Verdict.REPEATED), java.util.Set.of(a.get(), b.get()));
            } finally {
                pool.shutdown();
            }
            assertEquals(1, anchors.anchors("veh-1").size());
        } finally {
            second.close();
        }
    }
}
