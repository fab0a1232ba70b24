package dev.wasmota.oem.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.oem.rxswin.Rxswin;
import dev.wasmota.oem.rxswin.RxswinChange;
import dev.wasmota.oem.rxswin.RxswinRegister;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The software identification part of a campaign's evidence bundle ({@value #FILE}, issue 17; UN
 * R156 7.1.1, 7.2): the release's stated RXSWIN change with its reason and module requirements,
 * the register entries it names, each vehicle's last known configuration as its signed status
 * reported it, and the vehicles the start left out with their reasons; its readable section of
 * {@code index.html}; and its offline check.
 */
final class RxswinEvidence {
    static final String FILE = "rxswin.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RxswinEvidence() {
    }

    static ObjectNode json(RxswinRegister register, Campaign k, List<Action> actions) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("release", k.release().toString());
        Optional<RxswinChange> change = register.change(k.release());
        if (change.isEmpty()) {
            o.putNull("change");
        } else {
            RxswinChange ch = change.get();
            ObjectNode c = o.putObject("change");
            c.put("from", ch.from().orElse(null));
            c.put("to", ch.to().orElse(null));
            c.put("reason", ch.reason());
            ArrayNode req = c.putArray("requires");
            ch.requires().forEach(r -> req.add(r.toString()));
            c.put("statedAt", ch.statedAt().toString());
        }
        ArrayNode entries = o.putArray("register");
        for (Rxswin r : register.list(Optional.empty())) {
            if (change.isPresent() && (change.get().from().equals(Optional.of(r.id()))
                    || change.get().to().equals(Optional.of(r.id())))) {
                ObjectNode e = entries.addObject().put("hardwareId", r.hardwareId()).put("rxswin", r.id());
                ObjectNode m = e.putObject("modules");
                r.modules().forEach(m::put);
                e.put("description", r.description()).put("definedAt", r.definedAt().toString());
            }
        }
        ObjectNode configs = o.putObject("configurations");
        ArrayNode excluded = o.putArray("excluded");
        for (Action a : actions) {
            if (a.kind() != Action.Kind.INSTALL) {
                continue;
            }
            if (a.status() == Action.Status.EXCLUDED) {
                excluded.addObject().put("vehicle", a.vehicleId()).put("reason", a.detail().orElse(""));
            }
            Optional<ReportedConfiguration> c = register.configuration(a.vehicleId());
            if (c.isPresent()) {
                ObjectNode v = configs.putObject(a.vehicleId());
                v.put("rxswin", c.get().rxswin().orElse(null));
                ObjectNode m = v.putObject("modules");
                c.get().modules().forEach((id, mod) -> m.putObject(id).put("version", mod.version())
                        .put("packageSha256", mod.packageSha256()));
                v.put("instruction", c.get().instructionId()).put("reportedAt", c.get().reportedAt().toString());
            }
        }
        return o;
    }

    /** The HTML section: the change, its register entries, the vehicles left out. */
    static String html(ObjectNode o) {
        StringBuilder h = new StringBuilder("<h2>Software identification (UN R156 7.1.1, RXSWIN)</h2>\n");
        JsonNode c = o.get("change");
        if (c == null || c.isNull()) {
            h.append("<p class=\"bad\">No RXSWIN change was stated for this release; its vehicles were not checked.</p>\n");
            return h.toString();
        }
        h.append("<table><tr><th>change</th><td>").append(c.hasNonNull("to")
                ? EvidenceHtml.esc(c.get("from").asText() + " -> " + c.get("to").asText()) : "none")
                .append("</td></tr>\n<tr><th>reason</th><td>").append(EvidenceHtml.esc(c.path("reason").asText()))
                .append("</td></tr>\n<tr><th>requires</th><td>");
        List<String> req = new ArrayList<>();
        c.path("requires").forEach(r -> req.add(r.asText()));
        h.append(EvidenceHtml.esc(req.isEmpty() ? "-" : String.join(", ", req))).append("</td></tr>\n");
        for (JsonNode e : o.path("register")) {
            h.append("<tr><th>").append(EvidenceHtml.esc(e.path("rxswin").asText() + " (" + e.path("hardwareId").asText()
                    + ")")).append("</th><td>").append(EvidenceHtml.esc(e.path("modules").toString())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (o.path("excluded").isEmpty()) {
            h.append("<p>No vehicle was left out.</p>\n");
        } else {
            h.append("<table><tr><th>vehicle left out</th><th>reason</th></tr>\n");
            for (JsonNode x : o.path("excluded")) {
                h.append("<tr><td>").append(EvidenceHtml.esc(x.path("vehicle").asText())).append("</td><td>")
                        .append(EvidenceHtml.esc(x.path("reason").asText())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.toString();
    }

    /**
     * Offline: {@value #FILE} is of the manifest's release; a change's new RXSWIN, as the register
     * entries in it state, holds that release; and the vehicles it names as left out are exactly
     * those {@code vehicles.json} records as EXCLUDED, with the same reasons.
     */
    static void check(Map<String, byte[]> files, String release, List<String> problems) {
        if (!files.containsKey(FILE)) {
            return;
        }
        try {
            JsonNode o = JSON.readTree(files.get(FILE));
            if (!release.equals(o.path("release").asText())) {
                problems.add(FILE + " is of release " + o.path("release").asText() + ", not " + release);
                return;
            }
            JsonNode c = o.path("change");
            if (c.hasNonNull("to")) {
                ReleaseId id = ReleaseId.parse(release);
                boolean named = false;
                for (JsonNode e : o.path("register")) {
                    if (e.path("rxswin").asText().equals(c.get("to").asText())) {
                        named = true;
                        if (!id.version().equals(e.path("modules").path(id.moduleId()).asText())) {
                            problems.add(FILE + ": RXSWIN " + c.get("to").asText() + " of hardware "
                                    + e.path("hardwareId").asText() + " does not hold release " + release);
                        }
                    }
                }
                if (!named) {
                    problems.add(FILE + ": the register entry of RXSWIN " + c.get("to").asText() + " is missing");
                }
            }
            Map<String, String> stated = new TreeMap<>();
            o.path("excluded").forEach(x -> stated.put(x.path("vehicle").asText(), x.path("reason").asText()));
            Map<String, String> recorded = new TreeMap<>();
            if (files.containsKey(EvidenceBundle.VEHICLES)) {
                JSON.readTree(files.get(EvidenceBundle.VEHICLES)).fields().forEachRemaining(v -> v.getValue()
                        .path("actions").forEach(a -> {
                            if (Action.Status.EXCLUDED.name().equals(a.path("status").asText())) {
                                recorded.put(v.getKey(), a.path("detail").asText());
                            }
                        }));
            }
            if (!stated.equals(recorded)) {
                problems.add(FILE + ": the vehicles left out " + stated.keySet() + " differ from those "
                        + EvidenceBundle.VEHICLES + " records as EXCLUDED " + recorded.keySet() + " (or their reasons)");
            }
        } catch (IOException | RuntimeException e) {
            problems.add(FILE + " is not the RXSWIN evidence: " + e.getClass().getSimpleName());
        }
    }
}
