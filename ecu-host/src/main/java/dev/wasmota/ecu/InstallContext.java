package dev.wasmota.ecu;

import java.util.Optional;

/**
 * Where an install came from: the signed campaign instruction that asked for it (checked by the
 * host before anything is staged), and, for the audit record, the campaign, the instruction and
 * who acted.
 *
 * @param campaignId the campaign, once known
 * @param instructionId the instruction, once known
 * @param actor who or what asked for the install
 * @param instruction the signed instruction file, if the install must be authorized by one
 */
public record InstallContext(Optional<String> campaignId, Optional<String> instructionId, String actor,
                             Optional<byte[]> instruction) {

    public InstallContext(Optional<String> campaignId, Optional<String> instructionId, String actor) {
        this(campaignId, instructionId, actor, Optional.empty());
    }

    /** An install by hand, outside any campaign. */
    public static InstallContext manual() {
        return new InstallContext(Optional.empty(), Optional.empty(), "cli");
    }

    /** An install authorized by a signed campaign instruction. */
    public static InstallContext instructed(byte[] signedInstruction, String actor) {
        return new InstallContext(Optional.empty(), Optional.empty(), actor, Optional.of(signedInstruction.clone()));
    }

    /** This context with the campaign and instruction ids of an opened instruction. */
    InstallContext identified(String campaign, String instructionId) {
        return new InstallContext(Optional.of(campaign), Optional.of(instructionId), actor, instruction);
    }
}
