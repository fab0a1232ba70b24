package dev.wasmota.routes.vehicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.protocol.wire.NoticeShown;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.instruction.UserNotice;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.transport.ServiceEvent;
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
 * Vehicle user information (issue 17): the instruction's notice is shown (recorded) before the
 * update is activated, the outcome is told after, and the signed status report states both.
 */
class UserNoticeTest {
    static final UserNotice NOTICE = new UserNotice("improved brake temperature estimate", 600,
            List.of("adaptive cruise control"));

    @TempDir
    Path dir;

    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0.plusSeconds(30));
    EcuHost host;
    UpdateHandler handler;
    byte[] pkg;
    final List<ServiceEvent> events = new ArrayList<>();
    int counter;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        host = EcuHost.open(HostConfig.builder(state, fx.oem.trustStore()).identity(new HostIdentity("ecu-a", "vin-1"))
                .clock(clock).build(), new PrintStream(OutputStream.nullOutputStream()));
        Credential key = fx.oem.issueClient(ClientKind.VEHICLE, "vin-1");
        SentStatuses sent = new SentStatuses(state, "vin-1", key, clock, Duration.ZERO, events::add);
        handler = new UpdateHandler(host, "vin-1", key, clock, new RollbackWatch(host, key, clock, events::add, sent),
                events::add, sent);
        pkg = PackageFile.toBytes(fx.released());
    }

    @AfterEach
    void tearDown() {
        host.close();
    }

    private StatusReport deliver(String packageSha256, Optional<UserNotice> notice) throws Exception {
        counter++;
        Instruction i = new Instruction("ins-" + counter, "camp-1", "vin-1", "healthy", packageSha256, counter, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofHours(1)), "0123456789abcdef0123456789abcde" + counter, Optional.empty(),
                Optional.empty(), notice);
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

    private List<AuditRecord> log() {
        return AuditLog.read(host.auditFile());
    }

    @Test
    void theNoticeIsShownBeforeActivationAndTheOutcomeToldAfterBothInTheSignedStatus() throws Exception {
        StatusReport r = deliver(Digests.sha256Hex(pkg), Optional.of(NOTICE));

        assertEquals(StatusReport.Result.COMMITTED, r.result());
        NoticeShown shown = r.notice().orElseThrow();
        assertEquals(clock.instant(), shown.shownAt());
        assertEquals("Update done: healthy 1.0.0 is active", shown.outcome());
        List<AuditRecord> log = log();
        List<AuditEvent> order = log.stream().map(AuditRecord::event).filter(e -> e == AuditEvent.USER_NOTIFIED
                || e == AuditEvent.ACTIVATED || e == AuditEvent.INSTALL_COMMITTED).toList();
        assertEquals(AuditEvent.USER_NOTIFIED, order.get(0), "shown before anything is activated: " + order);
        assertEquals(AuditEvent.USER_NOTIFIED, order.get(order.size() - 1), "the outcome told after: " + order);
        AuditRecord before = log.stream().filter(x -> x.event() == AuditEvent.USER_NOTIFIED).findFirst().orElseThrow();
        assertEquals("BEFORE", before.cause());
        assertEquals("Update: improved brake temperature estimate; takes about 10 min; unavailable meanwhile: adaptive"
                + " cruise control", before.detail());
        assertTrue(events.stream().anyMatch(e -> e.text().startsWith("HMI camp-1/ins-1: Update: improved")), events.toString());
    }

    @Test
    void aRefusedUpdateTellsTheUserNothingChanged() throws Exception {
        StatusReport r = deliver("00".repeat(32), Optional.of(NOTICE));

        assertEquals(StatusReport.Result.FAILED, r.result());
        assertTrue(r.notice().orElseThrow().outcome().startsWith("Update not applied (PACKAGE_MISMATCH); healthy none"
                + " unchanged"), r.notice().toString());
    }

    @Test
    void anInstructionWithoutANoticeShowsNothing() throws Exception {
        StatusReport r = deliver(Digests.sha256Hex(pkg), Optional.empty());

        assertEquals(Optional.empty(), r.notice());
        assertTrue(log().stream().noneMatch(x -> x.event() == AuditEvent.USER_NOTIFIED));
    }
}
