package dev.wasmota.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditFixtures.TickingClock;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A torn last line is a crash tail only past the head the log's owner already reported. */
class AnchoredTornTailTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("audit.log");
    }

    /** Cuts the last record of the log in half, as a hand with file access would. */
    private byte[] tearLastRecord() throws IOException {
        byte[] all = Files.readAllBytes(file());
        int end = all.length - 1;
        int start = end;
        while (start > 0 && all[start - 1] != '\n') {
            start--;
        }
        byte[] torn = Arrays.copyOf(all, start + (end - start) / 2);
        Files.write(file(), torn);
        return torn;
    }

    @Test
    void aTornRecordThatWasAlreadyReportedIsASecurityEventAndTheLogIsLeftAsFound() throws IOException {
        List<AuditRecord> written = AuditFixtures.writeRecords(file(), 37);
        AuditAnchorFile.of(file()).raise(new AuditAnchorFile.Anchor(37, written.get(36).hash()));
        byte[] torn = tearLastRecord();

        RejectedException e = assertThrows(RejectedException.class,
                () -> AuditLog.open(file(), new TickingClock(), AuditAnchorFile.of(file()).seq()));
        assertEquals(AuditFailure.ANCHORED_RECORD_TORN, e.reason());
        assertTrue(e.getMessage().contains("SECURITY_EVENT") && e.getMessage().contains("seq 37"), e.getMessage());
        assertArrayEquals(torn, Files.readAllBytes(file()), "nothing recovered, nothing appended");
        assertEquals(VerifyResult.Problem.TRUNCATED, AuditLog.verify(file()).broken().problem());
    }

    @Test
    void theUnreportedLastAppendTornByACrashIsStillRecovered() throws IOException {
        List<AuditRecord> written = AuditFixtures.writeRecords(file(), 37);
        AuditAnchorFile.of(file()).raise(new AuditAnchorFile.Anchor(36, written.get(35).hash()));
        tearLastRecord();

        try (AuditLog log = AuditLog.open(file(), new TickingClock(), AuditAnchorFile.of(file()).seq())) {
            assertEquals(AuditEvent.RECOVERY, log.recoveredOnOpen().orElseThrow().event());
            assertEquals(37, log.lastSeq());
        }
        assertTrue(AuditLog.verify(file()).ok());
    }

    @Test
    void theAnchorOnlyRisesAndADamagedOneIsRefused() throws IOException {
        AuditAnchorFile anchors = AuditAnchorFile.of(file());
        assertEquals(0, anchors.seq());
        anchors.raise(new AuditAnchorFile.Anchor(9, "a".repeat(64)));
        assertEquals(new AuditAnchorFile.Anchor(9, "a".repeat(64)), anchors.raise(new AuditAnchorFile.Anchor(4, "b".repeat(64))));
        assertEquals(9, anchors.seq());
        Files.writeString(anchors.file(), "9 zz\n");
        assertEquals(AuditFailure.MALFORMED_RECORD, assertThrows(RejectedException.class, anchors::read).reason());
    }
}
