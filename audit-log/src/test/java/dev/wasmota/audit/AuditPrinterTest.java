package dev.wasmota.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditPrinterTest {
    @TempDir
    Path dir;

    @Test
    void rendersTheKeyFieldsOnOneLine() {
        AuditRecord r = AuditFixtures.installCommitted().sealed(3, java.time.Instant.parse("2026-03-01T10:00:00Z"),
                AuditLog.GENESIS_HASH, "c".repeat(64));

        String line = AuditPrinter.render(r);

        assertEquals("#3 2026-03-01T10:00:00Z INSTALL_COMMITTED SUCCESS module=brake-ctrl version=1.0.0->1.1.0"
                + " wasm=aaaaaaaaaaaa->bbbbbbbbbbbb sv=2 campaign=campaign-7 instruction=instr-42"
                + " verified={oem-countersignature=ok,supplier-signature=ok} pre={vehicle-parked=yes}"
                + " actor=ecu-host hash=cccccccccccc", line);
    }

    @Test
    void controlCharactersInTextCannotBreakTheLine() {
        AuditRecord r = AuditRecord.builder(AuditEvent.INSTALL_REFUSED).detail("bad\nfake #9 line\u202e")
                .build().sealed(1, java.time.Instant.EPOCH, AuditLog.GENESIS_HASH, "c".repeat(64));

        String line = AuditPrinter.render(r);

        assertEquals(-1, line.indexOf('\n'));
        assertTrue(line.contains("bad\\u000afake #9 line\\u202e"), line);
    }

    @Test
    void printsOneLinePerRecordAndFlagsUnreadableLines() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(file, new AuditFixtures.TickingClock())) {
            log.append(AuditFixtures.installCommitted());
            log.append(AuditRecord.builder(AuditEvent.ROLLBACK).moduleId("brake-ctrl").cause("MANUAL").build());
        }
        Files.writeString(file, "garbage\n{\"torn", StandardOpenOption.APPEND);
        StringBuilder out = new StringBuilder();

        long printed = AuditPrinter.print(file, out);

        String[] lines = out.toString().split("\n");
        assertEquals(2, printed);
        assertEquals(4, lines.length);
        assertTrue(lines[0].startsWith("#1 "), lines[0]);
        assertTrue(lines[1].startsWith("#2 ") && lines[1].contains("ROLLBACK") && lines[1].contains("cause=MANUAL"));
        assertTrue(lines[2].startsWith("line 3: unreadable"), lines[2]);
        assertTrue(lines[3].startsWith("line 4: unterminated"), lines[3]);
    }
}
