package dev.wasmota.oem.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.audit.VehicleLogVerifier.Finding;
import dev.wasmota.oem.audit.VehicleLogVerifier.Kind;
import dev.wasmota.oem.audit.VehicleLogVerifier.LogAnchor;
import dev.wasmota.oem.audit.VehicleLogVerifier.Verdict;
import dev.wasmota.testkit.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's hand-made attacks on a 37-record vehicle log, each against the heads the vehicle
 * reported as it went (at seq 3, 9, 15, 22, 30 and 37): each is found, and the first record
 * missing or changed named, or bounded by the anchors around it.
 */
class VehicleLogVerifierTest {
    static final long[] REPORTED_AT = {3, 9, 15, 22, 30, 37};

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
    private Path log;
    private List<AuditRecord> original;
    private List<LogAnchor> anchors;

    /** Every fourth record a refusal, one a rollback: what an attacker wants gone. */
    private static AuditRecord record(int i) {
        if (i == 26) {
            return AuditRecord.builder(AuditEvent.ROLLBACK).actor("ecu-host").moduleId("healthy").outcome(Outcome.SUCCESS)
                    .cause("FAULT_THRESHOLD").detail("rolled back after faults").build();
        }
        if (i % 4 == 0) {
            return AuditRecord.builder(AuditEvent.INSTALL_REFUSED).actor("ecu-host").moduleId("healthy")
                    .outcome(Outcome.REFUSED).cause("ANTI_ROLLBACK").detail("refusal " + i).build();
        }
        return AuditRecord.builder(AuditEvent.INSTALL_COMMITTED).actor("ecu-host").moduleId("healthy")
                .outcome(Outcome.SUCCESS).detail("step " + i).build();
    }

    @BeforeEach
    void vehicleLogAndItsAnchors() {
        log = dir.resolve("audit.log");
        original = new ArrayList<>();
        try (AuditLog l = AuditLog.open(log, clock)) {
            for (int i = 1; i <= 37; i++) {
                clock.advance(Duration.ofSeconds(1));
                original.add(l.append(record(i)));
            }
        }
        anchors = new ArrayList<>();
        for (long seq : REPORTED_AT) {
            anchors.add(new LogAnchor(seq, original.get((int) seq - 1).hash(), "report at seq " + seq));
        }
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    private void write(List<String> lines) throws IOException {
        Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private Finding first() {
        Verdict v = VehicleLogVerifier.verify(log, anchors);
        assertTrue(v.first().isPresent(), v.summary());
        RejectedException e = assertThrows(RejectedException.class, v::orThrow);
        assertEquals(3, e.exitCode().code(), e.getMessage());
        return v.first().get();
    }

    @Test
    void theIntactLogMatchesEveryAnchor() {
        Verdict v = VehicleLogVerifier.verify(log, anchors);
        assertTrue(v.ok(), v.summary());
        assertEquals(37, v.proven());
        assertEquals(6, v.anchors());
    }

    @Test
    void anEditedMiddleRecordIsNamed() throws IOException {
        List<String> l = lines();
        l.set(19, l.get(19).replace("refusal 20", "refusal 2O"));
        write(l);
        Finding f = first();
        assertEquals(Kind.CHAIN_BROKEN, f.kind());
        assertEquals(20, f.from());
        assertEquals(20, f.to());
        assertTrue(f.detail().startsWith("EDITED"), f.detail());
    }

    @Test
    void aDeletedMiddleRecordIsNamed() throws IOException {
        List<String> l = lines();
        l.remove(19);
        write(l);
        Finding f = first();
        assertEquals(Kind.CHAIN_BROKEN, f.kind());
        assertEquals("seq 20", f.where());
        assertTrue(f.detail().startsWith("DELETED"), f.detail());
    }

    @Test
    void swappedMiddleRecordsAreNamed() throws IOException {
        List<String> l = lines();
        String s = l.get(19);
        l.set(19, l.get(20));
        l.set(20, s);
        write(l);
        Finding f = first();
        assertEquals(Kind.CHAIN_BROKEN, f.kind());
        assertEquals("seq 20", f.where());
        assertTrue(f.detail().startsWith("REORDERED"), f.detail());
    }

    @Test
    void aDeletedLastRecordIsFoundThoughTheChainVerifies() throws IOException {
        List<String> l = lines();
        l.remove(36);
        write(l);
        assertTrue(AuditLog.verify(log).ok(), "the chain alone says ok: issue 17's complaint");
        Finding f = first();
        assertEquals(Kind.MISSING, f.kind());
        assertEquals(31, f.from(), "seq 30 is proven by its anchor");
        assertEquals(37, f.to());
        assertTrue(f.detail().contains("seq 37 missing"), f.detail());
    }

    @Test
    void aDeletedLastRecordIsNamedExactlyWhenTheRecordBeforeWasAnchored() throws IOException {
        anchors.add(new LogAnchor(36, original.get(35).hash(), "report at seq 36"));
        List<String> l = lines();
        l.remove(36);
        write(l);
        assertEquals("seq 37", first().where());
    }

    @Test
    void droppingRecordsAndRecomputingTheChainIsFound() throws IOException {
        // 37 down to 5: every refusal and the rollback gone, the chain sealed again from record 4 on
        List<AuditRecord> kept = new ArrayList<>();
        for (AuditRecord r : original) {
            if (r.event() == AuditEvent.INSTALL_COMMITTED && kept.size() < 5) {
                kept.add(r);
            }
        }
        List<String> rewritten = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (int i = 0; i < kept.size(); i++) {
            AuditRecord r = kept.get(i);
            AuditRecord content = AuditRecord.builder(r.event()).actor(r.actor()).moduleId(r.moduleId())
                    .outcome(r.outcome()).detail(r.detail()).build();
            AuditRecord sealed = AuditChain.seal(content, i + 1, r.time(), prev);
            rewritten.add(new String(AuditChain.encode(sealed), StandardCharsets.UTF_8));
            prev = sealed.hash();
        }
        write(rewritten);
        assertTrue(AuditLog.verify(log).ok(), "the recomputed chain verifies on its own: issue 17's complaint");
        assertEquals(original.get(2).hash(), AuditLog.read(log).get(2).hash(), "records 1..3 are untouched");

        Finding f = first();
        assertEquals(Kind.MISSING, f.kind());
        assertEquals(4, f.from(), "seq 1..3 proven by the anchor at 3; the first changed record, seq 4, is the first unproven");
        assertEquals(6, f.to());
        assertTrue(f.detail().contains("ends at seq 5") && f.detail().contains("seq 6..9 missing"), f.detail());
    }

    @Test
    void aRecomputedChainOfTheSameLengthIsChangedAtTheFirstAnchorItMisses() throws IOException {
        List<String> rewritten = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (AuditRecord r : original) {
            AuditRecord content = AuditRecord.builder(r.event()).actor(r.actor()).moduleId(r.moduleId()).outcome(r.outcome())
                    .cause(r.cause()).detail(r.seq() == 12 ? "refusal 12 never happened" : r.detail()).build();
            AuditRecord sealed = AuditChain.seal(content, r.seq(), r.time(), prev);
            rewritten.add(new String(AuditChain.encode(sealed), StandardCharsets.UTF_8));
            prev = sealed.hash();
        }
        write(rewritten);
        assertTrue(AuditLog.verify(log).ok());
        Finding f = first();
        assertEquals(Kind.CHANGED, f.kind());
        assertEquals(10, f.from());
        assertEquals(15, f.to());
        assertTrue(f.where().equals("one of seq 10..15") && f.detail().contains("seq 1..9 match"), f.detail());
    }

    @Test
    void aTornLastRecordThatWasAnchoredIsFoundButAnUnreportedOneIsNot() throws IOException {
        byte[] all = Files.readAllBytes(log);
        Files.write(log, Arrays.copyOf(all, all.length - 40));
        Finding f = first();
        assertEquals(Kind.CHAIN_BROKEN, f.kind());
        assertEquals("seq 37", f.where());
        assertTrue(f.detail().startsWith("TRUNCATED"), f.detail());

        anchors.removeIf(a -> a.seq() == 37);
        Verdict v = VehicleLogVerifier.verify(log, anchors);
        assertTrue(v.ok(), v.summary());
        assertTrue(v.note().contains("torn last line (seq 37)"), v.note());
    }

    @Test
    void nothingToCheckAgainstIsAPolicyRefusal() {
        RejectedException e = assertThrows(RejectedException.class, () -> VehicleLogVerifier.verify(log, List.of()));
        assertEquals(VehicleLogFailure.NO_ANCHORS, e.reason());
        assertEquals(4, e.exitCode().code());
    }
}
