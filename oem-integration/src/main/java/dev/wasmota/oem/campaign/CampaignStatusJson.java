package dev.wasmota.oem.campaign;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.CanonicalJson;
import java.time.Instant;
import java.util.Optional;

/**
 * A campaign's standing as JSON ({@value #FORMAT}), for scripts: what {@code ota oem campaign
 * status --json} prints, one object per line (RFC 8785 canonical, so keys are sorted). The README
 * documents every field; fields are only ever added, under a new format name if one changes
 * meaning.
 */
public final class CampaignStatusJson {
    public static final String FORMAT = "wasmota-campaign-status/1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CampaignStatusJson() {
    }

    /** {@code s} read at {@code at}. */
    public static ObjectNode tree(CampaignStatus s, Instant at) {
        Campaign k = s.campaign();
        ObjectNode o = F.objectNode();
        o.put("format", FORMAT);
        o.put("at", at.toString());
        o.put("campaign", k.id());
        o.put("release", k.release().toString());
        o.put("securityVersion", k.securityVersion());
        o.put("packageSha256", k.packageSha256());
        o.put("targets", k.targets().toString());
        o.put("state", k.state().name());
        o.put("ended", !k.state().active());
        text(o, "cause", k.cause());
        o.put("currentWave", k.currentWave());
        o.put("waveCount", k.waveCount());
        o.put("wavePlan", k.wavePlan().toString());
        o.put("advanceAt", k.advanceAt());
        o.put("stopAt", k.stopAt());
        o.put("validitySeconds", k.validity().getSeconds());
        o.put("holdSeconds", k.hold().getSeconds());
        o.put("createdAt", k.createdAt().toString());
        o.put("updatedAt", k.updatedAt().toString());
        o.set("total", counts(s.total()));
        ArrayNode waves = o.putArray("waves");
        for (CampaignStatus.WaveStatus w : s.waves()) {
            ObjectNode n = counts(w.counts());
            n.put("index", w.wave().index());
            n.put("step", w.wave().step());
            n.put("state", w.wave().state().name());
            text(n, "startedAt", w.wave().startedAt().map(Instant::toString));
            waves.add(n);
        }
        if (s.rollback().isPresent()) {
            ObjectNode r = counts(s.rollback().get());
            r.put("to", k.rollbackTo().map(Object::toString).orElse(""));
            o.set("rollback", r);
        } else {
            o.putNull("rollback");
        }
        return o;
    }

    /** {@link #tree} as one line of canonical JSON, without the line break. */
    public static String line(CampaignStatus s, Instant at) {
        return CanonicalJson.string(tree(s, at));
    }

    private static ObjectNode counts(WaveCounts n) {
        ObjectNode o = F.objectNode();
        o.put("members", n.members());
        o.put("notInstructed", n.notInstructed());
        o.put("awaiting", n.awaiting());
        o.put("instructed", n.instructed());
        o.put("committed", n.committed());
        o.put("failed", n.failed());
        o.put("pending", n.pending());
        o.put("successPercent", n.successPercent());
        o.put("errorPercent", n.errorPercent());
        return o;
    }

    private static void text(ObjectNode o, String field, Optional<String> value) {
        if (value.isPresent()) {
            o.put(field, value.get());
        } else {
            o.putNull(field);
        }
    }
}
