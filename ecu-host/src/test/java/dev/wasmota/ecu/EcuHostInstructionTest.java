package dev.wasmota.ecu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ECU host refuses expired, replayed, wrong-vehicle and mismatched instructions (exit 4) and changes nothing. */
class EcuHostInstructionTest {
    @TempDir
    Path dir;
    Fixtures fx;
    EcuHost host;
    byte[] v1;
    byte[] v2;
    Instant now = Fixtures.T0.plusSeconds(30);

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        v1 = PackageFile.toBytes(fx.released());
        v2 = PackageFile.toBytes(fx.countersigned(fx.supplierSigned(fx.unsignedHealthy("2.0.0", "healthy_v2.wasm"), fx.acme)));
        host = open();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    EcuHost open() {
        return EcuHost.open(HostConfig.builder(dir.resolve("state"), fx.oem.trustStore())
                .identity(new HostIdentity("ecu-a", "vin-1")).clock(Clock.fixed(now, ZoneOffset.UTC)).build(),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    byte[] instruction(String vehicle, byte[] pkg, long counter, Instant expires) {
        Instruction i = new Instruction("ins-" + counter, "camp-1", vehicle, "healthy", Digests.sha256Hex(pkg), counter,
                Fixtures.T0, expires, "0123456789abcdef0123456789abcdef");
        return SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock);
    }

    byte[] instruction(byte[] pkg, long counter) {
        return instruction("vin-1", pkg, counter, Fixtures.T0.plus(Duration.ofDays(1)));
    }

    InstallResult install(byte[] pkg, byte[] instruction) {
        return host.install(pkg, InstallContext.instructed(instruction, "test"));
    }

    @Test
    void installsWithAValidInstructionAndRecordsCampaignAndInstructionInTheLog() {
        assertEquals(InstallResult.Outcome.COMMITTED, install(v1, instruction(v1, 1)).outcome());
        AuditRecord committed = records().stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED).findFirst().orElseThrow();
        assertEquals("camp-1", committed.campaignId());
        assertEquals("ins-1", committed.instructionId());
    }

    @Test
    void refusesExpiredInstructionAsFreezeAttack() {
        byte[] stale = instruction("vin-1", v1, 1, Fixtures.T0.plusSeconds(10));
        assertRefused(InstructionFailure.EXPIRED, () -> install(v1, stale));
    }

    @Test
    void refusesInstructionForAnotherVehicle() {
        assertRefused(InstructionFailure.WRONG_VEHICLE, () -> install(v1, instruction("vin-2", v1, 1, Fixtures.T0.plus(Duration.ofDays(1)))));
    }

    @Test
    void refusesInstructionNamingAnotherPackage() {
        assertRefused(InstructionFailure.PACKAGE_MISMATCH, () -> install(v2, instruction(v1, 1)));
    }

    @Test
    void refusesReplayOfAnOlderInstructionAfterANewerOne() {
        install(v1, instruction(v1, 1));
        install(v2, instruction(v2, 2));
        assertRefused(InstructionFailure.REPLAYED, () -> install(v1, instruction(v1, 1)));
        assertEquals("2.0.0", host.modules().get(0).activeMetadata().version());
    }

    @Test
    void redeliveryOfTheLastInstructionChangesNothing() {
        byte[] ins = instruction(v1, 1);
        install(v1, ins);
        long records = records().size();
        assertEquals(InstallResult.Outcome.ALREADY_ACTIVE, install(v1, ins).outcome());
        assertEquals(records, records().size());
    }

    @Test
    void counterSurvivesARestart() {
        install(v1, instruction(v1, 1));
        install(v2, instruction(v2, 2));
        host.close();
        host = open();
        assertRefused(InstructionFailure.REPLAYED, () -> install(v1, instruction(v1, 2)));
    }

    void assertRefused(Reason reason, org.junit.jupiter.api.function.Executable call) {
        var before = host.modules();
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertEquals(before, host.modules(), "no slot changed");
        List<AuditRecord> log = records();
        assertEquals(AuditEvent.INSTALL_REFUSED, log.get(log.size() - 1).event());
        assertEquals(AuditEvent.SECURITY_EVENT, log.get(log.size() - 2).event());
        assertEquals(reason.name(), log.get(log.size() - 2).cause());
        assertTrue(AuditLog.verify(host.auditFile()).ok());
    }

    List<AuditRecord> records() {
        return AuditLog.read(host.auditFile());
    }
}
