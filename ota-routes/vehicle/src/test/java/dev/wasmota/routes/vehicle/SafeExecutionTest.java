package dev.wasmota.routes.vehicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.safety.SafeExecution;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.LogSink;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import dev.wasmota.ecu.sandbox.SimulatedI2cBus;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * Safe execution on the vehicle: an instructed update whose preconditions (vehicle stationary,
 * supply voltage) do not hold is postponed, recorded and tried again, never activated while the
 * vehicle moves, and activated once they hold.
 */
class SafeExecutionTest {
    @TempDir
    Path dir;

    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0.plusSeconds(30));
    SimulatedCanBus can = new SimulatedCanBus();
    EcuHost host;
    UpdateHandler handler;
    byte[] update;
    final List<ServiceEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Files.writeString(state.resolve(SafeExecution.FILE), SafeExecution.DEFAULT.toJson());
        host = EcuHost.open(HostConfig.builder(state, fx.oem.trustStore()).identity(new HostIdentity("ecu-a", "vin-1"))
                .clock(clock).environment(new HostEnvironment(can, new SimulatedI2cBus(), () -> 0L, (id, line) -> { })).build(),
                new PrintStream(OutputStream.nullOutputStream()));
        Credential key = fx.oem.issueClient(ClientKind.VEHICLE, "vin-1");
        ServiceEvents sink = events::add;
        SentStatuses sent = new SentStatuses(state, "vin-1", key, clock, Duration.ZERO, sink);
        handler = new UpdateHandler(host, "vin-1", key, clock, new RollbackWatch(host, key, clock, sink, sent), sink, sent,
                SafeExecution.load(state));
        byte[] pkg = PackageFile.toBytes(fx.released());
        Instruction i = new Instruction("ins-1", "camp-1", "vin-1", "healthy", Digests.sha256Hex(pkg), 1, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofHours(1)), "0123456789abcdef0123456789abcdef");
        update = new UpdateMessage(SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock),
                pkg).encode();
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private Exchange deliver() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange ex = new DefaultExchange(camel);
            ex.getIn().setBody(update);
            handler.handle(ex);
            return ex;
        }
    }

    private void drive(long speedKmhTimes100, long millivolts) {
        can.set(SafeExecution.DEFAULT.speedCanId(), speedKmhTimes100);
        can.set(SafeExecution.DEFAULT.voltageCanId(), millivolts);
    }

    private List<AuditRecord> records(AuditEvent event) {
        return AuditLog.read(host.auditFile()).stream().filter(r -> r.event() == event).toList();
    }

    @Test
    void postponedWhileDrivingThenActivatedWhenStationary() throws Exception {
        drive(5_500, 12_600);

        Exchange ex = deliver();

        assertEquals(Boolean.TRUE, ex.getProperty(UpdateHandler.POSTPONED), "nothing to send yet");
        assertEquals(List.of(), ex.getIn().getBody(), "no report yet");
        assertTrue(host.modules().isEmpty(), "not activated while driving");
        AuditRecord postponed = records(AuditEvent.INSTALL_POSTPONED).get(0);
        assertEquals("55.00 km/h", postponed.preconditions().get("vehicle-speed"));
        assertEquals("12.60 V", postponed.preconditions().get("supply-voltage"));
        assertEquals("ins-1", postponed.instructionId());
        for (int n = 0; n < 3; n++) {
            assertTrue(handler.retryPostponed().isEmpty(), "still driving: tried again, not activated");
        }
        assertTrue(host.modules().isEmpty());
        assertEquals(1, records(AuditEvent.INSTALL_POSTPONED).size(), "recorded once, not at every try");

        drive(0, 12_600);
        List<byte[]> sent = handler.retryPostponed();

        assertEquals(1, sent.size());
        StatusReport r = SignedStatus.open(sent.get(0), fx.oem.trustStore(), clock.instant());
        assertEquals(StatusReport.Result.COMMITTED, r.result(), r.detail());
        assertEquals("1.0.0", host.modules().get(0).activeMetadata().version());
        assertEquals(0, handler.postponedCount());
        assertTrue(events.stream().anyMatch(e -> e.text().contains("POSTPONED (the vehicle is moving (55.00 km/h))")),
                events.toString());
    }

    @Test
    void aLowSupplyVoltageOrAMissingSignalPostponesToo() throws Exception {
        drive(0, 11_000);
        deliver();
        assertTrue(host.modules().isEmpty());
        assertTrue(records(AuditEvent.INSTALL_POSTPONED).get(0).detail().contains("supply voltage 11.00 V below 11.50 V"));

        can.remove(SafeExecution.DEFAULT.voltageCanId());
        assertTrue(handler.retryPostponed().isEmpty(), "no voltage signal: not met");

        drive(0, 11_500);
        assertEquals(1, handler.retryPostponed().size());
        assertEquals(1, host.modules().size());
    }

    @Test
    void stationaryWithEnoughVoltageActivatesAtOnce() throws Exception {
        drive(0, 12_600);

        Exchange ex = deliver();

        assertNull(ex.getProperty(UpdateHandler.POSTPONED));
        List<?> reports = ex.getIn().getBody(List.class);
        assertEquals(1, reports.size());
        assertEquals(StatusReport.Result.COMMITTED, SignedStatus.open((byte[]) reports.get(0),
                fx.oem.trustStore(), clock.instant()).result());
        assertTrue(records(AuditEvent.INSTALL_POSTPONED).isEmpty());
    }

    @Test
    void aPostponedUpdateThatExpiresIsDroppedNotActivated() throws Exception {
        drive(5_500, 12_600);
        deliver();
        clock.advance(Duration.ofHours(2));
        drive(0, 12_600);

        assertTrue(handler.retryPostponed().isEmpty());
        assertTrue(host.modules().isEmpty());
        assertEquals(0, handler.postponedCount());
    }
}
