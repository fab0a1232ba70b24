package dev.wasmota.oem.campaign;

import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.signing.instruction.Instruction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The instructions issued, not answered and still valid, rebuilt from the database exactly as
 * they were issued (the signed file kept there, its release). Only those the campaign still means
 * to send count: what is still owed to vehicles, for operators and for re-sending.
 */
final class UnansweredInstructions {
    private UnansweredInstructions() {
    }

    static List<IssuedInstruction> of(Connection c, ReleaseStore releases, Instant now) throws SQLException {
        List<IssuedInstruction> out = new ArrayList<>();
        for (Action a : ActionRows.unanswered(c, now)) {
            Action.Issued i = a.issued().orElseThrow();
            Campaign k = CampaignRows.find(c, a.campaignId(), false).orElseThrow();
            if (!stillMeant(k.state(), a.kind())) {
                continue;
            }
            Release release = releases.get(a.kind() == Action.Kind.ROLLBACK ? k.rollbackTo().orElseThrow() : k.release());
            byte[] file = ActionRows.instructionFile(c, i.instructionId()).orElseThrow();
            Instruction instruction = new Instruction(i.instructionId(), k.id(), a.vehicleId(), release.moduleId(),
                    i.packageSha256(), i.counter(), i.issuedAt(), i.expiresAt(), i.nonce());
            out.add(new IssuedInstruction(instruction, file, a.kind(), release));
        }
        return out;
    }

    /**
     * Whether an instruction of {@code kind} in a campaign now in {@code state} is still to reach
     * its vehicle: installs while the campaign runs, is paused or completed (vehicles answer after
     * the last wave advanced); rollbacks of a rolled-back campaign. Not after an abort or a stop,
     * which issue nothing more.
     */
    static boolean stillMeant(Campaign.State state, Action.Kind kind) {
        return kind == Action.Kind.ROLLBACK ? state == Campaign.State.ROLLED_BACK
                : state == Campaign.State.RUNNING || state == Campaign.State.PAUSED || state == Campaign.State.COMPLETED;
    }
}
