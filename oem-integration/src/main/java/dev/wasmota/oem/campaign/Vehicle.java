package dev.wasmota.oem.campaign;

import java.time.Instant;

/**
 * A vehicle the OEM knows (hawkBit's Target): its id, its ECU hardware id, and the OEM's side of
 * its instruction counter, the highest counter ever issued to it (0 if none). Counters only grow,
 * across every campaign, so a vehicle can refuse a replayed instruction.
 *
 * @param id the vehicle id instructions name
 * @param hardwareId the ECU hardware id, matched against a release's hardware ids
 * @param lastCounter the highest instruction counter issued to this vehicle, 0 if none
 * @param registeredAt when it was registered
 */
public record Vehicle(String id, String hardwareId, long lastCounter, Instant registeredAt) {
}
