package dev.wasmota.oem.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditFailure;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A vehicle's audit log against the log heads its signed status reports named: found when the log
 * still holds them; refused when it was rewritten, cut, or does not verify.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class VehicleLogCheckTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));

    /** A vehicle log of {@code n} records whose details start with {@code prefix}; returns the records as written. */
    private List<AuditRecord> log(Path file, int n, String prefix) {
        List<AuditRecord> written = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file, clock)) {
            for (int i = 1; i <= n; i++) {
                written.add(log.append(AuditRecord.builder(AuditEvent.INSTALL_COMMITTED).actor("ecu-host").moduleId("healthy")
                        .detail(prefix + " " + i).build()));
            }
        }
        return written;
    }

    private static VehicleLogCheck.Anchor anchor(AuditRecord r) {
        return new VehicleLogCheck.Anchor(7, Instant.parse("2026-06-01T10:05:00Z"), "c1", "i1",
                new VehicleLogHead("veh-1", r.seq(), r.hash()));
    }

    private static void refused(Reason reason, Executable check) {
        RejectedException e = assertThrows(RejectedException.class, check);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(reason.exitCode(), e.exitCode());
    }

    @Test
    void aLogHoldingEveryReportedHeadMatches() {
        Path file = dir.resolve("audit.log");
        List<AuditRecord> records = log(file, 5, "step");

        VehicleLogCheck.Result r = VehicleLogCheck.check("veh-1", List.of(anchor(records.get(1)), anchor(records.get(3))), file);

        assertEquals(2, r.anchors());
        assertEquals(5, r.vehicleRecords());
        assertEquals(4, r.latest().head().seq());
    }

    @Test
    void refusesALogRewrittenAfterItReportedThoughItVerifies() {
        List<AuditRecord> original = log(dir.resolve("original.log"), 5, "step");
        Path rewritten = dir.resolve("rewritten.log");
        log(rewritten, 5, "other");

        refused(VehicleLogFailure.LOG_HEAD_MISMATCH, () -> VehicleLogCheck.check("veh-1", List.of(anchor(original.get(2))),
                rewritten));
    }

    @Test
    void refusesALogCutBeforeAReportedHead() {
        List<AuditRecord> original = log(dir.resolve("original.log"), 5, "step");
        Path cut = dir.resolve("cut.log");
        log(cut, 3, "step");

        refused(VehicleLogFailure.LOG_BEHIND_ANCHOR, () -> VehicleLogCheck.check("veh-1", List.of(anchor(original.get(4))), cut));
    }

    @Test
    void refusesALogThatDoesNotVerify() throws Exception {
        Path file = dir.resolve("audit.log");
        List<AuditRecord> records = log(file, 3, "step");
        Files.writeString(file, Files.readString(file, StandardCharsets.UTF_8).replace("step 2", "step X"), StandardCharsets.UTF_8);

        refused(AuditFailure.CHAIN_BROKEN, () -> VehicleLogCheck.check("veh-1", List.of(anchor(records.get(0))), file));
    }

    @Test
    void refusesACheckAgainstNothing() {
        Path file = dir.resolve("audit.log");
        log(file, 2, "step");

        refused(VehicleLogFailure.NO_ANCHORS, () -> VehicleLogCheck.check("veh-1", List.of(), file));
    }

    @Test
    void theHeadsAreThoseTheVehiclesAcceptedReportsNamedInTheTrail() {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            List<String> vehicles = kit.vehicles(2);
            kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").build()).id());
            String sha = "c".repeat(64);
            for (String v : vehicles) {
                IssuedInstruction i = kit.outbox.lastTo(v);
                kit.service.reportStatus(v, i.instruction().campaignId(), i.instruction().instructionId(),
                        i.instruction().nonce(), Action.Status.COMMITTED, "ok", Optional.of(new VehicleLogHead(v, 9, sha)));
            }

            List<VehicleLogCheck.Anchor> anchors = VehicleLogCheck.anchors(kit.audit, "veh-2");

            assertEquals(1, anchors.size());
            assertEquals(new VehicleLogHead("veh-2", 9, sha), anchors.get(0).head());
            assertEquals(kit.outbox.lastTo("veh-2").instruction().instructionId(), anchors.get(0).instructionId());
            assertTrue(anchors.get(0).trailSeq() > 0);
        }
    }
}
