package dev.wasmota.signing.instruction;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.pki.TrustStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * An operator's {@link ShadowCommand} as a file: the canonical JSON in CMS SignedData, signed by
 * the OEM campaign key ({@link CampaignCms}, the instructions' envelope). {@link #open} verifies
 * the signature and the campaign chain before the JSON is parsed; {@link #check} the command
 * against the vehicle and the time. Which shadow run it may act on is the vehicle's to check.
 */
public final class SignedShadowCommand {
    /** Largest command file accepted, checked before parsing. */
    public static final int MAX_FILE_BYTES = 8 * 1024;

    private SignedShadowCommand() {
    }

    public static byte[] sign(ShadowCommand command, PrivateKey campaignKey, X509CertificateHolder campaignCert, Clock clock) {
        return CampaignCms.sign(command.canonicalBytes(), campaignKey, campaignCert, clock);
    }

    /** Verifies the signature and chain (role CAMPAIGN) at {@code clock}'s time, then parses. */
    public static ShadowCommand open(byte[] file, TrustStore trust, Clock clock) {
        return ShadowCommand.parse(CampaignCms.open(file, MAX_FILE_BYTES, "shadow command", trust, clock));
    }

    /** Checks an opened command against this vehicle and the time ({@link SignedInstruction#MAX_SKEW} allowed). */
    public static void check(ShadowCommand c, String vehicleId, Instant now) {
        if (!c.vehicleId().equals(vehicleId)) {
            throw new RejectedException(InstructionFailure.WRONG_VEHICLE,
                    "shadow command " + c.commandId() + " is for vehicle " + c.vehicleId() + ", this is " + vehicleId);
        }
        if (now.isAfter(c.expiresAt())) {
            throw new RejectedException(InstructionFailure.EXPIRED,
                    "shadow command " + c.commandId() + " expired at " + c.expiresAt());
        }
        if (now.plus(SignedInstruction.MAX_SKEW).isBefore(c.issuedAt())) {
            throw new RejectedException(InstructionFailure.NOT_YET_VALID,
                    "shadow command " + c.commandId() + " is issued at " + c.issuedAt() + ", in the future");
        }
    }
}
