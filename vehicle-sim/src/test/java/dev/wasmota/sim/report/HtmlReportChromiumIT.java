package dev.wasmota.sim.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmota.sim.report.SimReport.CampaignRun;
import dev.wasmota.sim.report.SimReport.WaveRun;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the written report in headless Chromium, driven by command-line flags only: the DOM after
 * load must hold every chart with as many shapes as the model asks for, and a screenshot must
 * show them. The report and screenshot stay in {@code target/chromium-it} for a person to look at.
 */
class HtmlReportChromiumIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path OUT = Path.of("target", "chromium-it").toAbsolutePath();
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final SimReport REPORT = SampleReports.twoCampaigns();

    @TempDir
    Path profile;

    @BeforeAll
    static void needsChromiumAndTheReport() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("install chromium: apt-get install -y chromium");
        }
        HtmlReport.write(REPORT, OUT.resolve("report.html"));
    }

    @Test
    void dumpedDomHoldsEveryChartWithItsData() throws Exception {
        Path dom = OUT.resolve("dom.html");
        run(dom, "--dump-dom", url());
        String html = Files.readString(dom, StandardCharsets.UTF_8);

        assertFalse(html.contains("NaN"));
        for (CampaignRun c : REPORT.campaigns()) {
            String lines = Charts.svg(html, LineChart.id(c)).orElseThrow(() -> new AssertionError(LineChart.id(c)));
            assertEquals(Charts.wavesWithCommits(c), Charts.attr(lines, "data-series"));
            assertEquals(Charts.wavesWithCommits(c), Charts.count(lines, "<polyline"));
            assertEquals(c.waves().size(), Charts.count(lines, "<rect class=\"swatch\""));
            String histogram = Charts.svg(html, Histogram.id(c)).orElseThrow(() -> new AssertionError(Histogram.id(c)));
            int bins = Charts.attr(histogram, "data-bars");
            assertTrue(bins >= 5, "histogram bars: " + bins);
            assertEquals(bins, Charts.count(histogram, "<rect class=\"bar\""));
            assertEquals(Charts.commits(c), Charts.sumOfCounts(histogram));
        }
        String bars = Charts.svg(html, BarChart.ID).orElseThrow();
        assertEquals(Charts.bars(REPORT), Charts.attr(bars, "data-bars"));
        assertEquals(Charts.bars(REPORT), Charts.count(bars, "<rect class=\"bar\""));
    }

    @Test
    void screenshotShowsTheCharts() throws Exception {
        Path png = OUT.resolve("report.png");
        Files.deleteIfExists(png);
        run(OUT.resolve("screenshot.log"), "--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars", url());

        assertTrue(Files.size(png) > 1_000, "screenshot size " + Files.size(png));
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), PNG_MAGIC.length);
        assertArrayEquals(PNG_MAGIC, head, "not a PNG");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "ImageIO cannot decode the screenshot");
        assertEquals(1280, image.getWidth());
        Set<Integer> colours = colours(image);
        assertTrue(colours.size() > 50, "only " + colours.size() + " distinct colours: blank page?");
        for (WaveRun w : REPORT.campaigns().get(0).waves()) {
            assertDrawn(colours, Charts.colourOf(w), "wave " + w.index() + " of " + SampleReports.COMPLETED);
        }
        assertDrawn(colours, Histogram.FILL, "time-to-commit histogram");
        for (String fill : BarChart.FILLS) {
            assertDrawn(colours, fill, "faults-by-cause bars");
        }
    }

    private static String url() {
        return OUT.resolve("report.html").toUri().toString();
    }

    /** Runs Chromium headless with a fresh profile and no network chatter; stdout goes to {@code stdout}. */
    private void run(Path stdout, String... args) throws IOException, InterruptedException {
        Path profileDir = Files.createTempDirectory(profile, "chromium");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profileDir));
        cmd.addAll(List.of(args));
        Path stderr = Path.of(stdout + ".stderr");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish within 60 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(stderr));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> out = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return out;
    }

    private static void assertDrawn(Set<Integer> colours, String hex, String what) {
        assertTrue(colours.stream().anyMatch(rgb -> near(rgb, hex)), what + " (" + hex + ") not in the screenshot");
    }

    /** Whether a pixel is within a few steps per channel of a {@code #rrggbb} colour (colour management may shift it). */
    private static boolean near(int rgb, String hex) {
        int want = Integer.parseInt(hex.substring(1), 16);
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((want >> shift) & 0xff)) > 6) {
                return false;
            }
        }
        return true;
    }
}
