package dev.wasmota.oem.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The OEM's one audit trail in the database: hash-chained exactly as a log file, never forked by
 * writers on several connections, part of the transaction it is appended in, and every edit,
 * deletion or reordering found.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class OemAuditTrailTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
    String url;
    CampaignDatabase db;
    OemAuditTrail trail;

    @BeforeEach
    void setUp() {
        url = database.freshUrl();
        db = CampaignDatabase.open(url, clock);
        trail = new OemAuditTrail(db, clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static AuditRecord record(String detail) {
        return AuditRecord.builder(AuditEvent.CAMPAIGN_CREATED).actor("test").campaignId("c1").detail(detail).build();
    }

    @Test
    void appendingManyAtOnceSealsTheSameChainAsAppendingOneAtATime() throws Exception {
        List<AuditRecord> one = new ArrayList<>();
        trail.append(record("before"));
        for (int i = 1; i <= 4; i++) {
            one.add(trail.append(record("one " + i)));
        }
        CampaignDatabase other = CampaignDatabase.open(database.freshUrl(), clock);
        try {
            OemAuditTrail batched = new OemAuditTrail(other, clock);
            batched.append(record("before"));
            List<AuditRecord> many = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                many.add(record("one " + i));
            }
            AuditRecord head = other.transaction(c -> batched.appendAll(c, many));

            assertEquals(trail.records(), batched.records(), "the same seqs, times, links and hashes");
            assertEquals(one.get(3), head, "the last sealed is the new head");
            assertEquals(5, batched.size());
            assertTrue(batched.verify().ok(), batched.verify().toString());
            other.transaction(c -> batched.appendAll(c, List.of()));
            assertEquals(5, batched.size(), "nothing appended, the head unmoved");
            batched.append(record("after"));
            assertTrue(batched.verify().ok(), "a record appended alone afterwards links to the batch's last");
        } finally {
            other.close();
        }
    }

    @Test
    void appendsAChainThatVerifiesAndReadsAsALogFileByteForByte() throws Exception {
        List<AuditRecord> appended = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            appended.add(trail.append(record("step " + i + " — ünïcödé")));
            clock.advance(java.time.Duration.ofSeconds(1));
        }

        assertEquals(appended, trail.records());
        assertEquals(3, trail.size());
        VerifyResult ok = trail.verify();
        assertTrue(ok.ok(), ok.summary());
        assertEquals(appended.get(2).hash(), ok.headHash());
        Path file = dir.resolve("exported.log");
        StringBuilder lines = new StringBuilder();
        for (AuditRecord r : trail.records()) {
            lines.append(new String(dev.wasmota.audit.AuditChain.encode(r), StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        assertEquals(ok, AuditLog.verify(file), "the same chain as a log file");
    }

    @Test
    void writersOnSeveralConnectionsNeverForkTheChain() throws Exception {
        List<CampaignDatabase> dbs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                CampaignDatabase other = CampaignDatabase.open(url, clock);
                dbs.add(other);
                OemAuditTrail t = new OemAuditTrail(other, clock);
                int writer = w;
                writers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 25; i++) {
                        t.append(record("writer " + writer + " record " + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            dbs.forEach(CampaignDatabase::close);
        }

        VerifyResult r = trail.verify();
        assertTrue(r.ok(), r.summary());
        assertEquals(100, r.records());
    }

    @Test
    void aRecordAppendedInATransactionThatRollsBackIsNotKept() {
        trail.append(record("kept"));

        assertThrows(IllegalStateException.class, () -> db.transaction(c -> {
            trail.append(c, record("rolled back with its step"));
            throw new IllegalStateException("the step failed");
        }));
        AuditRecord next = trail.append(record("next"));

        assertEquals(2, next.seq());
        assertTrue(trail.verify().ok());
    }

    @Test
    void findsAnEditedRecord() throws Exception {
        trail.append(record("first"));
        trail.append(record("second"));
        sql("UPDATE audit_record SET line = REPLACE(line, 'second', 'altered') WHERE seq = 2");

        VerifyResult r = trail.verify();

        assertEquals(VerifyResult.Problem.EDITED, r.broken().problem(), r.summary());
        assertEquals(2, r.broken().seq());
    }

    @Test
    void findsADeletedRecordInTheMiddleAndAtTheEnd() throws Exception {
        for (int i = 0; i < 4; i++) {
            trail.append(record("r" + i));
        }
        sql("DELETE FROM audit_record WHERE seq = 4");
        assertEquals(VerifyResult.Problem.DELETED, trail.verify().broken().problem(), "the head still names seq 4");

        sql("DELETE FROM audit_record WHERE seq = 2");
        VerifyResult r = trail.verify();
        assertEquals(VerifyResult.Problem.DELETED, r.broken().problem(), r.summary());
        assertEquals(2, r.broken().seq());
    }

    @Test
    void findsRecordsRenumberedIntoAnotherOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            trail.append(record("r" + i));
        }
        sql("UPDATE audit_record SET seq = 10 WHERE seq = 1");
        sql("UPDATE audit_record SET seq = 1 WHERE seq = 2");
        sql("UPDATE audit_record SET seq = 2 WHERE seq = 10");

        VerifyResult r = trail.verify();

        assertTrue(!r.ok() && r.broken().seq() == 1, r.summary());
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
