package dev.wasmota.signing.instruction;

import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.TrustStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A campaign instruction as a file: CMS SignedData (Ed25519) encapsulating the canonical JSON,
 * signed by the OEM campaign key ({@link CampaignCms}). {@link #verify} checks the signature and the campaign chain
 * before the JSON is parsed, then the instruction against the vehicle: expiry, vehicle, package
 * and the replay counter.
 */
public final class SignedInstruction {
    /** Largest instruction file accepted, checked before parsing. */
    public static final int MAX_FILE_BYTES = 16 * 1024;
    /** How far in the future an instruction's issue time may lie (vehicle clock skew). */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private SignedInstruction() {
    }

    /** Signs {@code instruction} with the campaign key; returns the file bytes. */
    public static byte[] sign(Instruction instruction, PrivateKey campaignKey, X509CertificateHolder campaignCert, Clock clock) {
        return CampaignCms.sign(InstructionCodec.canonicalBytes(instruction), campaignKey, campaignCert, clock);
    }

    /**
     * Verifies the signature and chain (role CAMPAIGN) at {@code clock}'s time, then parses.
     * Does not check vehicle, package, expiry or counter: see {@link #check}.
     */
    public static Instruction open(byte[] file, TrustStore trust, Clock clock) {
        return InstructionCodec.parse(CampaignCms.open(file, MAX_FILE_BYTES, "instruction", trust, clock));
    }

    /**
     * Checks an opened instruction against this vehicle and delivery.
     *
     * @param lastCounter the highest counter this vehicle accepted so far (0 if none)
     */
    public static void check(Instruction i, String vehicleId, String packageSha256, Instant now, long lastCounter) {
        if (!i.vehicleId().equals(vehicleId)) {
            throw new RejectedException(InstructionFailure.WRONG_VEHICLE,
                    "instruction " + i.instructionId() + " is for vehicle " + i.vehicleId() + ", this is " + vehicleId);
        }
        if (!i.packageSha256().equals(packageSha256)) {
            throw new RejectedException(InstructionFailure.PACKAGE_MISMATCH, "instruction " + i.instructionId()
                    + " names package " + i.packageSha256() + "; the package delivered is " + packageSha256);
        }
        if (now.isAfter(i.expiresAt())) {
            throw new RejectedException(InstructionFailure.EXPIRED,
                    "instruction " + i.instructionId() + " expired at " + i.expiresAt());
        }
        if (now.plus(MAX_SKEW).isBefore(i.issuedAt())) {
            throw new RejectedException(InstructionFailure.NOT_YET_VALID,
                    "instruction " + i.instructionId() + " is issued at " + i.issuedAt() + ", in the future");
        }
        if (i.counter() <= lastCounter) {
            throw new RejectedException(InstructionFailure.REPLAYED, "instruction " + i.instructionId() + " has counter "
                    + i.counter() + "; this vehicle already accepted counter " + lastCounter);
        }
    }
}
