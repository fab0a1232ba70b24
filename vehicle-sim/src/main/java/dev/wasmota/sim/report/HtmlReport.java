package dev.wasmota.sim.report;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.sim.report.SimReport.CampaignRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;

/**
 * The simulator's report as one self-contained HTML file: inline CSS and inline SVG charts drawn
 * here, no script and no external reference of any kind (a Content-Security-Policy forbids them),
 * so it opens anywhere, offline, and can be attached to a ticket as is. Every model string is escaped.
 */
public final class HtmlReport {
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** A report is for people to read and pass on: rw-r--r--, not the temp file's owner-only mode. */
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private static final String CSS = """
            :root{color-scheme:light}
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
              margin:24px auto;max-width:1200px;padding:0 16px;color:#1f2328;background:#fff;line-height:1.4}
            h1{margin:0 0 4px;font-size:26px} h2{margin:32px 0 8px;font-size:20px;border-bottom:1px solid #d0d7de}
            h3{margin:18px 0 6px;font-size:15px;color:#424a53}
            dl.meta{display:flex;flex-wrap:wrap;gap:4px 24px;margin:8px 0}
            dl.meta dt{color:#656d76} dl.meta dd{margin:0 0 0 6px;font-weight:600} dl.meta div{display:flex}
            ol.story{padding-left:24px} ol.story li{margin:2px 0}
            .release{color:#656d76;font-weight:400}
            .pair{display:flex;flex-wrap:wrap;align-items:flex-start;gap:16px}
            dl.stats{display:grid;grid-template-columns:auto auto;gap:4px 12px;margin:16px 0;
              padding:12px 16px;border:1px solid #d0d7de;border-radius:6px}
            dl.stats dt{color:#656d76} dl.stats dd{margin:0;font-weight:600;text-align:right}
            svg{display:block;max-width:100%;height:auto;font-size:12px}
            svg .grid{stroke:#eaeef2} svg .axis{stroke:#57606a}
            svg .tick,svg .legend,svg .value{fill:#424a53} svg .axis-title{fill:#57606a;font-size:12px}
            svg .group{fill:#1f2328;font-weight:600;font-size:13px} svg .empty{fill:#656d76;font-style:italic}
            svg .series{stroke-width:2.5;stroke-linejoin:round}
            table.waves{border-collapse:collapse;margin:8px 0;font-size:14px}
            table.waves th,table.waves td{border:1px solid #d0d7de;padding:4px 10px;text-align:left}
            table.waves th{background:#f6f8fa} table.waves td.n{text-align:right;font-variant-numeric:tabular-nums}
            .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px}
            .state-PASSED,.state-COMPLETED{color:#1a7f37} .state-FAILED,.state-STOPPED{color:#cf222e}
            .state-CANCELLED{color:#9a6700}
            p.outcome{font-weight:600}
            """;

    private HtmlReport() {}

    /** The whole report as an HTML document. */
    public static String render(SimReport r) {
        return render(r, java.util.Map.of());
    }

    /**
     * The whole report, each campaign in {@code evidence} linking its evidence bundle's page (a path
     * relative to the report, {@code ota oem evidence export}).
     */
    public static String render(SimReport r, java.util.Map<String, String> evidence) {
        Objects.requireNonNull(r, "report");
        StringBuilder out = new StringBuilder(32_768);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" ")
                .append("content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.esc(r.title())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        header(out, r);
        out.append("<section id=\"faults\">\n<h2>Faults and rollbacks by cause</h2>\n").append(BarChart.render(r))
                .append("</section>\n");
        for (CampaignRun c : r.campaigns()) {
            campaign(out, c, java.util.Optional.ofNullable(evidence.get(c.campaignId())));
        }
        if (r.campaigns().isEmpty()) {
            out.append("<h2>Campaigns</h2>\n<p class=\"empty\">no campaigns, no commits</p>\n");
        }
        if (!r.shadowAgreement().isEmpty()) {
            out.append("<section id=\"shadow-agreement\">\n<h2>Shadow runs: agreement over time</h2>\n")
                    .append(agreementChart(r.shadowAgreement()))
                    .append(Tables.shadowAgreement(r.shadowAgreement())).append("</section>\n");
        }
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    /**
     * The shadow samples as one agreement line per release ({@link dev.wasmota.charts.AgreementOverTime}):
     * each moment at which ticks had been compared, and how the release's shadows ended by the last.
     */
    static String agreementChart(java.util.List<SimReport.ShadowSample> samples) {
        java.util.Map<String, java.util.List<double[]>> points = new java.util.LinkedHashMap<>();
        java.util.Map<String, SimReport.ShadowSample> last = new java.util.LinkedHashMap<>();
        for (SimReport.ShadowSample x : samples) {
            java.util.List<double[]> line = points.computeIfAbsent(x.release(), k -> new java.util.ArrayList<>());
            if (x.compared() > 0) {
                line.add(new double[] {x.atMillis(), x.agreementPercent()});
            }
            last.put(x.release(), x);
        }
        java.util.List<dev.wasmota.charts.AgreementOverTime.Series> series = new java.util.ArrayList<>();
        points.forEach((release, line) -> {
            SimReport.ShadowSample end = last.get(release);
            String outcome = end.running() > 0 ? end.running() + " running" : end.promoted() > 0 && end.discarded() > 0
                    ? end.promoted() + " promoted, " + end.discarded() + " discarded" : end.promoted() > 0 ? "promoted"
                    : end.discarded() > 0 ? "discarded" : "ended";
            series.add(new dev.wasmota.charts.AgreementOverTime.Series(release, outcome, line));
        });
        return dev.wasmota.charts.AgreementOverTime.render("shadow-agreement-chart",
                "shadow agreement over time, per release", series, false);
    }

    /**
     * Writes the report to {@code file} atomically (a temp file beside it, then a rename), creating
     * missing parent directories; a reader never sees a partial report. The file is readable by all.
     *
     * @throws UncheckedIOException if it cannot be written
     */
    public static void write(SimReport r, Path file) {
        write(r, file, java.util.Map.of());
    }

    /** {@link #write(SimReport, Path)} with each campaign in {@code evidence} linking its evidence bundle. */
    public static void write(SimReport r, Path file, java.util.Map<String, String> evidence) {
        byte[] html = render(r, evidence).getBytes(StandardCharsets.UTF_8);
        try {
            DurableFiles.writeAtomic(file, html);
            if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(file, READABLE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file, e);
        }
    }

    private static void header(StringBuilder out, SimReport r) {
        out.append("<header>\n<h1>").append(Html.esc(r.title())).append("</h1>\n<dl class=\"meta\">")
                .append(meta("started", r.startedAt() == null ? "\u2014" : STARTED.format(r.startedAt())))
                .append(meta("elapsed", Html.duration(r.elapsed())))
                .append(meta("vehicles", String.valueOf(r.vehicles())))
                .append(meta("campaigns", String.valueOf(r.campaigns().size())))
                .append("</dl>\n</header>\n<section id=\"story\">\n<h2>Story</h2>\n");
        if (r.story().isEmpty()) {
            out.append("<p class=\"empty\">no story</p>\n");
        } else {
            out.append("<ol class=\"story\">\n");
            r.story().forEach(line -> out.append("<li>").append(Html.esc(line)).append("</li>\n"));
            out.append("</ol>\n");
        }
        out.append("</section>\n");
    }

    private static String meta(String name, String value) {
        return "<div><dt>" + name + "</dt><dd>" + Html.esc(value) + "</dd></div>";
    }

    private static void campaign(StringBuilder out, CampaignRun c, java.util.Optional<String> evidence) {
        out.append("<section class=\"campaign\">\n<h2>Campaign ").append(Html.esc(c.campaignId()))
                .append(" <span class=\"release\">").append(Html.esc(c.release())).append("</span></h2>\n");
        evidence.ifPresent(href -> out.append("<p class=\"evidence\"><a href=\"").append(Html.esc(href))
                .append("\">Evidence bundle</a>: release, SBOM, intake report, update record, vehicle outcomes with their"
                        + " log anchors, security events; signed by the OEM (check: ota oem evidence verify DIR)</p>\n"));
        out
                .append("<h3>Vehicles committed over time, per wave</h3>\n").append(LineChart.render(c))
                .append("<h3>Time to commit</h3>\n<div class=\"pair\">\n").append(Histogram.render(c))
                .append(Histogram.summary(c)).append("</div>\n<h3>Waves</h3>\n").append(Tables.waves(c))
                .append("</section>\n");
    }
}
