package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditAnchorFile;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.cli.EcuCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a last audit record cut in half used to be "recovered" by the next {@code ecu run} as a
 * crash tail, after which the log verified again. Once the vehicle reported that record (its head
 * is the log's anchor), {@code ecu run} refuses as a security event and leaves the log as found;
 * the unreported last append is still recovered.
 */
class EcuTornAnchoredTailTest {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path healthy;

    @BeforeAll
    static void release() {
        cli = new EcuCli(dir);
        healthy = cli.healthy(1);
    }

    private static Path log(Path state) {
        return state.resolve("audit.log");
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
    void aTornRecordTheVehicleReportedRefusesEcuRunAsASecurityEvent() throws IOException {
        Path state = dir.resolve("state-reported");
        cli.installed(state, healthy);
        List<AuditRecord> records = AuditLog.read(log(state));
        AuditRecord last = records.get(records.size() - 1);
        AuditAnchorFile.of(log(state)).raise(new AuditAnchorFile.Anchor(last.seq(), last.hash()));
        tearLastRecord(log(state));
        byte[] torn = Files.readAllBytes(log(state));

        Result r = assertRefused(3, cli.ota("ecu", "run", "--state", state.toString(), "--duration", "300ms"));
        assertTrue(r.err().startsWith("rejected (ANCHORED_RECORD_TORN): SECURITY_EVENT: the last line of "), r.err());
        assertTrue(r.err().contains("(seq " + last.seq() + ") is torn"), r.err());
        assertArrayEquals(torn, Files.readAllBytes(log(state)), "left as found, nothing recovered");
        assertEquals(3, cli.log(state, "--verify").code(), "and the log still shows the cut");
    }

    @Test
    void anUnreportedTornLastAppendIsStillRecoveredByEcuRun() throws IOException {
        Path state = dir.resolve("state-unreported");
        cli.installed(state, healthy);
        tearLastRecord(log(state));

        Result r = cli.run(state, "300ms");
        assertEquals(0, r.code(), r::toString);
        assertTrue(cli.log(state).out().contains("TORN_LOG_LINE"));
        assertEquals(0, cli.log(state, "--verify").code());
    }

    @Test
    void ecuLogVerifyFindsTheReportedLastRecordDeletedThoughTheChainVerifies() throws IOException {
        Path state = dir.resolve("state-cut");
        cli.installed(state, healthy);
        List<AuditRecord> records = AuditLog.read(log(state));
        AuditRecord last = records.get(records.size() - 1);
        AuditAnchorFile.of(log(state)).raise(new AuditAnchorFile.Anchor(last.seq(), last.hash()));
        Result intact = cli.log(state, "--verify");
        assertEquals(0, intact.code(), intact::toString);
        assertTrue(intact.out().contains("holds the head it reported, seq " + last.seq()), intact.out());

        List<String> lines = Files.readAllLines(log(state));
        Files.write(log(state), lines.subList(0, lines.size() - 1));
        assertTrue(AuditLog.verify(log(state)).ok(), "the chain alone: ok");
        Result cut = cli.log(state, "--verify");
        assertEquals(3, cut.code(), cut::toString);
        assertTrue(cut.err().contains("reported its log at seq " + last.seq()) && cut.err().contains("ends before it"), cut.err());
    }
}
