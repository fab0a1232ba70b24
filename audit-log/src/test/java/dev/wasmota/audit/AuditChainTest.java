package dev.wasmota.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain kept apart from a file (the OEM's database trail): the same bytes as a log file, and the same checks. */
class AuditChainTest {
    @TempDir
    Path dir;

    /** The lines of {@code file}, without their newlines. */
    private static List<byte[]> lines(Path file) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(line.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void sealsEachRecordToTheLineTheLogFileHolds() throws Exception {
        Path file = dir.resolve("audit.log");
        List<AuditRecord> written = AuditFixtures.writeRecords(file, 3);
        List<byte[]> fileLines = lines(file);

        String prev = AuditLog.GENESIS_HASH;
        for (int i = 0; i < 3; i++) {
            AuditRecord w = written.get(i);
            AuditRecord sealed = AuditChain.seal(AuditFixtures.installCommitted(), w.seq(), w.time(), prev);
            assertEquals(w, sealed);
            assertArrayEquals(fileLines.get(i), AuditChain.encode(sealed));
            assertEquals(w, AuditChain.decode(fileLines.get(i)));
            prev = sealed.hash();
        }
        assertEquals(AuditLog.verify(file), AuditChain.verify(fileLines));
    }

    @Test
    void findsAnEditAGapAReorderAndABrokenLink() throws Exception {
        Path file = dir.resolve("audit.log");
        AuditFixtures.writeRecords(file, 4);
        List<byte[]> lines = lines(file);

        List<byte[]> edited = new ArrayList<>(lines);
        edited.set(1, new String(lines.get(1), StandardCharsets.UTF_8).replace("brake-ctrl", "brake-ctrX")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(VerifyResult.Problem.EDITED, AuditChain.verify(edited).broken().problem());

        List<byte[]> gap = new ArrayList<>(lines);
        gap.remove(1);
        VerifyResult missing = AuditChain.verify(gap);
        assertEquals(VerifyResult.Problem.DELETED, missing.broken().problem());
        assertEquals(2, missing.broken().seq());
        assertEquals(1, missing.records());

        List<byte[]> swapped = new ArrayList<>(List.of(lines.get(0), lines.get(2), lines.get(1), lines.get(3)));
        assertTrue(!AuditChain.verify(swapped).ok());

        AuditRecord foreign = AuditChain.seal(AuditFixtures.installCommitted(), 2, AuditFixtures.T0, "f".repeat(64));
        List<byte[]> relinked = new ArrayList<>(List.of(lines.get(0), AuditChain.encode(foreign)));
        assertEquals(VerifyResult.Problem.CHAIN_MISMATCH, AuditChain.verify(relinked).broken().problem());
    }

    @Test
    void refusesARecordLongerThanALogLineAndAnUnsealedOne() {
        AuditRecord huge = AuditRecord.builder(AuditEvent.RECOVERY).detail("x".repeat(AuditLog.MAX_LINE_BYTES)).build();

        RejectedException e = assertThrows(RejectedException.class,
                () -> AuditChain.seal(huge, 1, AuditFixtures.T0, AuditLog.GENESIS_HASH));

        assertEquals(AuditFailure.RECORD_TOO_LARGE, e.reason());
        assertThrows(IllegalArgumentException.class, () -> AuditChain.encode(AuditFixtures.installCommitted()));
        assertEquals(AuditFailure.MALFORMED_RECORD, assertThrows(RejectedException.class,
                () -> AuditChain.decode("{}".getBytes(StandardCharsets.UTF_8))).reason());
    }
}
