package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pkg.AcceptanceVectors;
import dev.wasmota.signing.pkg.AcceptanceVectors.Case;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance on the vehicle: the OEM's countersignature carries a few intake vectors with their
 * results; the host runs them on its own compiled code before it commits, and refuses the install
 * (exit 5, the case named, the active slot unchanged) when one differs.
 */
class EcuHostAcceptanceTest {
    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;

    /** What healthy_v1 does: scale(x) = 2x, and 100 ticks count 100. */
    private static final AcceptanceVectors V1_BEHAVIOUR = new AcceptanceVectors(List.of(
            new Case(0, "", "version", List.of(), Optional.of(List.of(1L)), 1, Map.of()),
            new Case(1, "double", "scale", List.of(21L), Optional.of(List.of(42L)), 1, Map.of()),
            new Case(2, "", "tick", List.of(), Optional.empty(), 100, Map.of(0x120, 42L)),
            new Case(3, "", "ticks", List.of(), Optional.of(List.of(100L)), 1, Map.of())));

    @BeforeAll
    static void oem() {
        kit = new HostTestKit(pki);
    }

    @Test
    void vectorsThatHoldOnTheVehicleLetTheInstallCommitAndAreLogged() {
        byte[] v1 = kit.stated("healthy_v1.wasm", spec(HEALTHY, "1.0.0", 1, HEALTHY_CAPS), V1_BEHAVIOUR);
        try (EcuHost host = kit.open(state)) {
            InstallResult r = host.install(v1, InstallContext.manual());

            assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
            String staged = only(records(host), AuditEvent.INSTALL_STAGED).detail();
            assertTrue(staged.contains("4 acceptance cases (103 calls) passed on this vehicle's compiled code"), staged);
        }
    }

    /**
     * The OEM's release key signs an expectation that v2's code does not meet (v1's scale): what a
     * miscompile on the vehicle looks like from there. Refused by behaviour, with the case named.
     */
    @Test
    void aVectorMismatchOnTheVehicleRefusesTheInstallWithExitFiveNamingTheCase() {
        byte[] v1 = kit.stated("healthy_v1.wasm", spec(HEALTHY, "1.0.0", 1, HEALTHY_CAPS), V1_BEHAVIOUR);
        byte[] v2 = kit.stated("healthy_v2.wasm", spec(HEALTHY, "2.0.0", 2, HEALTHY_CAPS), new AcceptanceVectors(
                List.of(new Case(0, "", "version", List.of(), Optional.of(List.of(2L)), 1, Map.of()),
                        new Case(1, "double", "scale", List.of(21L), Optional.of(List.of(42L)), 1, Map.of()))));
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            int before = records(host).size();

            RejectedException e = assertRejected(AcceptanceFailure.ACCEPTANCE_VECTOR_FAILED, 5,
                    () -> host.install(v2, InstallContext.manual()));

            assertTrue(e.getMessage().contains("acceptance case 1 (double)"), e.getMessage());
            assertTrue(e.getMessage().contains("expected [42], got [64]"), e.getMessage());
            assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), "the active slot is unchanged");
            List<AuditRecord> after = records(host).subList(before, records(host).size());
            AuditRecord refused = only(after, AuditEvent.INSTALL_REFUSED);
            assertEquals(AcceptanceFailure.ACCEPTANCE_VECTOR_FAILED.name(), refused.cause());
            assertTrue(after.stream().noneMatch(r -> r.event() == AuditEvent.INSTALL_STAGED), "nothing staged");
            assertLogVerifies(host);
        }
    }

    @Test
    void aCaseThatFaultsOnTheVehicleRefusesTheInstall() {
        AcceptanceVectors noSuchExport = new AcceptanceVectors(List.of(
                new Case(0, "", "calibrate", List.of(), Optional.empty(), 1, Map.of())));
        byte[] v1 = kit.stated("healthy_v1.wasm", spec(HEALTHY, "1.0.0", 1, HEALTHY_CAPS), noSuchExport);
        try (EcuHost host = kit.open(state)) {
            RejectedException e = assertRejected(AcceptanceFailure.ACCEPTANCE_VECTOR_FAILED, 5,
                    () -> host.install(v1, InstallContext.manual()));

            assertTrue(e.getMessage().contains("exports no function 'calibrate'"), e.getMessage());
            assertTrue(host.modules().isEmpty(), "nothing installed");
        }
    }
}
