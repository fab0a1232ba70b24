package dev.wasmota.broker;

/**
 * The fixed MQTT topic layout of the OTA pipeline. Suppliers submit packages and read results; the OEM
 * sends updates to vehicles and reads their status and dead letters; {@code ota/oem/#} is the OEM's own.
 */
public final class OtaTopics {

    public static final String ROOT = "ota/";
    public static final String OEM_ROOT = "ota/oem/";
    /** What OEM services share-subscribe to: every supplier's submissions. */
    public static final String ALL_SUBMITS = "ota/supplier/+/submit";
    /** What OEM services share-subscribe to: every vehicle's status reports. */
    public static final String ALL_STATUSES = "ota/vehicle/+/status";
    /** Every vehicle's dead letters. */
    public static final String ALL_DEADLETTERS = "ota/vehicle/+/deadletter";

    private OtaTopics() {
    }

    /** Supplier publishes a signed package; OEM reads. */
    public static String supplierSubmit(String supplierId) {
        return "ota/supplier/" + supplierId + "/submit";
    }

    /** OEM publishes the verdict on a submission; the supplier reads. */
    public static String supplierResult(String supplierId) {
        return "ota/supplier/" + supplierId + "/result";
    }

    /** OEM publishes an update; the vehicle reads. */
    public static String vehicleUpdate(String vehicleId) {
        return "ota/vehicle/" + vehicleId + "/update";
    }

    /** Vehicle publishes its status reports; OEM reads. */
    public static String vehicleStatus(String vehicleId) {
        return "ota/vehicle/" + vehicleId + "/status";
    }

    /** Vehicle publishes what it could not process; OEM reads. */
    public static String vehicleDeadletter(String vehicleId) {
        return "ota/vehicle/" + vehicleId + "/deadletter";
    }

    /** A shared subscription of {@code group} to {@code filter}, e.g. {@code $share/oem/ota/vehicle/+/status}. */
    public static String shared(String group, String filter) {
        return "$share/" + group + "/" + filter;
    }
}
