package dev.wasmota.routes.vehicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.StatusRequest;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.transport.ServiceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reports a vehicle sent, kept to be sent again when the OEM asks or the vehicle starts; bounded and rate-limited. */
class SentStatusesTest {
    @TempDir
    Path dir;

    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0);
    Credential key;
    final List<ServiceEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        key = fx.oem.issueClient(ClientKind.VEHICLE, "veh-1");
    }

    private SentStatuses sent(Duration interval) {
        return new SentStatuses(dir.resolve("state"), "veh-1", key, clock, interval, events::add);
    }

    private StatusReport report(String instruction, StatusReport.Result result) {
        return new StatusReport("veh-1", "c1", instruction, "0123456789abcdef", result, "", "committed 2.0.0 in slot B",
                "healthy", "2.0.0", "a".repeat(64), 7, "b".repeat(64), clock.instant());
    }

    private List<byte[]> request(SentStatuses s, String vehicle, String... ids) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange ex = new DefaultExchange(camel);
            ex.getIn().setBody(new StatusRequest(vehicle, List.of(ids)).encode());
            return s.requested(ex);
        }
    }

    private StatusReport open(byte[] signed) {
        return SignedStatus.open(signed, fx.oem.trustStore(), clock.instant());
    }

    @Test
    void sendsAgainWhatItReportedSignedAndNamesWhatItNeverAnswered() throws Exception {
        SentStatuses s = sent(Duration.ZERO);
        StatusReport r = report("i-1", StatusReport.Result.COMMITTED);
        s.keep(r, clock.instant().plus(Duration.ofHours(24)));

        List<byte[]> again = request(s, "veh-1", "i-1", "i-2");

        assertEquals(1, again.size());
        assertEquals(r, open(again.get(0)), "the very report, verified under the vehicle's certificate");
        assertEquals("status request from the OEM for 2 instruction(s): sent again: i-1 COMMITTED; no report kept "
                + "(never answered here): i-2", events.get(events.size() - 1).text());
    }

    @Test
    void sendsOneInstructionsReportAtMostOncePerInterval() throws Exception {
        SentStatuses s = sent(Duration.ofHours(1));
        s.keep(report("i-1", StatusReport.Result.COMMITTED), clock.instant().plus(Duration.ofHours(24)));

        assertEquals(1, request(s, "veh-1", "i-1").size(), "just sent, but a restarted broker may have dropped it");
        assertTrue(request(s, "veh-1", "i-1").isEmpty(), "a second request within the hour: nothing");
        assertTrue(events.get(events.size() - 1).text().contains("sent less than 3600000 ms ago, not again yet: i-1"));
        SentStatuses restarted = sent(Duration.ofHours(1));
        assertEquals(1, request(restarted, "veh-1", "i-1").size(), "a new process has sent nothing yet");
        assertTrue(request(restarted, "veh-1", "i-1").isEmpty(), "a second request within the hour: nothing");
    }

    @Test
    void refusesARequestForAnotherVehicle() {
        SentStatuses s = sent(Duration.ZERO);
        RejectedException e = assertThrows(RejectedException.class, () -> request(s, "veh-2", "i-1"));
        assertEquals(RouteFailure.WRONG_SENDER, e.reason());
    }

    @Test
    void theLatestReportOfAnInstructionReplacesTheEarlierOne() throws Exception {
        SentStatuses s = sent(Duration.ZERO);
        Instant expiry = clock.instant().plus(Duration.ofHours(24));
        s.keep(report("i-1", StatusReport.Result.COMMITTED), expiry);
        s.keep(report("i-1", StatusReport.Result.ROLLED_BACK), expiry);

        List<byte[]> again = request(s, "veh-1", "i-1");

        assertEquals(StatusReport.Result.ROLLED_BACK, open(again.get(0)).result());
    }

    @Test
    void afterAReconnectSendsWhatTheBrokerNeverAcknowledgedWhateverTheInterval() {
        SentStatuses s = sent(Duration.ofHours(1));
        StatusReport acked = report("i-1", StatusReport.Result.COMMITTED);
        StatusReport refused = report("i-2", StatusReport.Result.COMMITTED);
        StatusReport expiring = report("i-3", StatusReport.Result.FAILED);
        s.keep(acked, clock.instant().plus(Duration.ofHours(24)));
        s.keep(refused, clock.instant().plus(Duration.ofHours(24)));
        s.keep(expiring, clock.instant().plus(Duration.ofMinutes(1)));
        s.delivered(SignedStatus.sign(acked, key));
        clock.advance(Duration.ofMinutes(2));

        List<byte[]> again = s.undelivered();

        assertEquals(List.of(refused), again.stream().map(this::open).toList(),
                "the refused one, though sent within the interval; not the acknowledged nor the expired one");
        assertTrue(events.get(events.size() - 1).text().contains("1 instruction(s) whose report the broker never acknowledged"));
        s.delivered(again.get(0));
        assertEquals(List.of(), s.undelivered(), "acknowledged on the second try");
    }

    @Test
    void anAcknowledgedEarlierReportLeavesTheNewerOneWaiting() {
        SentStatuses s = sent(Duration.ZERO);
        StatusReport first = report("i-1", StatusReport.Result.COMMITTED);
        StatusReport then = report("i-1", StatusReport.Result.ROLLED_BACK);
        s.keep(first, clock.instant().plus(Duration.ofHours(24)));
        byte[] firstSigned = SignedStatus.sign(first, key);
        s.keep(then, clock.instant().plus(Duration.ofHours(24)));

        s.delivered(firstSigned);

        assertEquals(List.of(then), s.undelivered().stream().map(this::open).toList());
    }

    @Test
    void atStartSendsTheUnexpiredAndDropsTheExpired() throws Exception {
        SentStatuses s = sent(Duration.ZERO);
        s.keep(report("i-old", StatusReport.Result.FAILED), clock.instant().plus(Duration.ofMinutes(10)));
        s.keep(report("i-new", StatusReport.Result.COMMITTED), clock.instant().plus(Duration.ofHours(24)));
        clock.advance(Duration.ofHours(1));

        List<byte[]> again = sent(Duration.ZERO).unexpired();

        assertEquals(List.of("i-new"), again.stream().map(b -> open(b).instructionId()).toList());
        assertFalse(Files.exists(dir.resolve("state/status-sent/i-old.status")), "expired: dropped");
    }

    @Test
    void signsWithTheKeyOfNowSoAReplacedCertificateCarriesTheOldReport() throws Exception {
        sent(Duration.ZERO).keep(report("i-1", StatusReport.Result.COMMITTED), clock.instant().plus(Duration.ofHours(24)));
        Credential renewed = fx.oem.issueClient(ClientKind.VEHICLE, "veh-1");

        List<byte[]> again = new SentStatuses(dir.resolve("state"), "veh-1", renewed, clock, Duration.ZERO, e -> { })
                .unexpired();

        assertEquals("i-1", open(again.get(0)).instructionId());
        assertTrue(java.util.Arrays.equals(renewed.cert().getEncoded(),
                dev.wasmota.protocol.wire.Frames.decode(again.get(0), "WOTS", 3, 4096, 512, 8192).get(2)));
    }

    @Test
    void keepsAtMostSixtyFourDroppingThoseExpiringFirst() throws Exception {
        SentStatuses s = sent(Duration.ZERO);
        for (int i = 0; i < SentStatuses.MAX_KEPT + 3; i++) {
            s.keep(report("i-" + i, StatusReport.Result.COMMITTED), clock.instant().plus(Duration.ofMinutes(10 + i)));
        }

        try (var files = Files.list(dir.resolve("state/status-sent"))) {
            assertEquals(SentStatuses.MAX_KEPT, files.count());
        }
        assertTrue(request(s, "veh-1", "i-0", "i-1", "i-2").isEmpty(), "the three expiring first were dropped");
        assertEquals(1, request(s, "veh-1", "i-3").size());
    }

    @Test
    void aDamagedKeptReportIsDroppedAndTheOthersStillGo() throws Exception {
        SentStatuses s = sent(Duration.ZERO);
        s.keep(report("i-1", StatusReport.Result.COMMITTED), clock.instant().plus(Duration.ofHours(24)));
        s.keep(report("i-2", StatusReport.Result.COMMITTED), clock.instant().plus(Duration.ofHours(24)));
        Files.write(dir.resolve("state/status-sent/i-1.status"), new byte[] {'W', 'O', 'T', 'K', 1, 9});
        Files.copy(dir.resolve("state/status-sent/i-2.status"), dir.resolve("state/status-sent/i-3.status"));

        List<byte[]> again = sent(Duration.ZERO).unexpired();

        assertEquals(List.of("i-2"), again.stream().map(b -> open(b).instructionId()).toList(),
                "garbage, and a report filed under another instruction's name, are not sent");
        assertFalse(Files.exists(dir.resolve("state/status-sent/i-1.status")));
        assertFalse(Files.exists(dir.resolve("state/status-sent/i-3.status")));
    }

    @Test
    void aStateThatTakesNoWriteLosesOnlyTheChanceToSendAgain() throws IOException {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/status-sent"), "not a directory");
        SentStatuses s = sent(Duration.ZERO);

        s.keep(report("i-1", StatusReport.Result.COMMITTED), clock.instant().plus(Duration.ofHours(24)));

        assertTrue(events.get(0).text().startsWith("cannot keep the status of instruction i-1 to send it again"),
                events.get(0).text());
        assertTrue(s.unexpired().isEmpty());
    }
}
