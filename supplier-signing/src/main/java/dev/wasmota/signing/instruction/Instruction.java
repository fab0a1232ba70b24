package dev.wasmota.signing.instruction;

import dev.wasmota.contract.Digests;
import dev.wasmota.signing.manifest.Manifest;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A per-vehicle campaign instruction, signed by the OEM's campaign (director) key: install this
 * package on this vehicle, as step {@code counter} of its updates, before {@code expiresAt}. It
 * defends freeze, replay and mix-and-match the way Uptane's Director repository does.
 *
 * @param instructionId unique id of this instruction
 * @param campaignId the campaign it belongs to
 * @param vehicleId the one vehicle it is for
 * @param moduleId the module to install
 * @param packageSha256 SHA-256 of the exact package file to install
 * @param counter per vehicle, strictly increasing across all its instructions
 * @param issuedAt when the OEM issued it (seconds precision)
 * @param expiresAt after this, the vehicle refuses it (seconds precision)
 * @param nonce random hex the vehicle echoes in its status report
 * @param shadow run the package as a shadow beside the active version first (promoted or
 *     discarded by its rule), if present; else install it
 * @param rxswin the RXSWIN the vehicle runs once it commits this package (UN R156 7.1.1, issue 17),
 *     if the release changes it; absent when it changes none (the vehicle keeps its own)
 * @param notice what the vehicle's user is told before the update (issue 17), if the campaign states it
 */
public record Instruction(
        String instructionId,
        String campaignId,
        String vehicleId,
        String moduleId,
        String packageSha256,
        long counter,
        Instant issuedAt,
        Instant expiresAt,
        String nonce,
        java.util.Optional<ShadowDelivery> shadow,
        java.util.Optional<String> rxswin,
        java.util.Optional<UserNotice> notice) {

    public static final Pattern INSTRUCTION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final Pattern NONCE = Pattern.compile("[0-9a-f]{16,64}");
    /** An RXSWIN (UN R156 software identification number) as the OEM registers and vehicles report it. */
    public static final Pattern RXSWIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");

    public Instruction {
        require(instructionId != null && INSTRUCTION_ID.matcher(instructionId).matches(), "instruction id '" + instructionId + "'");
        require(campaignId != null && Manifest.ID.matcher(campaignId).matches(), "campaign id '" + campaignId + "'");
        require(vehicleId != null && Manifest.HARDWARE_ID.matcher(vehicleId).matches(), "vehicle id '" + vehicleId + "'");
        require(moduleId != null && Manifest.ID.matcher(moduleId).matches(), "module id '" + moduleId + "'");
        require(packageSha256 != null && Digests.SHA256_HEX.matcher(packageSha256).matches(), "package sha256");
        require(counter >= 1 && counter <= (1L << 53) - 1, "counter " + counter);
        require(issuedAt != null && expiresAt != null && expiresAt.isAfter(issuedAt), "validity period");
        require(issuedAt.getNano() == 0 && expiresAt.getNano() == 0, "times must be whole seconds");
        require(nonce != null && NONCE.matcher(nonce).matches(), "nonce");
        require(shadow != null, "shadow");
        require(rxswin != null && rxswin.map(r -> RXSWIN.matcher(r).matches()).orElse(true), "rxswin");
        require(notice != null, "notice");
    }

    /** An instruction without a user notice. */
    public Instruction(String instructionId, String campaignId, String vehicleId, String moduleId, String packageSha256,
            long counter, Instant issuedAt, Instant expiresAt, String nonce, java.util.Optional<ShadowDelivery> shadow,
            java.util.Optional<String> rxswin) {
        this(instructionId, campaignId, vehicleId, moduleId, packageSha256, counter, issuedAt, expiresAt, nonce, shadow,
                rxswin, java.util.Optional.empty());
    }

    /** An instruction that changes no RXSWIN. */
    public Instruction(String instructionId, String campaignId, String vehicleId, String moduleId, String packageSha256,
            long counter, Instant issuedAt, Instant expiresAt, String nonce, java.util.Optional<ShadowDelivery> shadow) {
        this(instructionId, campaignId, vehicleId, moduleId, packageSha256, counter, issuedAt, expiresAt, nonce, shadow,
                java.util.Optional.empty());
    }

    /** An instruction to install, without a shadow run first. */
    public Instruction(String instructionId, String campaignId, String vehicleId, String moduleId, String packageSha256,
            long counter, Instant issuedAt, Instant expiresAt, String nonce) {
        this(instructionId, campaignId, vehicleId, moduleId, packageSha256, counter, issuedAt, expiresAt, nonce,
                java.util.Optional.empty());
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new dev.wasmota.contract.error.RejectedException(dev.wasmota.signing.error.InstructionFailure.MALFORMED_INSTRUCTION,
                    "instruction field invalid: " + what);
        }
    }
}
