package dev.wasmota.broker;

import static dev.wasmota.signing.pki.ClientKind.OEM;
import static dev.wasmota.signing.pki.ClientKind.SUPPLIER;
import static dev.wasmota.signing.pki.ClientKind.VEHICLE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopicPolicyTest {

    @Test
    void letsAVehicleReadOnlyItsOwnUpdates() {
        assertTrue(TopicPolicy.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN1/update"));
        assertFalse(TopicPolicy.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN2/update"));
        assertFalse(TopicPolicy.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/+/update"));
        assertFalse(TopicPolicy.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN1/#"));
        assertFalse(TopicPolicy.maySubscribe(VEHICLE, "VIN1", "#"));
        assertFalse(TopicPolicy.maySubscribe(VEHICLE, "VIN1", "$share/g/ota/vehicle/VIN1/update"));
        assertFalse(TopicPolicy.maySubscribe(VEHICLE, "VIN1", "ota/vehicle/VIN1/status"));
    }

    @Test
    void letsAVehiclePublishOnlyItsOwnStatusAndDeadLetters() {
        assertTrue(TopicPolicy.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN1/status"));
        assertTrue(TopicPolicy.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN1/deadletter"));
        assertFalse(TopicPolicy.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN2/status"));
        assertFalse(TopicPolicy.mayPublish(VEHICLE, "VIN1", "ota/vehicle/VIN1/update"));
        assertFalse(TopicPolicy.mayPublish(VEHICLE, "VIN1", "ota/oem/releases"));
    }

    @Test
    void letsASupplierSubmitAndReadOnlyItsOwnResults() {
        assertTrue(TopicPolicy.mayPublish(SUPPLIER, "acme", "ota/supplier/acme/submit"));
        assertTrue(TopicPolicy.maySubscribe(SUPPLIER, "acme", "ota/supplier/acme/result"));
        assertFalse(TopicPolicy.mayPublish(SUPPLIER, "acme", "ota/supplier/other/submit"));
        assertFalse(TopicPolicy.mayPublish(SUPPLIER, "acme", "ota/supplier/acme/result"));
        assertFalse(TopicPolicy.maySubscribe(SUPPLIER, "acme", "ota/supplier/acme/submit"));
        assertFalse(TopicPolicy.maySubscribe(SUPPLIER, "acme", "ota/supplier/other/result"));
        assertFalse(TopicPolicy.mayPublish(SUPPLIER, "acme", "ota/vehicle/acme/status"));
    }

    @Test
    void letsOemServicesUseEverythingUnderOtaIncludingSharedSubscriptions() {
        assertTrue(TopicPolicy.maySubscribe(OEM, "serve-1", "$share/oem/ota/vehicle/+/status"));
        assertTrue(TopicPolicy.maySubscribe(OEM, "serve-1", "$share/oem/ota/supplier/+/submit"));
        assertTrue(TopicPolicy.maySubscribe(OEM, "serve-1", "ota/oem/#"));
        assertTrue(TopicPolicy.mayPublish(OEM, "serve-1", "ota/vehicle/VIN1/update"));
        assertTrue(TopicPolicy.mayPublish(OEM, "serve-1", "ota/oem/releases"));
    }

    @Test
    void refusesOemServicesOutsideOta() {
        assertFalse(TopicPolicy.maySubscribe(OEM, "serve-1", "#"));
        assertFalse(TopicPolicy.maySubscribe(OEM, "serve-1", "$SYS/#"));
        assertFalse(TopicPolicy.maySubscribe(OEM, "serve-1", "$share//ota/x"));
        assertFalse(TopicPolicy.maySubscribe(OEM, "serve-1", "$share/g/#"));
        assertFalse(TopicPolicy.mayPublish(OEM, "serve-1", "other/topic"));
    }

    @Test
    void refusesWhenTheIdentityIsMissing() {
        assertFalse(TopicPolicy.mayPublish(null, "VIN1", "ota/vehicle/VIN1/status"));
        assertFalse(TopicPolicy.maySubscribe(VEHICLE, null, "ota/vehicle/VIN1/update"));
    }
}
