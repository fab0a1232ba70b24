package dev.wasmota.oem.campaign;

import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.instruction.Instruction;

/**
 * A signed instruction on its way to a vehicle, with the release it names.
 *
 * @param instruction the instruction as signed
 * @param file the signed instruction file ({@code .wotains}: CMS SignedData); not copied, do not modify
 * @param kind whether it installs the campaign's release or rolls back to the previous one
 * @param release the release whose package the instruction names (its bytes are in the release store)
 */
public record IssuedInstruction(Instruction instruction, byte[] file, Action.Kind kind, Release release) {
    /** The extension of instruction files. */
    public static final String EXTENSION = ".wotains";

    /** The file name an instruction is delivered under: {@code <counter>-<instructionId>.wotains}. */
    public String fileName() {
        return instruction.counter() + "-" + instruction.instructionId() + EXTENSION;
    }
}
