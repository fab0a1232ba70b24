package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.api.ApiBackend;
import dev.wasmota.oem.api.ApiServer;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.pki.IssuedCredentials;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of the CLI's {@code --api} mode share: an OEM with two registered vehicles and
 * campaign {@code c1} (healthy 2.0.0, waves 1 and 2) created locally, the management API serving
 * it over HTTPS on a free port, and the credentials of an operator (alice) and a viewer (bob).
 */
abstract class ApiCliTestBase {
    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Fixtures.T0);
    CampaignCli cli;
    String oem;
    CampaignWorkspace ws;
    ApiServer server;
    String url;
    Path operator;
    Path viewer;

    @BeforeEach
    void startApi() throws Exception {
        Fixtures fx = new Fixtures(dir);
        oem = dir.resolve("oem").toString();
        cli = new CampaignCli(new CliEnv(clock, Fixtures.seeded(7)));
        Path v2 = dir.resolve("healthy-2.0.0.wotapkg");
        PackageFile.write(v2, CampaignKit.healthy(fx, "2.0.0", 2, "healthy_v2.wasm"));
        for (String v : List.of("veh-1", "veh-2")) {
            ok("vehicle", "register", "--oem", oem, "--id", v, "--hardware", "ecu-a");
        }
        ok("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles", "veh-1,veh-2", "--waves", "1,2",
                "--id", "c1");
        ws = CampaignWorkspace.open(dir.resolve("oem"), Optional.empty(), clock, Fixtures.seeded(8), "test");
        operator = dir.resolve("alice");
        viewer = dir.resolve("bob");
        IssuedCredentials.client(ws.pki(), ClientKind.OPERATOR, "alice").writeNew(operator);
        IssuedCredentials.client(ws.pki(), ClientKind.VIEWER, "bob").writeNew(viewer);
        TlsMaterial tls = TlsMaterial.of(ws.pki().issueBroker(List.of("localhost"), List.of("127.0.0.1")), List.of(),
                ws.pki().root().cert());
        server = ApiServer.start("127.0.0.1", 0, tls, ApiBackend.of(ws), clock);
        url = server.uri().toString();
    }

    @AfterEach
    void stopApi() {
        server.close();
        ws.close();
    }

    /** Runs an {@code ota oem} command that must succeed. */
    CampaignCli.Result ok(String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(0, r.code(), r.out() + r.err());
        return r;
    }
}
