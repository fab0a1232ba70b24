package dev.wasmota.audit;

import static dev.wasmota.audit.AuditFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.VerifyResult.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way of tampering with a closed log is found by {@link AuditLog#verify} at the right place. */
class AuditLogVerifyTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("audit.jsonl");
    }

    private List<AuditRecord> writeRecords(int n) {
        return AuditFixtures.writeRecords(file(), n);
    }

    @Test
    void editedMiddleRecordIsReportedAtItsSeq() throws IOException {
        writeRecords(5);
        editLine(3, l -> l.replace("\"moduleId\":\"brake-ctrl\"", "\"moduleId\":\"brake-ctr1\""));

        assertBroken(3, 3, Problem.EDITED);
    }

    @Test
    void editedAndRehashedRecordIsReportedAtTheNextSeq() throws IOException {
        writeRecords(5);
        AuditRecord third = AuditLog.read(file()).get(2);
        AuditRecord edited = AuditRecord.builder(third.event()).moduleId("evil").build();
        AuditRecord draft = edited.sealed(3, third.time(), third.prevHash(), null);
        AuditRecord forged = edited.sealed(3, third.time(), third.prevHash(), AuditCodec.hashOf(draft));
        String forgedLine = new String(AuditCodec.line(forged), StandardCharsets.UTF_8);
        editLine(3, l -> forgedLine);

        assertBroken(4, 4, Problem.CHAIN_MISMATCH);
    }

    @Test
    void deletedRecordIsReportedAsMissingSeq() throws IOException {
        writeRecords(5);
        deleteLine(3);

        assertBroken(3, 3, Problem.DELETED);
    }

    @Test
    void deletedFirstRecordIsReported() throws IOException {
        writeRecords(3);
        deleteLine(1);

        assertBroken(1, 1, Problem.DELETED);
    }

    @Test
    void swappedRecordsAreReportedAsReordered() throws IOException {
        writeRecords(5);
        List<String> lines = Files.readAllLines(file());
        String two = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, two);
        Files.write(file(), lines);

        assertBroken(2, 2, Problem.REORDERED);
    }

    @Test
    void truncatedLastLineIsReported() throws IOException {
        writeRecords(5);
        byte[] content = Files.readAllBytes(file());
        Files.write(file(), Arrays.copyOf(content, content.length - 20));

        VerifyResult result = assertBroken(5, 5, Problem.TRUNCATED);
        assertEquals(4, result.records());
    }

    @Test
    void forgedAppendedLineWithoutValidHashIsReported() throws IOException {
        writeRecords(5);
        List<String> lines = Files.readAllLines(file());
        String forged = lines.get(4).replace("\"seq\":5", "\"seq\":6");
        Files.writeString(file(), forged + "\n", StandardOpenOption.APPEND);

        assertBroken(6, 6, Problem.EDITED);
    }

    @Test
    void forgedAppendedLineThatDoesNotChainIsReported() throws IOException {
        writeRecords(5);
        AuditRecord unsealed = AuditRecord.builder(AuditEvent.INSTALL_COMMITTED).moduleId("brake-ctrl").build();
        AuditRecord draft = unsealed.sealed(6, T0, AuditLog.GENESIS_HASH, null);
        AuditRecord forged = unsealed.sealed(6, T0, AuditLog.GENESIS_HASH, AuditCodec.hashOf(draft));
        Files.write(file(), (new String(AuditCodec.line(forged), StandardCharsets.UTF_8) + "\n")
                .getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        assertBroken(6, 6, Problem.CHAIN_MISMATCH);
    }

    @Test
    void replayedEarlierLineIsReported() throws IOException {
        writeRecords(5);
        String second = Files.readAllLines(file()).get(1);
        Files.writeString(file(), second + "\n", StandardOpenOption.APPEND);

        assertBroken(6, 6, Problem.REORDERED);
    }

    @Test
    void malformedLineIsReported() throws IOException {
        writeRecords(3);
        editLine(2, l -> l.substring(0, l.length() - 1));

        assertBroken(2, 2, Problem.MALFORMED);
    }

    @Test
    void reformattedLineIsReportedAsEdited() throws IOException {
        writeRecords(3);
        editLine(2, l -> l.replace(",", ", "));

        assertBroken(2, 2, Problem.EDITED);
    }

    @Test
    void overlongLineIsReportedWithoutReadingItWhole() throws IOException {
        writeRecords(2);
        Files.writeString(file(), "x".repeat(AuditLog.MAX_LINE_BYTES + 1) + "\n", StandardOpenOption.APPEND);

        assertBroken(3, 3, Problem.LINE_TOO_LONG);
    }

    @Test
    void missingFileVerifiesAsEmpty() {
        VerifyResult result = AuditLog.verify(dir.resolve("none.jsonl"));
        assertTrue(result.ok());
        assertEquals(0, result.records());
        assertEquals(AuditLog.GENESIS_HASH, result.headHash());
    }

    private VerifyResult assertBroken(long seq, long line, Problem problem) {
        VerifyResult result = AuditLog.verify(file());
        assertFalse(result.ok(), "tampering went unnoticed");
        assertEquals(problem, result.broken().problem(), result.summary());
        assertEquals(seq, result.broken().seq(), result.summary());
        assertEquals(line, result.broken().line(), result.summary());
        return result;
    }

    private void editLine(int number, UnaryOperator<String> edit) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        lines.set(number - 1, edit.apply(lines.get(number - 1)));
        Files.write(file(), lines);
    }

    private void deleteLine(int number) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file()));
        lines.remove(number - 1);
        Files.write(file(), lines);
    }
}
