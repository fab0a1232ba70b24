package dev.wasmota.oem.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.oem.record.CampaignNotices;
import dev.wasmota.signing.instruction.UserNotice;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vehicle user information in a campaign's evidence bundle (UN R156 7.1.2, issue 17): the notice
 * the instructions carried (in {@code update-record.json}), and per vehicle in
 * {@code vehicles.json} when its signed status said the notice was shown and what the user was
 * told after; with its section of {@code index.html}.
 */
final class UserNoticeEvidence {
    private UserNoticeEvidence() {
    }

    static void addNotice(ObjectNode record, Optional<UserNotice> notice) {
        if (notice.isPresent()) {
            record.set("userNotice", notice.get().toJson());
        } else {
            record.putNull("userNotice");
        }
    }

    static void addReported(ObjectNode vehicles, Map<String, List<CampaignNotices.Reported>> reported) {
        reported.forEach((vehicle, list) -> {
            ObjectNode v = (ObjectNode) vehicles.get(vehicle);
            if (v == null) {
                return;
            }
            ArrayNode a = v.putArray("userNotice");
            for (CampaignNotices.Reported r : list) {
                a.addObject().put("instruction", r.instructionId()).put("shownAt", r.shownAt().toString())
                        .put("outcome", r.outcome()).put("reportedAt", r.reportedAt().toString());
            }
        });
    }

    static String html(Optional<UserNotice> notice, Map<String, List<CampaignNotices.Reported>> reported) {
        StringBuilder h = new StringBuilder("<h2>User information (UN R156 7.1.2)</h2>\n");
        if (notice.isEmpty()) {
            return h.append("<p class=\"bad\">The instructions told the users nothing.</p>\n").toString();
        }
        h.append("<p>Shown before the update: ").append(EvidenceHtml.esc(notice.get().text())).append("</p>\n");
        h.append("<table><tr><th>vehicle</th><th>shown</th><th>told after</th></tr>\n");
        reported.forEach((vehicle, list) -> list.forEach(r -> h.append("<tr><td>").append(EvidenceHtml.esc(vehicle))
                .append("</td><td>").append(r.shownAt()).append("</td><td>").append(EvidenceHtml.esc(r.outcome()))
                .append("</td></tr>\n")));
        return h.append("</table>\n").toString();
    }
}
