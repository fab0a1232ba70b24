package dev.wasmota.audit;

import static dev.wasmota.audit.AuditFixtures.T0;
import static dev.wasmota.audit.AuditFixtures.installCommitted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditFixtures.TickingClock;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.audit.VerifyResult.Problem;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, reopening, recovering and locking the audit log. */
class AuditLogTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("audit.jsonl");
    }

    @Test
    void appendedRecordsReadBackAndVerify() {
        TickingClock clock = new TickingClock();
        List<AuditRecord> written = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file(), clock)) {
            written.add(log.append(installCommitted()));
            written.add(log.append(AuditRecord.builder(AuditEvent.ROLLBACK).moduleId("brake-ctrl")
                    .fromVersion("1.1.0").toVersion("1.0.0").cause("FAULT_WINDOW").actor("ecu-host").build()));
            written.add(log.append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).cause("BAD_SIGNATURE")
                    .outcome(Outcome.REFUSED).detail("supplier signature does not verify").build()));
        }

        assertEquals(written, AuditLog.read(file()));
        assertEquals(List.of(1L, 2L, 3L), written.stream().map(AuditRecord::seq).toList());
        assertEquals(AuditLog.GENESIS_HASH, written.get(0).prevHash());
        assertEquals(written.get(0).hash(), written.get(1).prevHash());
        assertEquals(written.get(1).hash(), written.get(2).prevHash());
        assertEquals(T0.plusSeconds(1), written.get(1).time());

        VerifyResult result = AuditLog.verify(file());
        assertTrue(result.ok(), result.summary());
        assertEquals(3, result.records());
        assertEquals(written.get(2).hash(), result.headHash());
    }

    @Test
    void recordIsInTheFileWhenAppendReturns() throws IOException {
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            AuditRecord r = log.append(installCommitted());
            List<String> lines = Files.readAllLines(file());
            assertEquals(1, lines.size());
            assertTrue(lines.get(0).contains("\"hash\":\"" + r.hash() + "\""));
        }
    }

    @Test
    void lineIsCanonicalJsonWithNullFieldsLeftOut() throws IOException {
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            log.append(AuditRecord.builder(AuditEvent.VERIFY).moduleId("m").build());
        }
        String line = Files.readString(file());
        assertTrue(line.startsWith("{\"event\":\"VERIFY\",\"hash\":\""), line);
        assertFalse(line.contains("campaignId") || line.contains("null") || line.contains(" "), line);
        assertTrue(line.endsWith("\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}\n"), line);
    }

    @Test
    void hashIsSha256OfTheLineWithoutItsHashField() throws IOException {
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            AuditRecord r = log.append(installCommitted());
            String line = Files.readString(file()).trim();
            String withoutHash = line.replace("\"hash\":\"" + r.hash() + "\",", "");
            assertEquals(AuditCodec.sha256Hex(withoutHash.getBytes(StandardCharsets.UTF_8)), r.hash());
        }
    }

    @Test
    void tornTailIsCutOnOpenAndARecoveryRecordAppended() throws IOException {
        List<AuditRecord> before = writeRecords(3);
        byte[] intact = Files.readAllBytes(file());
        Files.writeString(file(), "{\"event\":\"INSTALL_COMM", StandardOpenOption.APPEND);
        assertEquals(Problem.TRUNCATED, AuditLog.verify(file()).broken().problem());

        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            AuditRecord recovery = log.recoveredOnOpen().orElseThrow();
            assertEquals(AuditEvent.RECOVERY, recovery.event());
            assertEquals(4, recovery.seq());
            assertEquals(before.get(2).hash(), recovery.prevHash());
            assertTrue(recovery.detail().contains("22 bytes"), recovery.detail());
        }

        byte[] after = Files.readAllBytes(file());
        assertArrayEquals(intact, Arrays.copyOf(after, intact.length));
        VerifyResult result = AuditLog.verify(file());
        assertTrue(result.ok(), result.summary());
        assertEquals(4, result.records());
    }

    @Test
    void cleanOpenAppendsNoRecoveryRecord() {
        writeRecords(2);
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            assertTrue(log.recoveredOnOpen().isEmpty());
            assertEquals(2, log.lastSeq());
        }
    }

    @Test
    void chainContinuesAcrossReopen() {
        List<AuditRecord> first = writeRecords(2);
        AuditRecord third;
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            assertEquals(first.get(1).hash(), log.headHash());
            third = log.append(installCommitted());
        }
        assertEquals(3, third.seq());
        assertEquals(first.get(1).hash(), third.prevHash());
        VerifyResult result = AuditLog.verify(file());
        assertTrue(result.ok(), result.summary());
        assertEquals(3, result.records());
    }

    @Test
    void openRefusesABrokenChainAndLeavesTheFileAsFound() throws IOException {
        writeRecords(4);
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        lines.remove(1);
        Files.write(file(), lines);
        byte[] tampered = Files.readAllBytes(file());

        RejectedException e = assertThrows(RejectedException.class, () -> AuditLog.open(file(), new TickingClock()));
        assertEquals(AuditFailure.CHAIN_BROKEN, e.reason());
        assertTrue(e.getMessage().contains("seq 2"), e.getMessage());
        assertArrayEquals(tampered, Files.readAllBytes(file()));
    }

    @Test
    void secondWriterIsRefusedUntilTheFirstCloses() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            for (Path other : List.of(dir.resolve("./audit.jsonl"), link.resolve("audit.jsonl"))) {
                RejectedException e = assertThrows(RejectedException.class,
                        () -> AuditLog.open(other, new TickingClock()));
                assertEquals(AuditFailure.LOG_IN_USE, e.reason());
            }
            log.append(installCommitted());
        }
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            assertEquals(1, log.lastSeq());
        }
    }

    @Test
    void oversizedRecordIsRefusedAndTheLogStaysUsable() {
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            AuditRecord huge = AuditRecord.builder(AuditEvent.VERIFY).detail("x".repeat(AuditLog.MAX_LINE_BYTES)).build();
            RejectedException e = assertThrows(RejectedException.class, () -> log.append(huge));
            assertEquals(AuditFailure.RECORD_TOO_LARGE, e.reason());
            assertEquals(1, log.append(installCommitted()).seq());
        }
        assertTrue(AuditLog.verify(file()).ok());
    }

    @Test
    void concurrentAppendsFormOneUnbrokenChain() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (AuditLog log = AuditLog.open(file(), new TickingClock())) {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        seqs.add(log.append(installCommitted()).seq());
                    }
                    return seqs;
                }));
            }
            Set<Long> seen = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                seen.addAll(f.get());
            }
            assertEquals(threads * each, seen.size());
        } finally {
            pool.shutdownNow();
        }
        VerifyResult result = AuditLog.verify(file());
        assertTrue(result.ok(), result.summary());
        assertEquals(threads * each, result.records());
    }

    private List<AuditRecord> writeRecords(int n) {
        return AuditFixtures.writeRecords(file(), n);
    }
}
