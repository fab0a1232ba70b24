package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline commands' help and refusals: {@code oem serve}, {@code supplier submit}, {@code ecu serve}, {@code broker}. */
class PipelineCliTest {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path pkg;

    @BeforeAll
    static void fixtures() {
        cli = new EcuCli(dir);
        pkg = cli.write(cli.supplierSigned("healthy_v1.wasm", EcuCli.spec("healthy", "1.0.0", EcuCli.HEALTHY_CAPS)),
                "healthy-signed.wotapkg");
    }

    private static Result ota(String... args) {
        return cli.ota(Clock.systemUTC(), args);
    }

    @Test
    void everyPipelineCommandPrintsHelpNamingItsOptions() {
        Map<List<String>, List<String>> options = Map.of(
                List.of("oem", "serve"), List.of("--oem", "--broker", "--broker-port", "--tls", "--worker", "--db",
                        "--metrics-port", "--set", "--max-message-size", "--retire"),
                List.of("supplier", "submit"), List.of("--package", "--vectors", "--broker", "--tls", "--no-wait", "--timeout"),
                List.of("ecu", "serve"), List.of("--state", "--trust", "--tls", "--broker", "--metrics-port", "--set"),
                List.of("broker"), List.of("--port", "--tls", "--max-message-size"));
        options.forEach((command, names) -> {
            Result r = ota(java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new));
            assertEquals(0, r.code(), r::toString);
            assertTrue(r.out().startsWith("Usage: ota " + String.join(" ", command)), r.out());
            names.forEach(n -> assertTrue(r.out().contains(n), command + " --help names " + n + ":\n" + r.out()));
        });
    }

    @Test
    void unknownSettingIsAUsageErrorListingTheKnownKeys() {
        for (String[] args : new String[][] {
                {"oem", "serve", "--oem", dir.resolve("oem").toString(), "--set", "ota.no.such=1"},
                {"supplier", "submit", "--package", pkg.toString(), "--set", "ota.no.such=1"}}) {
            Result r = ota(args);
            assertEquals(2, r.code(), r::toString);
            assertTrue(r.err().startsWith("usage error: unknown setting 'ota.no.such'"), r.err());
            assertTrue(r.err().contains("ota.topic.root") && r.err().contains("ota.oem.worker"), r.err());
        }
    }

    @Test
    void retireWithoutAWorkerIsAUsageError() {
        Result r = ota("oem", "serve", "--oem", dir.resolve("oem").toString(), "--retire");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("--retire needs --worker NAME"), r.err());
    }

    @Test
    void settingThatIsNotANumberIsAUsageError() {
        Result r = ota("oem", "serve", "--oem", dir.resolve("oem").toString(), "--set", "ota.mqtt.qos=high");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("ota.mqtt.qos"), r.err());
    }

    @Test
    void submitToABrokerWhereNothingListensExitsTwoWithOneLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = ota("supplier", "submit", "--package", pkg.toString(), "--broker", "tcp://127.0.0.1:" + port);
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), () -> "one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("rejected (BROKER_UNAVAILABLE): "), r.err());
        assertTrue(r.err().contains("127.0.0.1:" + port), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in"), r.err());
    }

    @Test
    void submitRefusesAnUnsignedPackage() {
        Path unsigned = cli.write(cli.fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), "healthy-unsigned.wotapkg");
        Result r = EcuCli.assertRefused(3, ota("supplier", "submit", "--package", unsigned.toString()));
        assertTrue(r.err().startsWith("rejected (UNSIGNED): "), r.err());
    }

    @Test
    void ecuServeRefusesAnotherVehiclesCertificate() throws IOException {
        Path state = dir.resolve("veh-1-state");
        HostIdentity.provision(state, Optional.of(new HostIdentity("ecu-a", "veh-1")));
        Path tls = dir.resolve("veh-2-tls");
        TlsMaterial.of(cli.fx.oem.issueClient(ClientKind.VEHICLE, "veh-2"), List.of(), cli.fx.oem.root().cert()).writePem(tls);
        Result r = EcuCli.assertRefused(3, ota("ecu", "serve", "--state", state.toString(), "--trust", cli.trust.toString(),
                "--tls", tls.toString()));
        assertTrue(r.err().startsWith("rejected (CREDENTIAL_NAME_MISMATCH): "), r.err());
        assertTrue(r.err().contains("vehicle/veh-2") && r.err().contains("vehicle/veh-1"), r.err());
    }

    @Test
    void ecuServeNeedsAProvisionedState() {
        Result r = ota("ecu", "serve", "--state", dir.resolve("never-installed").toString(), "--trust", cli.trust.toString(),
                "--tls", dir.resolve("none").toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains(HostIdentity.FILE), r.err());
    }
}
