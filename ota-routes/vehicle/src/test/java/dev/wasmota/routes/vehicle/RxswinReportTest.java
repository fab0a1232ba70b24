package dev.wasmota.routes.vehicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.RxswinState;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.StatusReportCodec;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.protocol.wire.VehicleConfiguration;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.transport.ServiceEvents;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vehicle knows its RXSWIN (issue 17): an instruction that changes it makes it the vehicle's
 * once its package commits, kept in the state directory, and every signed status report states
 * it with each module's version and digest; a refused install or a rollback never leaves an
 * RXSWIN the vehicle does not run.
 */
class RxswinReportTest {
    @TempDir
    Path dir;

    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0.plusSeconds(30));
    EcuHost host;
    Path state;
    UpdateHandler handler;
    byte[] v1;
    byte[] v2;
    int counter;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        state = dir.resolve("state");
        Files.createDirectories(state);
        host = EcuHost.open(HostConfig.builder(state, fx.oem.trustStore()).identity(new HostIdentity("ecu-a", "vin-1"))
                .clock(clock).build(), new PrintStream(OutputStream.nullOutputStream()));
        Credential key = fx.oem.issueClient(ClientKind.VEHICLE, "vin-1");
        ServiceEvents sink = e -> { };
        SentStatuses sent = new SentStatuses(state, "vin-1", key, clock, Duration.ZERO, sink);
        handler = new UpdateHandler(host, "vin-1", key, clock, new RollbackWatch(host, key, clock, sink, sent), sink, sent);
        v1 = PackageFile.toBytes(fx.released());
        v2 = PackageFile.toBytes(fx.countersigned(fx.supplierSigned(Packager.build(Fixtures.wasm("healthy_v2.wasm"),
                Fixtures.spec("healthy", "2.0.0", 2, Fixtures.HEALTHY_CAPS)), fx.acme)));
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private StatusReport deliver(byte[] pkg, String packageSha256, Optional<String> rxswin) throws Exception {
        counter++;
        Instruction i = new Instruction("ins-" + counter, "camp-1", "vin-1", "healthy", packageSha256, counter, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofHours(1)), "0123456789abcdef0123456789abcde" + counter, Optional.empty(), rxswin);
        byte[] update = new UpdateMessage(SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(),
                fx.clock), pkg).encode();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange ex = new DefaultExchange(camel);
            ex.getIn().setBody(update);
            handler.handle(ex);
            @SuppressWarnings("unchecked")
            List<byte[]> out = ex.getIn().getBody(List.class);
            return SignedStatus.open(out.get(0), fx.oem.trustStore(), clock.instant());
        }
    }

    @Test
    void theSignedStatusCarriesTheRxswinAndEachModulesVersionAndDigest() throws Exception {
        StatusReport r = deliver(v1, Digests.sha256Hex(v1), Optional.of("R-A1"));

        assertEquals(StatusReport.Result.COMMITTED, r.result());
        VehicleConfiguration c = r.configuration().orElseThrow();
        assertEquals(Optional.of("R-A1"), c.rxswin());
        assertEquals(new VehicleConfiguration.Module("1.0.0", Digests.sha256Hex(v1)), c.modules().get("healthy"));
        assertTrue(new String(StatusReportCodec.canonicalBytes(r), StandardCharsets.UTF_8)
                .contains("\"configuration\":{\"modules\":{\"healthy\":{\"packageSha256\":\"" + Digests.sha256Hex(v1)
                        + "\",\"version\":\"1.0.0\"}},\"rxswin\":\"R-A1\"}"), "signed, in the canonical report");
        assertTrue(Files.readString(state.resolve(RxswinState.FILE)).contains("\"current\":{\"moduleId\":\"healthy\","
                + "\"packageSha256\":\"" + Digests.sha256Hex(v1) + "\",\"rxswin\":\"R-A1\"}"), "kept in the state directory");
    }

    @Test
    void aRefusedInstallLeavesTheRxswinAndARollbackGoesBackToThePreviousOne() throws Exception {
        deliver(v1, Digests.sha256Hex(v1), Optional.of("R-A1"));

        StatusReport refused = deliver(v2, "00".repeat(32), Optional.of("R-A2"));
        assertEquals(StatusReport.Result.FAILED, refused.result());
        assertEquals(Optional.of("R-A1"), refused.configuration().orElseThrow().rxswin(), "the package never committed");

        StatusReport committed = deliver(v2, Digests.sha256Hex(v2), Optional.of("R-A2"));
        assertEquals(Optional.of("R-A2"), committed.configuration().orElseThrow().rxswin());

        host.rollback("healthy", "test");
        assertEquals(Optional.of("R-A1"), handler.configuration().rxswin(), "back to the package R-A1 names");
        assertEquals(Optional.of("R-A1"), RxswinState.in(state).peek(host.modules()));
    }

    @Test
    void anInstructionThatChangesNoRxswinKeepsTheVehiclesOwn() throws Exception {
        deliver(v1, Digests.sha256Hex(v1), Optional.of("R-A1"));

        StatusReport r = deliver(v2, Digests.sha256Hex(v2), Optional.empty());

        assertEquals(Optional.of("R-A1"), r.configuration().orElseThrow().rxswin());
        assertEquals("2.0.0", r.configuration().orElseThrow().modules().get("healthy").version());
    }

    @Test
    void aVehicleThatNeverHadOneReportsNoneAndStillItsModules() throws Exception {
        StatusReport r = deliver(v1, Digests.sha256Hex(v1), Optional.empty());

        assertEquals(Optional.empty(), r.configuration().orElseThrow().rxswin());
        assertEquals(1, r.configuration().orElseThrow().modules().size());
    }
}
