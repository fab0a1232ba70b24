package dev.wasmota.sim.report;

import dev.wasmota.contract.stats.Percentiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import dev.wasmota.sim.report.SimReport.WaveRun;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HtmlReportTest {
    static Stream<SimReport> reports() {
        return Stream.of(SampleReports.twoCampaigns(), SampleReports.empty(), SampleReports.noCommits(),
                SampleReports.hostile("<script>alert('x')</script> & \"q\""), SampleReports.withShadows());
    }

    @Test
    void rendersEverySectionForTwoCampaigns() {
        SimReport r = SampleReports.twoCampaigns();
        String html = HtmlReport.render(r);

        assertTrue(html.contains("<h1>ota sim demo</h1>"));
        assertTrue(html.contains("2025-03-01 10:15:30 UTC"));
        assertTrue(html.contains("3 min 4.3 s"));
        assertTrue(html.contains("<dt>vehicles</dt><dd>200</dd>"));
        assertEquals(r.story().size(), Charts.count(section(html, "story"), "<li>"));
        assertEquals(2, Charts.count(html, "<h3>Vehicles committed over time, per wave</h3>"));
        assertEquals(2, Charts.count(html, "<h3>Time to commit</h3>"));
        assertTrue(html.indexOf("<h2>Faults and rollbacks by cause</h2>") > html.indexOf("<section id=\"story\">"));
        assertTrue(html.indexOf("<h2>Faults and rollbacks by cause</h2>") < html.indexOf("<h2>Campaign "));
        assertEquals(2, Charts.count(html, "<table class=\"waves\">"));
        assertEquals(6, Charts.count(html, "<tr><td><span class=\"dot\""));
        for (CampaignRun c : r.campaigns()) {
            assertTrue(html.contains("<p class=\"outcome\">Outcome: " + c.outcome() + "</p>"), c.campaignId());
        }
        assertTrue(html.contains(">CANCELLED</td>"));
        assertEquals(2, Charts.count(html, "<dt>p90</dt>"));
    }

    @Test
    void escapesEveryModelString() {
        String evil = "<script>alert('x')</script> & \"q\"";
        String html = HtmlReport.render(SampleReports.hostile(evil));

        assertFalse(html.toLowerCase(Locale.ROOT).contains("<script"));
        assertFalse(html.contains("alert('x')"));
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;";
        // title (twice: <title> and <h1>), story, campaign heading, release, outcome, state, three bar labels, svg ids
        assertTrue(Charts.count(html, escaped) >= 10, html);
        Matcher bareAmp = Pattern.compile("&(?!amp;|lt;|gt;|quot;|#39;)").matcher(html);
        assertFalse(bareAmp.find(), () -> "unescaped & at " + html.substring(bareAmp.start()));
    }

    @ParameterizedTest
    @MethodSource("reports")
    void isSelfContained(SimReport r) {
        String html = HtmlReport.render(r).toLowerCase(Locale.ROOT);

        for (String banned : List.of("http://", "https://", "<script", "<link", "src=", "url(", "@import", "href=")) {
            assertFalse(html.contains(banned), banned);
        }
    }

    @ParameterizedTest
    @MethodSource("reports")
    void everyChartIsWellFormedSvgWithFiniteNumbers(SimReport r) throws Exception {
        String html = HtmlReport.render(r);

        assertFalse(html.contains("NaN"));
        assertFalse(html.contains("Infinity"));
        Matcher svg = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL).matcher(html);
        int charts = 0;
        while (svg.find()) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            charts++;
        }
        assertEquals(2 * r.campaigns().size() + 1 + (r.shadowAgreement().isEmpty() ? 0 : 1), charts);
    }

    @Test
    void drawsShadowAgreementOverTimeAsOneLinePerReleaseAboveItsTable() {
        String html = HtmlReport.render(SampleReports.withShadows());

        Matcher chart = Pattern.compile("<svg id=\"shadow-agreement-chart\" data-series=\"2\".*?</svg>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(chart.find(), html);
        assertEquals(2, Charts.count(chart.group(), "<polyline"));
        assertTrue(chart.group().contains("3.0.0: 51.25 % agreement, discarded"), chart.group());
        assertTrue(chart.group().contains("3.0.1 (promoted)"), chart.group());
        assertTrue(html.indexOf("shadow-agreement-chart") < html.indexOf("<table class=\"shadow-agreement\""),
                "the chart, then the table");
    }

    @Test
    void emptyReportSaysSoInsteadOfDrawing() {
        String empty = HtmlReport.render(SampleReports.empty());
        String idle = HtmlReport.render(SampleReports.noCommits());

        assertTrue(empty.contains("no campaigns, no commits"));
        assertTrue(empty.contains("no faults"));
        assertTrue(empty.contains("no story"));
        assertEquals(0, Charts.attr(Charts.svg(empty, BarChart.ID).orElseThrow(), "data-bars"));
        assertEquals(0, Charts.attr(Charts.svg(idle, "committed-over-time-idle").orElseThrow(), "data-series"));
        assertEquals(0, Charts.attr(Charts.svg(idle, "time-to-commit-idle").orElseThrow(), "data-bars"));
        assertEquals(2, Charts.count(idle, ">no commits</text>"));
        assertTrue(idle.contains("<dt>median</dt><dd>\u2014</dd>"));
    }

    @ParameterizedTest
    @MethodSource("reports")
    void chartIdsAndCountsMatchTheModel(SimReport r) {
        String html = HtmlReport.render(r);

        for (CampaignRun c : r.campaigns()) {
            String lines = Charts.svg(html, Html.esc("committed-over-time-" + c.campaignId())).orElseThrow();
            assertEquals(Charts.wavesWithCommits(c), Charts.attr(lines, "data-series"));
            assertEquals(Charts.wavesWithCommits(c), Charts.count(lines, "<polyline"));
            for (WaveRun w : Charts.wavesWithCommits(c) == 0 ? List.<WaveRun>of() : c.waves()) {
                assertTrue(lines.contains("\"" + Charts.colourOf(w) + "\""), "legend of wave " + w.index());
            }
            String histogram = Charts.svg(html, Html.esc("time-to-commit-" + c.campaignId())).orElseThrow();
            assertEquals(Charts.attr(histogram, "data-bars"), Charts.count(histogram, "<rect class=\"bar\""));
            assertEquals(Charts.commits(c), Charts.sumOfCounts(histogram));
        }
        String bars = Charts.svg(html, BarChart.ID).orElseThrow();
        assertEquals(Charts.bars(r), Charts.attr(bars, "data-bars"));
        assertEquals(Charts.bars(r), Charts.count(bars, "<rect class=\"bar\""));
    }

    @Test
    void histogramUsesTenToTwentyBinsAndStatsAreNearestRank() {
        CampaignRun c = SampleReports.twoCampaigns().campaigns().get(0);
        dev.wasmota.charts.TimeToCommit.Bins bins = dev.wasmota.charts.TimeToCommit.Bins.of(Histogram.commitTimes(c), 15);
        List<Long> oneToTen = List.of(1_000L, 2_000L, 3_000L, 4_000L, 5_000L, 6_000L, 7_000L, 8_000L, 9_000L, 10_000L);

        assertTrue(bins.counts().length >= 7 && bins.counts().length <= 20, "bins: " + bins.counts().length);
        assertEquals(Charts.commits(c), java.util.Arrays.stream(bins.counts()).sum());
        assertEquals("5.0 s", Stats.seconds(Percentiles.of(oneToTen), 50));
        assertEquals("9.0 s", Stats.seconds(Percentiles.of(oneToTen), 90));
        assertEquals("10.0 s", Stats.seconds(Percentiles.of(oneToTen), 100));
        assertEquals("\u2014", Stats.seconds(Percentiles.of(java.util.List.of()), 50), "no samples: a dash");
    }

    @Test
    void writeIsAtomicCreatesParentsAndLeavesNoTempFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("out/nested/report.html");
        HtmlReport.write(SampleReports.empty(), file);
        HtmlReport.write(SampleReports.twoCampaigns(), file);

        assertEquals(HtmlReport.render(SampleReports.twoCampaigns()), Files.readString(file, StandardCharsets.UTF_8));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList());
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    private static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\">");
        return html.substring(start, html.indexOf("</section>", start));
    }
}
