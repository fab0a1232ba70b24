package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditFailure;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head a host puts in a signed report is kept as its anchor: the next report proves its chain
 * continues from it, and a torn record at or below it is a security event on the next start
 * ({@code ecu run}, {@code ecu install}, the routes), never recovered as a crash tail.
 */
class EcuHostReportedHeadTest {
    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v2;

    @BeforeAll
    static void packages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v2 = kit.healthy("2.0.0", 2);
    }

    private static void tearLastRecord(Path log) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int start = all.length - 1;
        while (start > 0 && all[start - 1] != '\n') {
            start--;
        }
        Files.write(log, Arrays.copyOf(all, start + (all.length - 1 - start) / 2));
    }

    @Test
    void eachReportProvesItsLogStillHoldsTheHeadReportedBefore() {
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            EcuHost.ReportedHead first = host.reportHead();
            assertEquals(host.auditLog().lastSeq(), first.seq());
            assertEquals(0, first.prevSeq());
            host.install(v2, InstallContext.manual());
            EcuHost.ReportedHead second = host.reportHead();
            assertEquals(first.seq(), second.prevSeq());
            assertEquals(first.hash(), second.prevHash());
            assertTrue(second.seq() > first.seq());
        }
    }

    @Test
    void aLogRewrittenSinceItsLastReportIsASecurityEventOfTheVehicleAndItsProofShowsIt() throws Exception {
        EcuHost.ReportedHead first;
        Path log;
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            first = host.reportHead();
            log = host.auditFile();
        }
        List<AuditRecord> records = AuditLog.read(log);
        List<String> lines = new java.util.ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (AuditRecord r : records) {
            AuditRecord sealed = dev.wasmota.audit.AuditChain.seal(AuditRecord.builder(r.event()).actor(r.actor())
                    .moduleId(r.moduleId()).outcome(r.outcome()).detail("rewritten").build(), r.seq(), r.time(), prev);
            lines.add(new String(dev.wasmota.audit.AuditChain.encode(sealed), java.nio.charset.StandardCharsets.UTF_8));
            prev = sealed.hash();
        }
        Files.writeString(log, String.join("\n", lines) + "\n");
        try (EcuHost host = kit.open(state)) {
            EcuHost.ReportedHead next = host.reportHead();
            assertEquals(first.seq(), next.prevSeq());
            assertTrue(!next.prevHash().equals(first.hash()), "the proof carries the rewritten hash, for the OEM to see");
            AuditRecord last = records(host).get(records(host).size() - 1);
            assertEquals(AuditEvent.SECURITY_EVENT, last.event());
            assertEquals("AUDIT_LOG_REWRITTEN", last.cause());
            assertEquals(next.seq(), last.seq());
        }
    }

    @Test
    void aTornRecordAlreadyReportedIsASecurityEventOnTheNextStart() throws IOException {
        Path log;
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            host.reportHead();
            log = host.auditFile();
        }
        tearLastRecord(log);
        byte[] torn = Files.readAllBytes(log);
        assertRejected(AuditFailure.ANCHORED_RECORD_TORN, 3, () -> kit.open(state));
        assertEquals(Arrays.toString(torn), Arrays.toString(Files.readAllBytes(log)), "left as found");
    }

    @Test
    void theUnreportedLastAppendTornByACrashIsRecoveredAsBefore() throws IOException {
        Path log;
        long reported;
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            reported = host.reportHead().seq();
            host.install(v2, InstallContext.manual());
            log = host.auditFile();
        }
        tearLastRecord(log);
        try (EcuHost host = kit.open(state)) {
            List<AuditRecord> records = records(host);
            assertTrue(records.size() > reported);
            assertTrue(records.stream().anyMatch(r -> r.event() == AuditEvent.RECOVERY && "TORN_LOG_LINE".equals(r.cause())));
        }
        assertTrue(AuditLog.verify(log).ok());
    }
}
