package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.Main;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.signing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota oem log}: the OEM's one trail printed and verified, and a vehicle's log checked against the heads it reported. */
class OemLogCommandTest {
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

    /** An OEM whose trail holds a campaign and veh-1's status naming the head of {@code vehicleLog}. */
    private Path oemWithAReportedHead(Path vehicleLog) {
        List<AuditRecord> vehicle;
        try (AuditLog log = AuditLog.open(vehicleLog, Clock.fixed(Fixtures.T0, ZoneOffset.UTC))) {
            for (int i = 0; i < 3; i++) {
                log.append(AuditRecord.builder(AuditEvent.INSTALL_COMMITTED).actor("ecu-host").detail("step " + i).build());
            }
        }
        vehicle = AuditLog.read(vehicleLog);
        Path oem = dir.resolve("oem");
        try (CampaignKit kit = new CampaignKit(dir, CampaignDatabase.defaultUrl(oem))) {
            kit.vehicles(1);
            kit.service.start(kit.service.create(kit.spec(kit.v2, List.of("veh-1"), "100%").build()).id());
            IssuedInstruction i = kit.outbox.lastTo("veh-1");
            AuditRecord head = vehicle.get(2);
            kit.service.reportStatus("veh-1", i.instruction().campaignId(), i.instruction().instructionId(),
                    i.instruction().nonce(), Action.Status.COMMITTED, "ok",
                    Optional.of(new VehicleLogHead("veh-1", head.seq(), head.hash())));
        }
        return oem;
    }

    @Test
    void printsAndVerifiesTheTrailAndFindsAnEditedRecord() throws Exception {
        Path oem = oemWithAReportedHead(dir.resolve("veh-1.log"));

        Result printed = ota("oem", "log", "--oem", oem.toString());
        assertEquals(0, printed.code(), printed::toString);
        assertTrue(printed.out().contains("CAMPAIGN_STARTED") && printed.out().contains("CAMPAIGN_STATUS_RECEIVED"),
                printed.out());
        Result verified = ota("oem", "log", "--oem", oem.toString(), "--verify");
        assertEquals(0, verified.code(), verified::toString);
        assertTrue(verified.out().startsWith("OEM audit trail intact: "), verified.out());
        assertTrue(verified.out().contains("OEM audit trail anchored: 3 signed checkpoint(s) hold"), verified.out());

        try (Connection c = DriverManager.getConnection(CampaignDatabase.defaultUrl(oem)); Statement s = c.createStatement()) {
            s.execute("UPDATE audit_record SET line = REPLACE(line, 'CAMPAIGN_STARTED', 'CAMPAIGN_ABORTED') WHERE event = 'CAMPAIGN_STARTED'");
        }
        Result broken = ota("oem", "log", "--oem", oem.toString(), "--verify");
        assertEquals(3, broken.code(), broken::toString);
        assertTrue(broken.err().startsWith("rejected (AUDIT_CHAIN_BROKEN): OEM audit trail broken at seq 2"), broken.err());
    }

    @Test
    void verifyFindsATrailRewrittenWithItsChainRecomputedByItsSignedCheckpoint() throws Exception {
        Path oem = oemWithAReportedHead(dir.resolve("veh-1.log"));
        List<AuditRecord> records;
        try (CampaignKit kit = new CampaignKit(dir.resolve("again"), CampaignDatabase.defaultUrl(oem))) {
            records = kit.audit.records();
        }
        try (Connection c = DriverManager.getConnection(CampaignDatabase.defaultUrl(oem))) {
            String prev = dev.wasmota.audit.AuditLog.GENESIS_HASH;
            for (AuditRecord r : records) {
                AuditRecord content = AuditRecord.builder(r.event()).actor(r.actor()).campaignId(r.campaignId())
                        .detail(r.event() == AuditEvent.CAMPAIGN_STARTED ? "never started" : r.detail()).build();
                AuditRecord sealed = dev.wasmota.audit.AuditChain.seal(content, r.seq(), r.time(), prev);
                prev = sealed.hash();
                try (var p = c.prepareStatement("UPDATE audit_record SET line = ? WHERE seq = ?")) {
                    p.setString(1, new String(dev.wasmota.audit.AuditChain.encode(sealed), StandardCharsets.UTF_8));
                    p.setLong(2, r.seq());
                    p.executeUpdate();
                }
            }
            try (var p = c.prepareStatement("UPDATE audit_head SET hash = ? WHERE id = 1")) {
                p.setString(1, prev);
                p.executeUpdate();
            }
        }
        Result rewritten = ota("oem", "log", "--oem", oem.toString(), "--verify");
        assertEquals(3, rewritten.code(), rewritten::toString);
        assertTrue(rewritten.out().startsWith("OEM audit trail intact: "), "the chain alone: " + rewritten.out());
        assertTrue(rewritten.err().startsWith("rejected (AUDIT_CHAIN_BROKEN): OEM audit trail rewritten: checkpoint at seq "),
                rewritten.err());
    }

    @Test
    void verifiesTheAuditLogFilesOfAnEarlierVersionToo() throws Exception {
        Path oem = oemWithAReportedHead(dir.resolve("veh-1.log"));
        Path earlier = oem.resolve("audit-w1.log");
        try (AuditLog log = AuditLog.open(earlier, Clock.systemUTC())) {
            log.append(AuditRecord.builder(AuditEvent.CAMPAIGN_STATUS_RECEIVED).actor("oem-serve:w1").detail("vehicle veh-1").build());
        }

        Result ok = ota("oem", "log", "--oem", oem.toString(), "--verify");
        assertEquals(0, ok.code(), ok::toString);
        assertTrue(ok.out().contains("earlier audit log " + earlier + " intact: 1 records"), ok.out());

        Files.writeString(earlier, Files.readString(earlier).replace("veh-1", "veh-2"));
        Result broken = ota("oem", "log", "--oem", oem.toString(), "--verify");
        assertEquals(3, broken.code(), broken::toString);
        assertTrue(broken.err().contains("earlier audit log " + earlier), broken.err());
    }

    @Test
    void checksAVehiclesLogAgainstTheHeadItReportedAndRefusesARewrittenOne() throws Exception {
        Path vehicleLog = dir.resolve("veh-1.log");
        Path oem = oemWithAReportedHead(vehicleLog);

        Result listed = ota("oem", "log", "--oem", oem.toString(), "--vehicle", "veh-1");
        assertEquals(0, listed.code(), listed::toString);
        assertTrue(listed.out().contains(AuditLog.read(vehicleLog).get(2).hash()), listed.out());
        Result matched = ota("oem", "log", "--oem", oem.toString(), "--vehicle", "veh-1", "--check", vehicleLog.toString());
        assertEquals(0, matched.code(), matched::toString);
        assertTrue(matched.out().startsWith("vehicle veh-1's log " + vehicleLog + " matches the OEM's 1 record(s) of it"),
                matched.out());

        Path rewritten = dir.resolve("rewritten.log");
        try (AuditLog log = AuditLog.open(rewritten, Clock.fixed(Fixtures.T0, ZoneOffset.UTC))) {
            for (int i = 0; i < 3; i++) {
                log.append(AuditRecord.builder(AuditEvent.INSTALL_COMMITTED).actor("ecu-host").detail("other " + i).build());
            }
        }
        Result refused = ota("oem", "log", "--oem", oem.toString(), "--vehicle", "veh-1", "--check", rewritten.toString());
        assertEquals(3, refused.code(), refused::toString);
        assertTrue(refused.err().startsWith("rejected (LOG_HEAD_MISMATCH): vehicle veh-1's log"), refused.err());

        Result none = ota("oem", "log", "--oem", oem.toString(), "--vehicle", "veh-9", "--check", vehicleLog.toString());
        assertEquals(4, none.code(), none::toString);
        assertTrue(none.err().startsWith("rejected (NO_ANCHORS)"), none.err());
        assertEquals(2, ota("oem", "log", "--oem", oem.toString(), "--check", vehicleLog.toString()).code());
    }
}
