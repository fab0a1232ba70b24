package dev.wasmota.oem.evidence;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.record.UpdateRecord;
import dev.wasmota.oem.record.UpdateRecords;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.pkg.ModulePackage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The bundle's readable page: one self-contained HTML file (no script, no external resource). */
final class EvidenceHtml {
    private EvidenceHtml() {
    }

    static String page(Campaign k, Release release, ModulePackage pkg, Optional<byte[]> report,
                       Optional<UpdateRecords.Stored> record, List<Action> actions, List<AuditRecord> audit,
                       SecurityEvents security, Instant at, String identification) {
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evidence: campaign ")
                .append(esc(k.id())).append("</title>\n<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}"
                + "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;"
                + "text-align:left;vertical-align:top}th{background:#eee}code{font-size:12px}.bad{color:#a00}</style>"
                + "</head><body>\n");
        h.append("<h1>Update evidence: campaign ").append(esc(k.id())).append("</h1>\n<p>Exported ").append(at)
                .append(". Verify offline with <code>ota oem evidence verify DIR</code>: the OEM's signature over "
                + "manifest.json, each file's SHA-256, the release's signatures and the vehicles' log anchors.</p>\n");
        h.append("<h2>Release</h2>\n<table>");
        row(h, "release", release.id().toString());
        row(h, "supplier", release.supplierId());
        row(h, "security version", String.valueOf(release.securityVersion()));
        row(h, "module SHA-256", release.wasmSha256());
        row(h, "package SHA-256", release.packageSha256());
        row(h, "SBOM", pkg.sbom().map(s -> "sbom.cdx.json, SHA-256 " + Digests.sha256Hex(s)).orElse("none"));
        row(h, "intake report (V&V evidence)", report.map(r -> "intake-report.json, SHA-256 " + Digests.sha256Hex(r))
                .orElse("none"));
        row(h, "manifest", new String(pkg.manifestBytes(), java.nio.charset.StandardCharsets.UTF_8));
        h.append("</table>\n<h2>Update record (UN R156 7.1.2)</h2>\n");
        if (record.isEmpty()) {
            h.append("<p class=\"bad\">No update record was stated for this campaign itself"
                    + " (it inherits its release's, if any: below).</p>\n");
        } else {
            UpdateRecord r = record.get().record();
            h.append("<table>");
            row(h, "purpose", r.purpose().orElse("-"));
            row(h, "affected systems", String.join(", ", r.affectedSystems()));
            row(h, "affected functions", String.join(", ", r.affectedFunctions()));
            row(h, "type-approval relevant", r.typeApprovalRelevant().map(String::valueOf).orElse("-"));
            row(h, "impact assessment", r.impactAssessment().orElse("-"));
            row(h, "authority approval sought", r.authorityApprovalSought().map(String::valueOf).orElse("-")
                    + r.authorityReference().map(x -> " (" + x + ")").orElse(""));
            row(h, "execution method", r.executionMethod().orElse("-"));
            row(h, "execution conditions", r.executionConditions().orElse("-"));
            row(h, "safe execution confirmed", r.safeExecutionConfirmed().map(String::valueOf).orElse("-"));
            row(h, "record SHA-256", record.get().sha256() + ", stated " + record.get().statedAt());
            h.append("</table>\n");
        }
        h.append(identification);
        h.append("<h2>Campaign</h2>\n<table>");
        row(h, "state", k.state() + k.cause().map(c -> " (" + c + ")").orElse(""));
        row(h, "waves", k.wavePlan() + ", wave " + k.currentWave() + " of " + k.waveCount());
        row(h, "thresholds", "advance at " + k.advanceAt() + "%, stop at " + k.stopAt() + "%");
        row(h, "created", k.createdAt().toString());
        h.append("</table>\n<h2>Vehicles</h2>\n<table><tr><th>vehicle</th><th>kind</th><th>wave</th><th>status</th>"
                + "<th>instruction</th><th>detail</th></tr>\n");
        for (Action a : actions) {
            h.append("<tr><td>").append(esc(a.vehicleId())).append("</td><td>").append(a.kind()).append("</td><td>")
                    .append(a.wave()).append("</td><td>").append(a.status()).append("</td><td><code>")
                    .append(esc(a.issued().map(i -> i.instructionId() + " #" + i.counter()).orElse("-")))
                    .append("</code></td><td>").append(esc(a.detail().orElse(a.cause().orElse("")))).append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Log anchors (signed status reports)</h2>\n<table><tr><th>OEM record</th><th>vehicle</th>"
                + "<th>auditSeq</th><th>auditHead</th></tr>\n");
        for (AuditRecord r : audit) {
            dev.wasmota.oem.campaign.VehicleLogHead.of(r).ifPresent(head -> h.append("<tr><td>").append(r.seq())
                    .append("</td><td>").append(esc(head.vehicleId())).append("</td><td>").append(head.seq())
                    .append("</td><td><code>").append(head.sha256()).append("</code></td></tr>\n"));
        }
        h.append("</table>\n<h2>Security events (UN R155 monitoring)</h2>\n");
        if (security.events().isEmpty()) {
            h.append("<p>None recorded for this campaign or its vehicles.</p>\n");
        } else {
            h.append("<table><tr><th>vehicle</th><th>kind</th><th>count</th></tr>\n");
            for (Map.Entry<String, Map<String, Integer>> v : security.byVehicle().entrySet()) {
                for (Map.Entry<String, Integer> e : v.getValue().entrySet()) {
                    h.append("<tr><td>").append(esc(v.getKey())).append("</td><td>").append(esc(e.getKey()))
                            .append("</td><td>").append(e.getValue()).append("</td></tr>\n");
                }
            }
            h.append("</table>\n");
        }
        h.append("<h2>OEM audit records of the campaign</h2>\n<table><tr><th>seq</th><th>time</th><th>event</th>"
                + "<th>outcome</th><th>detail</th></tr>\n");
        for (AuditRecord r : audit) {
            h.append("<tr><td>").append(r.seq()).append("</td><td>").append(r.time()).append("</td><td>").append(r.event())
                    .append("</td><td>").append(r.outcome() == null ? "" : r.outcome()).append("</td><td>")
                    .append(esc(r.detail() == null ? "" : r.detail())).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    /** The release's own record (issue 17), which the campaign's fields override; empty when it has none. */
    static String releaseRecord(Optional<dev.wasmota.oem.record.ReleaseRecords.Stored> r) {
        if (r.isEmpty()) {
            return "";
        }
        StringBuilder h = new StringBuilder("<h2>Release update record (inherited by the campaign)</h2>\n<table>");
        r.get().record().toJson().fields().forEachRemaining(e -> {
            if (!e.getKey().equals("format")) {
                row(h, e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        });
        row(h, "record SHA-256", r.get().sha256() + ", stated " + r.get().statedAt());
        return h.append("</table>\n<p>The record the campaign ran under, its own fields over these, is <code>effective</code>"
                + " in update-record.json.</p>\n").toString();
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
