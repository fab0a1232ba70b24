package dev.wasmota.sim.report;

import dev.wasmota.charts.Svg;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import dev.wasmota.sim.report.SimReport.WaveRun;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a chart's {@code <svg>} in an HTML text (what {@link HtmlReport} wrote or what a browser
 * dumped) and counts what it drew, and says what the model should have made it draw.
 */
final class Charts {
    private Charts() {}

    /** The whole {@code <svg ...>...</svg>} element with this id, if present. */
    static Optional<String> svg(String html, String id) {
        Matcher m = Pattern.compile("<svg\\b[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>.*?</svg>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** The integer value of attribute {@code name} on the svg's opening tag. */
    static int attr(String svg, String name) {
        Matcher m = Pattern.compile("^<svg\\b[^>]*\\b" + Pattern.quote(name) + "=\"(\\d+)\"").matcher(svg);
        if (!m.find()) {
            throw new AssertionError("no " + name + " on " + svg.substring(0, Math.min(200, svg.length())));
        }
        return Integer.parseInt(m.group(1));
    }

    /** How many times {@code needle} occurs in {@code text}. */
    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    /** The sum of the {@code data-count} attributes in the text. */
    static int sumOfCounts(String text) {
        Matcher m = Pattern.compile("data-count=\"(\\d+)\"").matcher(text);
        int sum = 0;
        while (m.find()) {
            sum += Integer.parseInt(m.group(1));
        }
        return sum;
    }

    static long wavesWithCommits(CampaignRun c) {
        return c.waves().stream().filter(w -> !w.commitMillis().isEmpty()).count();
    }

    static int commits(CampaignRun c) {
        return c.waves().stream().mapToInt(w -> w.commitMillis().size()).sum();
    }

    static int bars(SimReport r) {
        return r.faultsInjected().size() + r.rollbacksByCause().size() + r.refusalsByReason().size();
    }

    static String colourOf(WaveRun w) {
        return Svg.colour(w.index() - 1);
    }
}
