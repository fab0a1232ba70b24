package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowRetrievalRecorderTest {
    static final SlowRetrieval EVENT = new SlowRetrieval("/10.0.0.1:8883", "PUBLISH", 4642, 47, Duration.ofMillis(2163),
            Duration.ofMillis(2141));

    @TempDir
    Path dir;

    @Test
    void writesASecurityEventAndCountsItForTheParty() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.open(file, Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC))) {
            SlowRetrievalRecorder recorder = new SlowRetrievalRecorder(log, "vehicle-routes", "vehicle", registry);
            recorder.slowRetrieval(EVENT);
            recorder.slowRetrieval(EVENT);
        }
        List<AuditRecord> records = AuditLog.read(file);
        assertEquals(2, records.size());
        AuditRecord r = records.get(0);
        assertEquals(AuditEvent.SECURITY_EVENT, r.event());
        assertEquals(SlowRetrievalRecorder.CAUSE, r.cause());
        assertEquals(AuditRecord.Outcome.REFUSED, r.outcome());
        assertEquals("vehicle-routes", r.actor());
        assertEquals("slow retrieval: MQTT PUBLISH of 4642 bytes from /10.0.0.1:8883 incomplete after 2163 ms"
                + " (47 bytes received, 2141 ms allowed)", r.detail());
        assertTrue(AuditLog.verify(file).ok());
        assertEquals(2.0, registry.counter(SlowRetrievalRecorder.METER, "party", "vehicle").count());
    }

    @Test
    void stillCountsWhenTheAuditLogIsAlreadyClosed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AuditLog log = AuditLog.open(dir.resolve("audit.log"), Clock.systemUTC());
        SlowRetrievalRecorder recorder = new SlowRetrievalRecorder(log, "oem-serve:w1", "oem", registry);
        log.close();
        assertDoesNotThrow(() -> recorder.slowRetrieval(EVENT));
        assertEquals(1.0, registry.counter(SlowRetrievalRecorder.METER, "party", "oem").count());
    }
}
