package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.Main;
import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.signing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota oem evidence verify --vehicle VIN FILE}: a vehicle's log against the anchors its signed reports left. */
class EvidenceVerifyCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private Result ota(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new CliEnv(Clock.fixed(Fixtures.T0, ZoneOffset.UTC), Fixtures.seeded(3)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** veh-1's 37-record log, and an OEM that took in its reports at seq 9, 22 and 37. */
    private Path oemWithAnchors(Path vehicleLog) {
        try (AuditLog log = AuditLog.open(vehicleLog, Clock.fixed(Fixtures.T0, ZoneOffset.UTC))) {
            for (int i = 1; i <= 37; i++) {
                log.append(AuditRecord.builder(i % 4 == 0 ? AuditEvent.INSTALL_REFUSED : AuditEvent.INSTALL_COMMITTED)
                        .actor("ecu-host").detail("step " + i).build());
            }
        }
        List<AuditRecord> records = AuditLog.read(vehicleLog);
        Path oem = dir.resolve("oem");
        try (CampaignKit kit = new CampaignKit(dir, CampaignDatabase.defaultUrl(oem))) {
            long prev = 0;
            int n = 0;
            for (long seq : new long[] {9, 22, 37}) {
                n++;
                kit.service.anchors().take(new VehicleAnchors.Report("veh-1", "c1", "i" + n, seq,
                        records.get((int) seq - 1).hash(), prev, prev == 0 ? "" : records.get((int) prev - 1).hash(),
                        Fixtures.T0.plusSeconds(60L * n)));
                prev = seq;
            }
        }
        return oem;
    }

    @Test
    void anIntactLogMatchesAndACutOrRecomputedOneIsNamed() throws Exception {
        Path vehicleLog = dir.resolve("audit.log");
        Path oem = oemWithAnchors(vehicleLog);
        String oemDir = oem.toString();

        Result ok = ota("oem", "evidence", "verify", "--oem", oemDir, "--vehicle", "veh-1", vehicleLog.toString());
        assertEquals(0, ok.code(), ok::toString);
        assertTrue(ok.out().contains("matches the OEM's anchors: 37 records, 3 anchor(s) matched, proven up to seq 37"),
                ok.out());

        List<String> lines = Files.readAllLines(vehicleLog);
        Path cut = dir.resolve("cut.log");
        Files.write(cut, lines.subList(0, 36));
        Result lastGone = ota("oem", "evidence", "verify", "--oem", oemDir, "--vehicle", "veh-1", cut.toString());
        assertEquals(3, lastGone.code(), lastGone::toString);
        assertTrue(lastGone.err().startsWith("rejected (LOG_BEHIND_ANCHOR): first record missing: one of seq 23..37"),
                lastGone.err());
        assertTrue(lastGone.err().contains("seq 37 missing"), lastGone.err());

        Path recomputed = dir.resolve("recomputed.log");
        List<String> rewritten = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (int i = 1; i <= 5; i++) {
            AuditRecord sealed = AuditChain.seal(AuditRecord.builder(AuditEvent.INSTALL_COMMITTED).actor("ecu-host")
                    .detail("step " + i).build(), i, Fixtures.T0, prev);
            rewritten.add(new String(AuditChain.encode(sealed), StandardCharsets.UTF_8));
            prev = sealed.hash();
        }
        Files.write(recomputed, rewritten);
        assertTrue(AuditLog.verify(recomputed).ok());
        Result gone = ota("oem", "evidence", "verify", "--oem", oemDir, "--vehicle", "veh-1", recomputed.toString());
        assertEquals(3, gone.code(), gone::toString);
        assertTrue(gone.err().startsWith("rejected (LOG_BEHIND_ANCHOR): first record missing: one of seq 1..6"), gone.err());
        assertTrue(gone.err().contains("seq 6..9 missing"), gone.err());

        Path edited = dir.resolve("edited.log");
        lines.set(19, lines.get(19).replace("step 20", "step 2O"));
        Files.write(edited, lines);
        Result changed = ota("oem", "evidence", "verify", "--oem", oemDir, "--vehicle", "veh-1", edited.toString());
        assertEquals(3, changed.code(), changed::toString);
        assertTrue(changed.err().startsWith("rejected (CHAIN_BROKEN): first record changed: seq 20"), changed.err());
    }

    @Test
    void aVehicleWithoutAnchorsOrAMissingOptionIsRefusedByItsCode() throws Exception {
        Path vehicleLog = dir.resolve("audit.log");
        Path oem = oemWithAnchors(vehicleLog);
        Result none = ota("oem", "evidence", "verify", "--oem", oem.toString(), "--vehicle", "veh-9", vehicleLog.toString());
        assertEquals(4, none.code(), none::toString);
        assertTrue(none.err().startsWith("rejected (NO_ANCHORS)"), none.err());
        assertEquals(2, ota("oem", "evidence", "verify", "--oem", oem.toString(), vehicleLog.toString()).code());
        assertEquals(2, ota("oem", "evidence").code());
        Result help = ota("oem", "evidence", "verify", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--vehicle"), help.out());
    }
}
