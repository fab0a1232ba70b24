package dev.wasmota.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared charts: one line per wave with commits, the histogram's bars count every commit, text escaped, a standalone document. */
class ChartsTest {
    @Test
    void drawsOneStepLinePerWaveWithCommitsAndALegendEntryPerWave() {
        String svg = CommittedOverTime.render("c", "campaign <c1>", List.of(CommittedOverTime.Wave.of(1, List.of(300L, 100L)),
                CommittedOverTime.Wave.of(2, List.of(900L)), CommittedOverTime.Wave.of(3, List.of())), false);
        assertTrue(svg.contains("data-series=\"2\""), svg);
        assertEquals(2, count(svg, "<polyline"));
        assertEquals(3, count(svg, "class=\"swatch\""));
        assertTrue(svg.contains("campaign &lt;c1&gt;"));
        assertFalse(svg.contains("NaN") || svg.contains("xmlns"));
    }

    @Test
    void theHistogramCountsEveryCommitOnce() {
        List<Long> millis = List.of(100L, 200L, 250L, 1_000L, 4_000L, 4_100L);
        String svg = TimeToCommit.render("t", "t", millis, "seconds", false);
        int sum = 0;
        for (String part : svg.split("data-count=\"")) {
            if (Character.isDigit(part.charAt(0))) {
                sum += Integer.parseInt(part.substring(0, part.indexOf('"')));
            }
        }
        assertEquals(6, sum);
        assertTrue(svg.contains("fill=\"" + TimeToCommit.FILL + "\""));
    }

    @Test
    void aStandaloneChartIsADocumentWithItsNamespaceAndStyle() {
        String svg = TimeToCommit.render("t", "t", List.of(), "seconds", true);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"t\""), svg);
        assertTrue(svg.contains("<style>") && svg.contains("no commits"), svg);
    }

    @Test
    void drawsOneAgreementLinePerReleaseWithinZeroToAHundredPercent() {
        String svg = AgreementOverTime.render("a", "shadow <agreement>", List.of(
                new AgreementOverTime.Series("3.0.0", "discarded", List.of(new double[] {500, 100}, new double[] {1500, 40})),
                new AgreementOverTime.Series("3.0.1", "promoted", List.of(new double[] {800, 100}, new double[] {2000, 100})),
                new AgreementOverTime.Series("3.0.2", "no ticks", List.of())), false);
        assertEquals(2, count(svg, "<polyline"));
        assertEquals(3, count(svg, "class=\"swatch\""));
        assertTrue(svg.contains("3.0.0: 40 % agreement, discarded"), svg);
        assertTrue(svg.contains("3.0.1 (promoted)") && svg.contains("shadow &lt;agreement&gt;"), svg);
        assertTrue(svg.contains(">100</text>") && svg.contains("agreement %"), svg);
        assertFalse(svg.contains("NaN"));
        assertTrue(AgreementOverTime.render("e", "e", List.of(), false).contains("no ticks compared"));
    }

    private static int count(String s, String what) {
        return s.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
