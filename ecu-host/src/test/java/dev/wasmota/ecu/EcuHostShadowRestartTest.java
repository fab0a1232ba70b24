package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.records;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shadow across a restart of its vehicle: not resumed, but concluded as discarded when the host
 * opens again, the restart named, logged, its instruction handed to the routes once to answer and
 * recorded as carried out (a replay cannot start it again); the active version runs on.
 */
class EcuHostShadowRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ShadowDelivery LONG = new ShadowDelivery(10_000_000, 1_000_000, 10_000_000, List.of());

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v2;

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v2 = kit.healthy("2.0.0", 2);
    }

    private static byte[] instruction() {
        Instruction i = new Instruction("ins-2", "camp-1", HostTestKit.ECU_A.vehicleId(), HEALTHY, Digests.sha256Hex(v2), 2,
                Fixtures.T0, Fixtures.T0.plus(Duration.ofDays(1)), "0123456789abcdef0123456789abcdef", Optional.of(LONG));
        return SignedInstruction.sign(i, kit.fx.oem.campaign().key(), kit.fx.oem.campaign().cert(), kit.fx.clock);
    }

    @Test
    void aShadowEndedByARestartIsConcludedAsDiscardedAndAnsweredOnce() throws InterruptedException {
        byte[] instruction = instruction();
        try (EcuHost host = kit.open(state)) {
            host.shadowBudget(new ShadowBudget(1024, 64));
            host.install(v1, InstallContext.manual());
            host.config().environment().can().set(0x120, 42);
            host.start();
            assertTrue(host.awaitStarted(WAIT));
            host.startShadow(v2, InstallContext.instructed(instruction, "ota-routes"), ShadowSpec.of(LONG));
            await(WAIT, "compared ticks", () -> host.shadow(HEALTHY).orElseThrow().compared() >= 3);
            assertTrue(Files.exists(state.resolve(ShadowMarkers.DIR).resolve(HEALTHY + ".json")), "recorded durably");
        }

        try (EcuHost host = kit.open(state)) {
            ShadowReport r = host.shadow(HEALTHY).orElseThrow();
            assertEquals(ShadowReport.State.DISCARDED, r.state());
            assertEquals("2.0.0", r.shadowVersion());
            assertTrue(r.reason().contains("the vehicle restarted while it ran beside 1.0.0"), r.reason());
            assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), "the active version runs on");
            AuditRecord logged = records(host).stream().filter(a -> a.event() == AuditEvent.SHADOW_DISCARDED)
                    .reduce((a, b) -> b).orElseThrow();
            assertEquals("RESTARTED", logged.cause());
            Map<String, byte[]> toAnswer = host.takeShadowsEndedByRestart();
            assertArrayEquals(instruction, toAnswer.get(HEALTHY));
            assertTrue(host.takeShadowsEndedByRestart().isEmpty(), "handed over once");
            host.shadowBudget(new ShadowBudget(1024, 64));
            host.start();
            assertTrue(host.awaitStarted(WAIT));
            assertRejected(InstructionFailure.REPLAYED, 4, () -> host.startShadow(v2,
                    InstallContext.instructed(instruction, "ota-routes"), ShadowSpec.of(LONG)));
            assertLogVerifies(host);
        }

        try (EcuHost host = kit.open(state)) {
            assertTrue(host.shadow(HEALTHY).isEmpty(), "concluded once: nothing left for the next restart");
            assertTrue(host.takeShadowsEndedByRestart().isEmpty());
        }
    }

    @Test
    void aShadowEndedByAnotherInstallBeforeTheRestartLeavesNothingToConclude() throws InterruptedException {
        byte[] v11 = kit.released("healthy_v1.wasm", HostTestKit.spec(HEALTHY, "1.1.0", 1, HostTestKit.HEALTHY_CAPS));
        try (EcuHost host = kit.open(state)) {
            host.shadowBudget(new ShadowBudget(1024, 64));
            host.install(v1, InstallContext.manual());
            host.start();
            assertTrue(host.awaitStarted(WAIT));
            host.startShadow(v2, InstallContext.instructed(instruction(), "ota-routes"), ShadowSpec.of(LONG));
            host.install(v11, InstallContext.manual());
            assertEquals(ShadowReport.State.DISCARDED, host.shadow(HEALTHY).orElseThrow().state());
        }
        try (EcuHost host = kit.open(state)) {
            assertTrue(host.shadow(HEALTHY).isEmpty(), "its end was logged and answered then, not again as a restart");
            assertTrue(host.takeShadowsEndedByRestart().isEmpty());
        }
    }

    @Test
    void aShadowConcludedBeforeTheRestartLeavesNothingToConclude() throws InterruptedException {
        try (EcuHost host = kit.open(state)) {
            host.shadowBudget(new ShadowBudget(1024, 64));
            host.install(v1, InstallContext.manual());
            host.start();
            assertTrue(host.awaitStarted(WAIT));
            host.startShadow(v2, InstallContext.instructed(instruction(), "ota-routes"), ShadowSpec.of(LONG));
            host.discardShadow(HEALTHY, "operator", "enough");
        }
        try (EcuHost host = kit.open(state)) {
            assertTrue(host.shadow(HEALTHY).isEmpty());
            assertTrue(host.takeShadowsEndedByRestart().isEmpty());
        }
    }
}
