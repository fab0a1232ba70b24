package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's statement commands through the management API ({@code --api URL --tls DIR}): the
 * RXSWIN register, a release's RXSWIN change and update record, a vehicle's configuration and a
 * campaign's user notice print what the same command prints with {@code --oem}, each statement
 * audited as the operator; refusals carry the local command's reason, message and exit code.
 */
class RegulatoryApiCliTest extends ApiCliTestBase {
    @Test
    void theRxswinCommandsPrintWhatTheyPrintLocally() {
        String api = "--api";
        CampaignCli.Result a1 = ok("rxswin", "define", api, url, "--tls", operator.toString(), "--hardware", "ecu-a",
                "--rxswin", "R-A1", "--module", "healthy@1.0.0", "--description", "approved 2026");
        assertTrue(a1.out().startsWith("RXSWIN R-A1 of hardware ecu-a: healthy@1.0.0 (defined "), a1.out());
        ok("rxswin", "define", api, url, "--tls", operator.toString(), "--hardware", "ecu-a", "--rxswin", "R-A2",
                "--module", "healthy@2.0.0");
        String list = ok("rxswin", "list", api, url, "--tls", viewer.toString()).out();
        assertTrue(list.contains("R-A1                     healthy@1.0.0  (approved 2026)"), list);
        assertEquals(ok("rxswin", "list", "--oem", oem).out(), list);
        assertEquals(ok("rxswin", "list", "--oem", oem, "--hardware", "ecu-b").out(),
                ok("rxswin", "list", api, url, "--tls", viewer.toString(), "--hardware", "ecu-b").out());

        assertEquals(ok("rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0").out(),
                ok("rxswin", "release", api, url, "--tls", viewer.toString(), "--release", "healthy@2.0.0").out());
        CampaignCli.Result stated = ok("rxswin", "release", api, url, "--tls", operator.toString(), "--release",
                "healthy@2.0.0", "--from", "R-A1", "--to", "R-A2", "--reason", "brake filter", "--requires", "healthy>=1.0.0");
        assertTrue(stated.out().startsWith("release healthy@2.0.0 changes RXSWIN R-A1 -> R-A2 (brake filter); requires"
                + " healthy>=1.0.0; stated "), stated.out());
        assertEquals(ok("rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0").out(), stated.out());
        assertTrue(ws.trail().records(AuditEvent.RXSWIN_STATED).stream().allMatch(r -> "operator/alice".equals(r.actor())));

        assertEquals(ok("rxswin", "vehicle", "--oem", oem, "--vehicle", "veh-1").out(),
                ok("rxswin", "vehicle", api, url, "--tls", viewer.toString(), "--vehicle", "veh-1").out());

        CampaignCli.Result remote = cli.run("rxswin", "define", api, url, "--tls", operator.toString(), "--hardware", "ecu-a",
                "--rxswin", "R-A1", "--module", "healthy@2.0.0");
        CampaignCli.Result local = cli.run("rxswin", "define", "--oem", oem, "--hardware", "ecu-a", "--rxswin", "R-A1",
                "--module", "healthy@2.0.0");
        assertEquals(4, remote.code(), remote.err());
        assertEquals(local.err(), remote.err());
        assertTrue(remote.err().startsWith("rejected (RXSWIN_CONFLICT): RXSWIN R-A1 of hardware ecu-a"), remote.err());
        CampaignCli.Result mismatch = cli.run("rxswin", "release", api, url, "--tls", operator.toString(), "--release",
                "healthy@2.0.0", "--from", "R-A2", "--to", "R-A1", "--reason", "x");
        assertEquals(4, mismatch.code(), mismatch.err());
        assertTrue(mismatch.err().startsWith("rejected (RXSWIN_MISMATCH)"), mismatch.err());

        long records = ws.trail().size();
        CampaignCli.Result forbidden = cli.run("rxswin", "define", api, url, "--tls", viewer.toString(), "--hardware",
                "ecu-a", "--rxswin", "R-A3", "--module", "healthy@2.0.0");
        assertEquals(4, forbidden.code(), forbidden.err());
        assertTrue(forbidden.err().startsWith("rejected (FORBIDDEN): viewer/bob is a viewer"), forbidden.err());
        assertEquals(records, ws.trail().size());
        assertEquals(2, ws.rxswin("test").list(Optional.empty()).size());
    }

    @Test
    void theNoticeCommandStatesThroughTheApiUntilTheCampaignStarts() {
        assertEquals(ok("campaign", "notice", "--oem", oem, "--campaign", "c1").out(),
                ok("campaign", "notice", "--api", url, "--tls", viewer.toString(), "--campaign", "c1").out());
        CampaignCli.Result stated = ok("campaign", "notice", "--api", url, "--tls", operator.toString(), "--campaign", "c1",
                "--purpose", "Better brake warning", "--duration", "10m", "--unavailable", "cruise control");
        assertEquals("campaign c1 tells its users: Update: Better brake warning; takes about 10 min; unavailable meanwhile:"
                + " cruise control", stated.out().strip());
        assertEquals(stated.out(), ok("campaign", "notice", "--oem", oem, "--campaign", "c1").out());
        ok("campaign", "start", "--api", url, "--tls", operator.toString(), "--campaign", "c1");
        CampaignCli.Result remote = cli.run("campaign", "notice", "--api", url, "--tls", operator.toString(), "--campaign",
                "c1", "--purpose", "something else");
        CampaignCli.Result local = cli.run("campaign", "notice", "--oem", oem, "--campaign", "c1", "--purpose", "something else");
        assertEquals(4, remote.code(), remote.err());
        assertEquals(local.err(), remote.err());
        assertTrue(remote.err().startsWith("rejected (RECORD_FROZEN)"), remote.err());
    }

    @Test
    void theReleaseRecordCommandStatesThroughTheApi() throws Exception {
        Path record = dir.resolve("record.json");
        Files.writeString(record, RECORD);
        assertEquals(ok("release", "record", "--oem", oem, "--release", "healthy@2.0.0").out(),
                ok("release", "record", "--api", url, "--tls", viewer.toString(), "--release", "healthy@2.0.0").out());
        CampaignCli.Result stated = ok("release", "record", "--api", url, "--tls", operator.toString(), "--release",
                "healthy@2.0.0", "--record", record.toString());
        assertTrue(stated.out().startsWith("update record of release healthy@2.0.0: sha256 "), stated.out());
        assertTrue(stated.out().strip().endsWith(", complete"), stated.out());
        String read = ok("release", "record", "--api", url, "--tls", viewer.toString(), "--release", "healthy@2.0.0").out();
        assertEquals(ok("release", "record", "--oem", oem, "--release", "healthy@2.0.0").out(), read);
        assertTrue(read.endsWith(stated.out()), read);
        assertTrue(ws.trail().records(AuditEvent.UPDATE_RECORD_STATED).stream().anyMatch(r -> "operator/alice".equals(r.actor())));

        Files.writeString(record, RECORD.replace("\"purpose\"", "\"porpoise\""));
        CampaignCli.Result remote = cli.run("release", "record", "--api", url, "--tls", operator.toString(), "--release",
                "healthy@2.0.0", "--record", record.toString());
        CampaignCli.Result local = cli.run("release", "record", "--oem", oem, "--release", "healthy@2.0.0", "--record",
                record.toString());
        assertEquals(4, remote.code(), remote.err());
        assertEquals(local.err(), remote.err());
        assertEquals(read, ok("release", "record", "--oem", oem, "--release", "healthy@2.0.0").out());
    }

    static final String RECORD = "{\"format\":\"wasmota-update-record/1\",\"purpose\":\"Brake temperature estimate\","
            + "\"affectedSystems\":[\"braking\"],\"affectedFunctions\":[\"brake temperature warning\"],"
            + "\"typeApprovalRelevant\":true,\"impactAssessment\":\"threshold unchanged\",\"authorityApprovalSought\":true,"
            + "\"authorityReference\":\"KBA-2026-0815\",\"executionMethod\":\"over the air, A/B slots\","
            + "\"executionConditions\":\"vehicle stationary\",\"safeExecutionConfirmed\":true}";
}
