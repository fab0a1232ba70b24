package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.ShadowCommand;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.instruction.SignedShadowCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's signed shadow command on the vehicle: it promotes (through the install path) or
 * discards only the running shadow its campaign instruction started; an unsigned, other-vehicle,
 * mismatched or replayed command is refused and logged, the shadow left as it was.
 */
class EcuHostShadowCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Never decided by its rule within a test: only the operator concludes it. */
    private static final ShadowDelivery LONG = new ShadowDelivery(10_000_000, 1_000_000, 10_000_000, List.of());

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v2;
    private EcuHost host;
    private SimulatedCanBus vehicleBus;
    private byte[] shadowInstruction;

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v2 = kit.healthy("2.0.0", 2);
    }

    @BeforeEach
    void v2ShadowsV1() throws InterruptedException {
        host = kit.open(state);
        host.shadowBudget(new ShadowBudget(1024, 64));
        host.install(v1, InstallContext.manual());
        vehicleBus = host.config().environment().can();
        vehicleBus.set(0x120, 42);
        host.start();
        assertTrue(host.awaitStarted(WAIT));
        shadowInstruction = instruction("ins-2", 2, v2);
        host.startShadow(v2, InstallContext.instructed(shadowInstruction, "ota-routes"), ShadowSpec.of(LONG));
        await(WAIT, "compared ticks", () -> host.shadow(HEALTHY).orElseThrow().compared() >= 5);
    }

    @AfterEach
    void close() {
        host.close();
    }

    private static byte[] instruction(String id, long counter, byte[] pkg) {
        Instruction i = new Instruction(id, "camp-1", HostTestKit.ECU_A.vehicleId(), HEALTHY, Digests.sha256Hex(pkg), counter,
                Fixtures.T0, Fixtures.T0.plus(Duration.ofDays(1)), "0123456789abcdef0123456789abcdef", Optional.of(LONG));
        return SignedInstruction.sign(i, kit.fx.oem.campaign().key(), kit.fx.oem.campaign().cert(), kit.fx.clock);
    }

    private static ShadowCommand command(String id, String vehicle, String instructionId, ShadowCommand.Action action) {
        return new ShadowCommand(id, "camp-1", vehicle, HEALTHY, instructionId, action, "speed signal off on the highway",
                Fixtures.T0, Fixtures.T0.plus(Duration.ofHours(1)), "00112233445566778899aabbccddeeff");
    }

    private static byte[] signed(ShadowCommand c) {
        return SignedShadowCommand.sign(c, kit.fx.oem.campaign().key(), kit.fx.oem.campaign().cert(), kit.fx.clock);
    }

    @Test
    void aDiscardCommandDiscardsTheShadowWithTheOperatorsReasonAndAReplayIsRefused() {
        byte[] discard = signed(command("cmd-1", "vin-1", "ins-2", ShadowCommand.Action.DISCARD));

        ShadowReport r = host.shadowCommand(discard);

        assertEquals(ShadowReport.State.DISCARDED, r.state());
        assertTrue(r.reason().contains("discarded by the operator (campaign camp-1, command cmd-1): speed signal off"),
                r.reason());
        assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), "the active version kept");
        assertTrue(host.running(HEALTHY).isPresent());
        assertTrue(vehicleBus.writes().stream().noneMatch(f -> f.value() == 127), "the shadow's writes never actuated");
        AuditRecord discarded = records(host).stream().filter(a -> a.event() == AuditEvent.SHADOW_DISCARDED)
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("operator:cmd-1", discarded.actor());

        assertRejected(ShadowFailure.STALE_COMMAND, 4, () -> host.shadowCommand(discard));
        assertRejected(InstructionFailure.REPLAYED, 4, () -> host.startShadow(v2,
                InstallContext.instructed(shadowInstruction, "ota-routes"), ShadowSpec.of(LONG)));
        assertTrue(records(host).stream().anyMatch(a -> a.event() == AuditEvent.SHADOW_COMMAND_REFUSED
                && "STALE_COMMAND".equals(a.cause())), "the replay is logged");
        assertLogVerifies(host);
    }

    @Test
    void aPromoteCommandCommitsTheShadowThroughTheInstallPath() {
        ShadowReport r = host.shadowCommand(signed(command("cmd-2", "vin-1", "ins-2", ShadowCommand.Action.PROMOTE)));

        assertEquals(ShadowReport.State.PROMOTED, r.state(), r.summary());
        assertTrue(r.reason().contains("promoted by the operator (campaign camp-1, command cmd-2)"), r.reason());
        assertEquals("2.0.0", host.modules().get(0).activeMetadata().version());
        List<AuditRecord> log = records(host);
        assertTrue(log.stream().anyMatch(a -> a.event() == AuditEvent.INSTALL_COMMITTED && "2.0.0".equals(a.toVersion())
                && "operator:cmd-2".equals(a.actor())), "committed by the normal install path, naming the command");
        assertTrue(log.stream().anyMatch(a -> a.event() == AuditEvent.SHADOW_PROMOTED && "operator:cmd-2".equals(a.actor())));
        assertLogVerifies(host);
    }

    @Test
    void forgedOtherVehicleAndMismatchedCommandsAreRefusedAndTheShadowRunsOn() {
        ShadowCommand promote = command("cmd-3", "vin-1", "ins-2", ShadowCommand.Action.PROMOTE);
        byte[] forged = SignedShadowCommand.sign(promote, kit.fx.oem.release().key(), kit.fx.oem.release().cert(),
                kit.fx.clock);
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, 3, () -> host.shadowCommand(forged));
        assertRejected(TrustFailure.BAD_SIGNATURE, 3, () -> host.shadowCommand(promote.canonicalBytes()));
        assertRejected(InstructionFailure.WRONG_VEHICLE, 4, () -> host.shadowCommand(signed(command("cmd-4", "vin-2", "ins-2",
                ShadowCommand.Action.PROMOTE))));
        assertRejected(ShadowFailure.STALE_COMMAND, 4, () -> host.shadowCommand(signed(command("cmd-5", "vin-1", "ins-1",
                ShadowCommand.Action.PROMOTE))));

        assertEquals(ShadowReport.State.RUNNING, host.shadow(HEALTHY).orElseThrow().state());
        assertEquals("1.0.0", host.modules().get(0).activeMetadata().version());
        List<AuditRecord> refused = records(host).stream().filter(a -> a.event() == AuditEvent.SHADOW_COMMAND_REFUSED).toList();
        assertEquals(4, refused.size(), refused.toString());
        assertTrue(records(host).stream().anyMatch(a -> a.event() == AuditEvent.SECURITY_EVENT
                && "UNTRUSTED_SIGNER".equals(a.cause())), "a forged command is a security event");
    }
}
