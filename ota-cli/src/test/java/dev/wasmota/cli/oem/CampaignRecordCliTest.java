package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.policy.OemPolicy;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota oem campaign create --record} and {@code ota oem campaign record}: the update record gates the start. */
class CampaignRecordCliTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Fixtures fx;
    CampaignCli cli;
    String oem;
    Path pkg;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        oem = dir.resolve("oem").toString();
        cli = new CampaignCli(new CliEnv(new MutableClock(Fixtures.T0), Fixtures.seeded(7)));
        pkg = dir.resolve("healthy-2.0.0.wotapkg");
        PackageFile.write(pkg, CampaignKit.healthy(fx, "2.0.0", 2, "healthy_v2.wasm"));
        Files.writeString(dir.resolve("healthy-2.0.0.wotapkg.report.json"), "{\"accepted\":true}");
        Files.writeString(dir.resolve("oem").resolve(OemPolicy.FILE),
                "{\"format\":\"" + OemPolicy.FORMAT + "\",\"updateRecordRequired\":true}");
        ok("vehicle", "register", "--oem", oem, "--id", "veh-1", "--hardware", "ecu-a");
    }

    private CampaignCli.Result ok(String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private CampaignCli.Result refused(int code, String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(code, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        return r;
    }

    private Path record(String without) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(getClass().getResourceAsStream("/complete-record.json"));
        if (without != null) {
            o.remove(without);
        }
        Path f = dir.resolve("record-" + without + ".json");
        JSON.writeValue(f.toFile(), o);
        return f;
    }

    @Test
    void startRefusesACampaignWithoutARecordThenStartsOnceItIsStated() throws Exception {
        ok("campaign", "create", "--oem", oem, "--package", pkg.toString(), "--vehicles", "veh-1", "--waves", "100%",
                "--id", "c1");

        CampaignCli.Result r = refused(4, "campaign", "start", "--oem", oem, "--campaign", "c1");
        assertTrue(r.err().contains("NO_RECORD") && r.err().contains("has no update record"), r.err());

        ok("campaign", "record", "--oem", oem, "--campaign", "c1", "--record", record(null).toString());
        assertTrue(ok("campaign", "start", "--oem", oem, "--campaign", "c1").out().contains("RUNNING"));
    }

    @Test
    void startNamesTheFieldAnIncompleteRecordLacks() throws Exception {
        CampaignCli.Result created = ok("campaign", "create", "--oem", oem, "--package", pkg.toString(), "--vehicles",
                "veh-1", "--waves", "100%", "--id", "c1", "--record", record("impactAssessment").toString());
        assertTrue(created.out().contains("lacks impactAssessment: not stated"), created.out());

        CampaignCli.Result r = refused(4, "campaign", "start", "--oem", oem, "--campaign", "c1");

        assertTrue(r.err().contains("INCOMPLETE_RECORD") && r.err().contains("lacks impactAssessment:"), r.err());
        assertTrue(ok("campaign", "record", "--oem", oem, "--campaign", "c1").out().contains("lacks impactAssessment"));
    }

    @Test
    void aCampaignInheritsItsReleasesRecordAndCompletesIt() throws Exception {
        ok("campaign", "create", "--oem", oem, "--package", pkg.toString(), "--vehicles", "veh-1", "--waves", "100%",
                "--id", "c1");
        CampaignCli.Result stated = ok("release", "record", "--oem", oem, "--release", "healthy@2.0.0", "--record",
                record("executionConditions").toString());
        assertTrue(stated.out().contains("update record of release healthy@2.0.0: sha256 ")
                && stated.out().contains("lacks executionConditions"), stated.out());

        CampaignCli.Result r = refused(4, "campaign", "start", "--oem", oem, "--campaign", "c1");
        assertTrue(r.err().contains("INCOMPLETE_RECORD") && r.err().contains("lacks executionConditions:"), r.err());

        Path own = dir.resolve("own.json");
        Files.writeString(own, "{\"format\":\"" + dev.wasmota.oem.record.UpdateRecord.FORMAT
                + "\",\"executionConditions\":\"parked, ignition off\"}");
        ok("campaign", "record", "--oem", oem, "--campaign", "c1", "--record", own.toString());
        assertTrue(ok("campaign", "start", "--oem", oem, "--campaign", "c1").out().contains("RUNNING"));
        CampaignCli.Result frozen = refused(4, "release", "record", "--oem", oem, "--release", "healthy@2.0.0", "--record",
                record(null).toString());
        assertTrue(frozen.err().contains("RECORD_FROZEN"), frozen.err());
    }

    @Test
    void aMalformedRecordRefusesTheCreateBeforeAnythingIsWritten() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\":\"" + dev.wasmota.oem.record.UpdateRecord.FORMAT + "\",\"purpose\":42}");

        CampaignCli.Result r = refused(4, "campaign", "create", "--oem", oem, "--release", "healthy@2.0.0",
                "--vehicles", "veh-1", "--waves", "100%", "--id", "c1", "--record", bad.toString());

        assertTrue(r.err().contains("MALFORMED_RECORD") && r.err().contains("purpose is not text"), r.err());
        refused(4, "campaign", "status", "--oem", oem, "--campaign", "c1");
    }
}
