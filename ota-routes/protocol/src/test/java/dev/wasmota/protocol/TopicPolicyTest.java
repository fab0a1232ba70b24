package dev.wasmota.protocol;

import static dev.wasmota.signing.pki.ClientKind.OEM;
import static dev.wasmota.signing.pki.ClientKind.SUPPLIER;
import static dev.wasmota.signing.pki.ClientKind.VEHICLE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one topic model's access rules, under the default root and under another one. */
class TopicPolicyTest {
    private static final TopicPolicy OTA = new TopicPolicy(Topics.standard());

    @Test
    void letsAVehicleReadOnlyItsOwnUpdates() {
        assertTrue(OTA.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN1/update"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN2/update"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/+/update"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN1/#"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "#"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "$share/g/ota/vehicle/VIN1/update"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN1/status"));
    }

    @Test
    void letsAVehicleReadEachReleaseIndexAndChunkButNeverWriteThem() {
        String sha = "0123456789abcdef".repeat(4);
        assertTrue(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/" + sha + "/index"));
        assertTrue(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/" + sha + "/chunk/0"));
        assertTrue(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/" + sha + "/chunk/16383"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/" + sha + "/chunk/+"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/#"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/+/index"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/" + sha + "/chunk/01"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "ota/release/" + sha.toUpperCase() + "/index"));
        assertFalse(OTA.maySubscribe(VEHICLE, "VIN1", "other/release/" + sha + "/index"));
        assertFalse(OTA.mayPublish(VEHICLE, "VIN1", "ota/release/" + sha + "/index"));
        assertFalse(OTA.mayPublish(VEHICLE, "VIN1", "ota/release/" + sha + "/chunk/0"));
        assertFalse(OTA.maySubscribe(SUPPLIER, "acme", "ota/release/" + sha + "/index"));
        assertFalse(OTA.mayPublish(SUPPLIER, "acme", "ota/release/" + sha + "/chunk/0"));
        assertTrue(OTA.mayPublish(OEM, "serve-1", "ota/release/" + sha + "/chunk/0"));
    }

    @Test
    void letsAVehiclePublishOnlyItsOwnStatusAndDeadLetters() {
        assertTrue(OTA.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN1/status"));
        assertTrue(OTA.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN1/deadletter"));
        assertFalse(OTA.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN2/status"));
        assertFalse(OTA.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN1/update"));
        assertFalse(OTA.mayPublish(VEHICLE, "VIN1", "ota/oem/releases"));
    }

    @Test
    void letsASupplierSubmitAndReadOnlyItsOwnResults() {
        assertTrue(OTA.mayPublish(SUPPLIER, "acme", "ota/supplier/acme/submit"));
        assertTrue(OTA.maySubscribe(SUPPLIER, "acme", "ota/supplier/acme/result"));
        assertFalse(OTA.mayPublish(SUPPLIER, "acme", "ota/supplier/other/submit"));
        assertFalse(OTA.mayPublish(SUPPLIER, "acme", "ota/supplier/acme/result"));
        assertFalse(OTA.maySubscribe(SUPPLIER, "acme", "ota/supplier/acme/submit"));
        assertFalse(OTA.maySubscribe(SUPPLIER, "acme", "ota/supplier/other/result"));
        assertFalse(OTA.mayPublish(SUPPLIER, "acme", "ota/vehicle/acme/status"));
    }

    @Test
    void givesTheManagementApisOperatorsAndViewersNoTopicAtAll() {
        for (var kind : java.util.List.of(dev.wasmota.signing.pki.ClientKind.OPERATOR, dev.wasmota.signing.pki.ClientKind.VIEWER)) {
            for (String t : java.util.List.of("ota/vehicle/VIN1/update", "ota/vehicle/VIN1/status", "ota/supplier/acme/submit",
                    "ota/oem/alice/status", "ota/#", "$share/oem/ota/vehicle/+/status")) {
                assertFalse(OTA.mayPublish(kind, "alice", t), kind + " " + t);
                assertFalse(OTA.maySubscribe(kind, "alice", t), kind + " " + t);
            }
        }
    }

    @Test
    void letsOemServicesUseEverythingUnderOtaIncludingSharedSubscriptions() {
        assertTrue(OTA.maySubscribe(OEM, "serve-1", "$share/oem/ota/vehicle/+/status"));
        assertTrue(OTA.maySubscribe(OEM, "serve-1", "$share/oem/ota/supplier/+/submit"));
        assertTrue(OTA.maySubscribe(OEM, "serve-1", "ota/oem/#"));
        assertTrue(OTA.mayPublish(OEM, "serve-1", "ota/vehicle/VIN1/update"));
        assertTrue(OTA.mayPublish(OEM, "serve-1", "ota/oem/releases"));
    }

    @Test
    void refusesOemServicesOutsideOta() {
        assertFalse(OTA.maySubscribe(OEM, "serve-1", "#"));
        assertFalse(OTA.maySubscribe(OEM, "serve-1", "$SYS/#"));
        assertFalse(OTA.maySubscribe(OEM, "serve-1", "$share//ota/x"));
        assertFalse(OTA.maySubscribe(OEM, "serve-1", "$share/g/#"));
        assertFalse(OTA.mayPublish(OEM, "serve-1", "other/topic"));
    }

    @Test
    void refusesWhenTheIdentityIsMissing() {
        assertFalse(OTA.mayPublish(null, "VIN1", "ota/vehicle/VIN1/status"));
        assertFalse(OTA.maySubscribe(VEHICLE, null, "ota/vehicle/VIN1/update"));
    }

    @Test
    void anotherRootMovesEveryRuleWithIt() {
        TopicPolicy eu = new TopicPolicy(new Topics("fleet/eu"));
        assertTrue(eu.maySubscribe(VEHICLE, "VIN1", "fleet/eu/vehicle/VIN1/update"));
        assertTrue(eu.mayPublish(VEHICLE, "VIN1", "fleet/eu/vehicle/VIN1/status"));
        assertTrue(eu.mayPublish(SUPPLIER, "acme", "fleet/eu/supplier/acme/submit"));
        assertTrue(eu.maySubscribe(OEM, "serve-1", "$share/oem/fleet/eu/vehicle/+/status"));
        assertFalse(eu.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN1/update"), "the default root is another root");
        assertFalse(eu.mayPublish(OEM, "serve-1", "ota/vehicle/VIN1/update"));
        assertFalse(eu.maySubscribe(OEM, "serve-1", "fleet/#"), "only under the whole root");
    }

    @Test
    void writesTheSameRulesForMosquittoUnderItsRoot() {
        String acl = new TopicPolicy(new Topics("fleet/eu")).mosquittoAcl(java.util.List.of("w1"));
        assertTrue(acl.contains("pattern read fleet/eu/%u/update\n"), acl);
        assertTrue(acl.contains("pattern write fleet/eu/%u/status\n"), acl);
        assertTrue(acl.contains("pattern deny fleet/eu/supplier/+/update\n"), acl);
        assertTrue(acl.contains("pattern read fleet/eu/release/#\n"), acl);
        assertFalse(acl.contains("write fleet/eu/release"), acl);
        assertTrue(acl.contains("user oem/w1\ntopic readwrite fleet/eu/#\n"), acl);
        assertFalse(acl.contains(" ota/"), acl);
    }
}
