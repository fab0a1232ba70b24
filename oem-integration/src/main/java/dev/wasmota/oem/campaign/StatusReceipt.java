package dev.wasmota.oem.campaign;

/**
 * What became of a vehicle's status report, for the sender's acknowledgement.
 *
 * @param action the action as it stands after the report
 * @param duplicate true if the report repeated an answer already counted (nothing changed)
 * @param campaignState the campaign's state after the report was evaluated
 */
public record StatusReceipt(Action action, boolean duplicate, Campaign.State campaignState) {
}
