package dev.wasmota.ecu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.ecu.slots.SlotFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The vehicle's memory of campaign instructions: the highest counter it has carried out, so an
 * old instruction replayed later is refused. Written durably when an instructed install commits.
 */
final class InstructionLedger {
    static final String FILE = "instructions.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The last instruction carried out; counter 0 when none. */
    record Last(long counter, String instructionId) {
        static final Last NONE = new Last(0, "");
    }

    private final Path file;

    InstructionLedger(Path stateDir) {
        this.file = stateDir.resolve(FILE);
    }

    Last last() {
        try {
            if (!Files.exists(file)) {
                return Last.NONE;
            }
            JsonNode n = JSON.readTree(DurableFiles.readBounded(file, 4096));
            if (!n.path("counter").canConvertToLong() || !n.path("instructionId").isTextual()) {
                throw new RejectedException(SlotFailure.STATE_UNREADABLE, file + " is damaged");
            }
            return new Last(n.get("counter").longValue(), n.get("instructionId").textValue());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Records {@code i} as carried out; the counter never goes down. */
    void record(Instruction i) {
        if (i.counter() <= last().counter()) {
            return;
        }
        ObjectNode o = JSON.createObjectNode().put("counter", i.counter()).put("instructionId", i.instructionId())
                .put("campaignId", i.campaignId());
        try {
            DurableFiles.writeAtomic(file, CanonicalJson.bytes(o));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
