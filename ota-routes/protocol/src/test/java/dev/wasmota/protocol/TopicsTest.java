package dev.wasmota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
    static final Topics OTA = Topics.standard();

    static void assertWrongSender(org.junit.jupiter.api.function.Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(RouteFailure.WRONG_SENDER, e.reason(), e.getMessage());
    }

    @Test
    void buildsEveryTopicUnderTheDefaultRoot() {
        assertEquals("ota", OTA.root());
        assertEquals("ota/supplier/acme/submit", OTA.submit("acme"));
        assertEquals("ota/supplier/+/submit", OTA.submitFilter());
        assertEquals("ota/supplier/acme/result", OTA.result("acme"));
        assertEquals("ota/oem/releases", OTA.releases());
        assertEquals("ota/oem/deadletter", OTA.oemDeadLetter());
        assertEquals("ota/vehicle/VIN-1/update", OTA.update("VIN-1"));
        assertEquals("ota/vehicle/VIN-1/status", OTA.status("VIN-1"));
        assertEquals("ota/vehicle/+/status", OTA.statusFilter());
        assertEquals("ota/vehicle/VIN-1/deadletter", OTA.vehicleDeadLetter("VIN-1"));
        assertEquals("ota/vehicle/+/deadletter", OTA.vehicleDeadLetterFilter());
    }

    @Test
    void buildsTopicsUnderACustomRoot() {
        Topics t = new Topics("fleet/eu-1");
        assertEquals("fleet/eu-1/supplier/acme/submit", t.submit("acme"));
        assertEquals("fleet/eu-1/vehicle/v1/status", t.status("v1"));
        assertEquals("fleet/eu-1/oem/releases", t.releases());
    }

    @Test
    void buildsSharedSubscriptionFilters() {
        assertEquals("$share/oem/ota/vehicle/+/status", Topics.shared("oem", OTA.statusFilter()));
    }

    @Test
    void parsesTheSupplierOfASubmitTopic() {
        assertEquals("acme", OTA.submitter("ota/supplier/acme/submit"));
        assertEquals("acme.eu_2-x", OTA.submitter(OTA.submit("acme.eu_2-x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ota/supplier/+/submit", "ota/supplier/#/submit", "ota/supplier//submit", "ota/supplier/submit",
        "ota/supplier/Acme/submit", "ota/supplier/a/b/submit", "ota/supplier/-acme/submit", "other/supplier/acme/submit",
        "ota/supplier/acme/result", "ota/vehicle/acme/submit", "ota/supplier/acme/submit/x", "/ota/supplier/acme/submit",
        "ota/supplier/acme /submit", ""})
    void refusesTopicsThatAreNotAWellFormedSubmitTopic(String topic) {
        assertWrongSender(() -> OTA.submitter(topic));
    }

    @Test
    void refusesNullTopic() {
        assertWrongSender(() -> OTA.submitter(null));
        assertWrongSender(() -> OTA.statusSender(null));
        assertEquals(Optional.empty(), OTA.deadLetterSender(null));
    }

    @Test
    void refusesSubmitterNameLongerThanAnId() {
        assertEquals("a".repeat(64), OTA.submitter(OTA.submit("a".repeat(64))));
        assertWrongSender(() -> OTA.submitter(OTA.submit("a".repeat(65))));
    }

    @Test
    void parsesTheVehicleOfAStatusTopic() {
        assertEquals("VIN-1", OTA.statusSender("ota/vehicle/VIN-1/status"));
        assertEquals("veh.9_x", new Topics("fleet/eu").statusSender("fleet/eu/vehicle/veh.9_x/status"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ota/vehicle/+/status", "ota/vehicle/#/status", "ota/vehicle//status", "ota/vehicle/status",
        "ota/vehicle/a/b/status", "ota/vehicle/.v/status", "fleet/vehicle/v1/status", "ota/vehicle/v1/update",
        "ota/vehicle/v1/deadletter", "ota/supplier/v1/status", "ota/vehicle/v1/status/", "OTA/vehicle/v1/status",
        "ota/vehicle/v 1/status"})
    void refusesTopicsThatAreNotAWellFormedStatusTopic(String topic) {
        assertWrongSender(() -> OTA.statusSender(topic));
    }

    @Test
    void refusesStatusTopicOfAnotherRoot() {
        assertWrongSender(() -> new Topics("fleet").statusSender("ota/vehicle/v1/status"));
        assertWrongSender(() -> new Topics("ota/eu").statusSender("ota/vehicle/v1/status"));
        assertWrongSender(() -> OTA.statusSender("ota/eu/vehicle/v1/status"));
    }

    @Test
    void describesAMessageByItsTopicForAnOperatorsLine() {
        Topics t = new Topics("fleet/eu");
        assertEquals("status from veh-9", t.describe("fleet/eu/vehicle/veh-9/status"));
        assertEquals("submission from acme", t.describe("fleet/eu/supplier/acme/submit"));
        assertEquals("update for veh-1", t.describe("fleet/eu/vehicle/veh-1/update"));
        assertEquals("message on ota/vehicle/veh-9/status", t.describe("ota/vehicle/veh-9/status"), "another root");
        assertEquals("message on fleet/eu/vehicle/a/b/status", t.describe("fleet/eu/vehicle/a/b/status"));
        assertEquals("message on null", t.describe(null));
    }

    @Test
    void parsesTheVehicleOfADeadLetterTopicIfItIsOne() {
        assertEquals(Optional.of("VIN-1"), OTA.deadLetterSender(OTA.vehicleDeadLetter("VIN-1")));
        assertEquals(Optional.empty(), OTA.deadLetterSender(OTA.vehicleDeadLetterFilter()));
        assertEquals(Optional.empty(), OTA.deadLetterSender(OTA.status("VIN-1")));
        assertEquals(Optional.empty(), OTA.deadLetterSender(OTA.oemDeadLetter()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ota", "a", "fleet/eu-1", "a/b/c/d", "x_1/y-2", "0"})
    void acceptsRootsOfOneToFourLowercaseLevels(String root) {
        assertEquals(root, new Topics(root).root());
    }

    @Test
    void acceptsRootLevelOfThirtyTwoCharacters() {
        String level = "a".repeat(32);
        assertEquals(level, new Topics(level).root());
        assertThrows(IllegalArgumentException.class, () -> new Topics("a".repeat(33)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "OTA", "/ota", "ota/", "ota//eu", "a/b/c/d/e", "ota/+", "ota/#", "$share", "-ota",
        "ota/_eu", "ota eu", "ota.eu"})
    void refusesMalformedRoots(String root) {
        assertThrows(IllegalArgumentException.class, () -> new Topics(root));
    }

    @Test
    void refusesNullRoot() {
        assertThrows(IllegalArgumentException.class, () -> new Topics(null));
    }
}
