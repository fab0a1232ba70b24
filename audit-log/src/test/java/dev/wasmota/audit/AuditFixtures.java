package dev.wasmota.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Shared test data for the audit tests: a typical record, a stepping clock, a log writer. */
final class AuditFixtures {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private AuditFixtures() {}

    /** Opens the log at {@code file}, appends {@code n} typical records, closes it. */
    static List<AuditRecord> writeRecords(Path file, int n) {
        List<AuditRecord> written = new ArrayList<>();
        try (AuditLog log = AuditLog.open(file, new TickingClock())) {
            for (int i = 0; i < n; i++) {
                written.add(log.append(installCommitted()));
            }
        }
        return written;
    }

    static AuditRecord installCommitted() {
        return AuditRecord.builder(AuditEvent.INSTALL_COMMITTED)
                .moduleId("brake-ctrl")
                .fromVersion("1.0.0")
                .toVersion("1.1.0")
                .fromWasmSha256("a".repeat(64))
                .toWasmSha256("b".repeat(64))
                .securityVersion(2)
                .campaignId("campaign-7")
                .instructionId("instr-42")
                .verification("supplier-signature", "ok")
                .verification("oem-countersignature", "ok")
                .precondition("vehicle-parked", "yes")
                .outcome(AuditRecord.Outcome.SUCCESS)
                .actor("ecu-host")
                .build();
    }

    /** A clock that starts at T0 and moves one second forward each time it is read. */
    static final class TickingClock extends Clock {
        private Instant now = T0;

        @Override
        public synchronized Instant instant() {
            Instant current = now;
            now = now.plus(Duration.ofSeconds(1));
            return current;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
