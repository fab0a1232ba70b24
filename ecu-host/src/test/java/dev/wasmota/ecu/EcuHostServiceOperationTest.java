package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.after;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.eventsOf;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs without a campaign instruction, rollbacks and confirmations by hand are service
 * operations: logged as such, and refused (a security event) when the ECU's policy forbids them.
 */
class EcuHostServiceOperationTest {
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

    private byte[] instruction(byte[] pkg, long counter) {
        Instruction i = new Instruction("ins-" + counter, "camp-1", HostTestKit.ECU_A.vehicleId(), HEALTHY,
                Digests.sha256Hex(pkg), counter, Fixtures.T0, Fixtures.T0.plus(Duration.ofDays(1)),
                "0123456789abcdef0123456789abcdef");
        return SignedInstruction.sign(i, kit.fx.oem.campaign().key(), kit.fx.oem.campaign().cert(), kit.fx.clock);
    }

    @Test
    void anInstallWithoutAnInstructionIsLoggedAsAServiceOperation() {
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());

            List<AuditRecord> log = records(host);
            for (AuditEvent e : List.of(AuditEvent.VERIFY, AuditEvent.INSTALL_STAGED, AuditEvent.INSTALL_COMMITTED)) {
                assertEquals(HostAudit.SERVICE_OPERATION, only(log, e).preconditions().get("authorization"), e.name());
            }
            assertTrue(only(log, AuditEvent.INSTALL_COMMITTED).detail().endsWith("a service operation (no campaign instruction)"),
                    only(log, AuditEvent.INSTALL_COMMITTED).detail());
        }
    }

    @Test
    void anInstructedInstallIsLoggedAsAuthorizedByItsInstruction() {
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.instructed(instruction(v1, 1), "ota-routes"));

            AuditRecord committed = only(records(host), AuditEvent.INSTALL_COMMITTED);
            assertEquals(HostAudit.BY_INSTRUCTION, committed.preconditions().get("authorization"));
            assertTrue(!committed.detail().contains("service operation"), committed.detail());
        }
    }

    @Test
    void aPolicyForbiddingServiceOperationsRefusesThemAsSecurityEventsAndLetsInstructionsThrough() throws Exception {
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
        }
        HostPolicy.provision(state, false);
        try (EcuHost host = kit.open(state)) {
            int before = records(host).size();
            RejectedException e = assertRejected(UpdateFailure.SERVICE_OPERATION_FORBIDDEN, 4,
                    () -> host.install(v2, InstallContext.manual()));
            assertTrue(e.getMessage().contains("this ECU's policy forbids them"), e.getMessage());
            List<AuditRecord> added = after(records(host), before);
            assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INSTALL_REFUSED), eventsOf(added));
            assertEquals("SERVICE_OPERATION_FORBIDDEN", added.get(1).cause());
            assertEquals("1.0.0", host.modules().get(0).activeMetadata().version());

            assertEquals(InstallResult.Outcome.COMMITTED,
                    host.install(v2, InstallContext.instructed(instruction(v2, 1), "ota-routes")).outcome());

            before = records(host).size();
            assertRejected(UpdateFailure.SERVICE_OPERATION_FORBIDDEN, 4, () -> host.rollback(HEALTHY, "cli"));
            assertRejected(UpdateFailure.SERVICE_OPERATION_FORBIDDEN, 4, () -> host.confirm(HEALTHY, "cli"));
            List<AuditRecord> refused = after(records(host), before);
            assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.ROLLBACK, AuditEvent.SECURITY_EVENT,
                    AuditEvent.CONFIRMED), eventsOf(refused));
            assertTrue(refused.stream().allMatch(r -> r.outcome() == Outcome.REFUSED), refused.toString());
            assertEquals("2.0.0", host.modules().get(0).activeMetadata().version());
            assertEquals(1, host.floor(HEALTHY));
            assertLogVerifies(host);
        }
    }

    @Test
    void anUnreadablePolicyForbidsServiceOperationsAndSaysWhy() throws Exception {
        Files.createDirectories(state);
        Files.writeString(state.resolve(HostPolicy.FILE), "{\"serviceOperations\":\"sometimes\"}");
        try (EcuHost host = kit.open(state)) {
            RejectedException e = assertRejected(UpdateFailure.SERVICE_OPERATION_FORBIDDEN, 4,
                    () -> host.install(v1, InstallContext.manual()));
            assertTrue(e.getMessage().contains("is unreadable (serviceOperations is 'sometimes'"), e.getMessage());
        }
    }

    @Test
    void policyFileRoundTrips() throws Exception {
        assertTrue(HostPolicy.load(state).serviceOperations(), "no file: allowed");
        HostPolicy.provision(state, false);
        assertEquals(false, HostPolicy.load(state).serviceOperations());
        HostPolicy.provision(state, true);
        assertEquals(true, HostPolicy.load(state).serviceOperations());
        Files.writeString(state.resolve(HostPolicy.FILE), "{\"serviceOperations\":\"allowed\",\"extra\":1}");
        assertEquals(false, HostPolicy.load(state).serviceOperations(), "an unknown field: fail closed");
        Files.writeString(state.resolve(HostPolicy.FILE), "not json");
        assertEquals(false, HostPolicy.load(state).serviceOperations(), "not JSON: fail closed");
    }
}
