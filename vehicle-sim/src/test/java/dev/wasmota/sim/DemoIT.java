package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.sim.report.SimReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's story, checked step by step on a 20-vehicle fleet. */
class DemoIT {
    @TempDir
    Path dir;

    @Test
    void tellsTheWholeStoryAndEveryStepEndsAsItShould() throws Exception {
        StringWriter text = new StringWriter();
        Path report = dir.resolve("report.html");
        java.util.concurrent.atomic.AtomicInteger consoleAnswer = new java.util.concurrent.atomic.AtomicInteger();
        Demo.Outcome o = Demo.run(dir.resolve("work"), 20, Path.of(System.getProperty("ota.corpus")), report,
                new Narrator(new PrintWriter(text), false), java.util.Optional.of(() -> consoleAnswer.set(signIn(text))));
        assertEquals(303, consoleAnswer.get(), "the console's sign-in link answers while the demo holds it up");

        assertEquals(Campaign.State.COMPLETED, o.v1(), "v1 reaches every vehicle");
        assertEquals(Campaign.State.STOPPED, o.v2(), "faulty v2 stops at its error threshold");
        assertEquals(2, o.rolledBack(), "the first wave (10% of 20) rolled back by itself");
        assertEquals(Map.of("3.0.1", 20), o.activeVersions(), "every vehicle ends on v3', promoted from its shadow");
        Demo.ShadowChapter shadows = o.shadows();
        assertEquals(Campaign.State.STOPPED, shadows.v3(), "v3's discarded shadows stop its campaign");
        assertEquals(2, shadows.discarded(), "the first wave's shadows disagreed on the highway");
        assertTrue(shadows.example().contains("can:0x220: active ") && shadows.example().contains("shadow 20000"),
                shadows.example());
        assertEquals(Campaign.State.COMPLETED, shadows.v3Fixed());
        assertEquals(20, shadows.promoted());
        assertEquals(20, shadows.agreement().size());
        shadows.agreement().forEach((v, a) -> assertEquals(1.0, a, v + " agreed on every compared tick"));
        assertEquals(20, o.tamperedSent());
        assertEquals(20, o.tamperedRefused(), "every tampered package refused");
        assertTrue(o.slotsUnchanged(), "no slot changed by the tampered packages");
        assertEquals(20, o.logsIntact(), "every vehicle's audit log verifies");

        SimReport r = o.report();
        SimReport.CampaignRun v1 = r.campaigns().get(0);
        assertEquals(20, v1.waves().stream().mapToInt(SimReport.WaveRun::committed).sum());
        v1.waves().forEach(w -> assertEquals("PASSED", w.state()));
        SimReport.CampaignRun v2 = r.campaigns().get(1);
        assertEquals("FAILED", v2.waves().get(0).state());
        assertEquals("CANCELLED", v2.waves().get(1).state());
        assertEquals(0, v2.waves().get(1).committed(), "the second wave never got v2");
        assertTrue(v2.outcome().startsWith("STOPPED"), v2.outcome());
        assertEquals(2, r.rollbacksByCause().get("FAULT_THRESHOLD"));
        assertEquals(20, r.refusalsByReason().values().stream().mapToInt(Integer::intValue).sum());

        String told = text.toString();
        for (String step : new String[] {"submits it over MQTT", "OEM intake:", "OEM countersigns", "COMPLETED",
                "STOPPED", "rolled back to 1.0.0 by themselves", "tampered packages refused", "discarded v3's shadow",
                "promoted v3'", "report:",
                "live console: http://127.0.0.1:"}) {
            assertTrue(told.contains(step), "the story tells '" + step + "':\n" + told);
        }
        String html = Files.readString(report);
        assertTrue(html.contains("committed-over-time-" + v1.campaignId()), "the report has the v1 chart");
        assertTrue(html.contains("faults-by-cause"));
        assertTrue(html.contains("Shadow runs: agreement over time"), "the report shows the shadows' agreement over time");
        assertTrue(r.shadowAgreement().stream().anyMatch(x -> x.release().equals("3.0.0") && x.agreementPercent() < 100),
                r.shadowAgreement().toString());
        assertTrue(r.shadowAgreement().stream().filter(x -> x.release().equals("3.0.1"))
                .allMatch(x -> x.agreementPercent() == 100), r.shadowAgreement().toString());
        for (SimReport.CampaignRun c : r.campaigns()) {
            String href = "evidence/" + c.campaignId() + "/index.html";
            assertTrue(html.contains("<a href=\"" + href + "\">Evidence bundle</a>"), "the report links " + href);
            Path bundle = dir.resolve("evidence").resolve(c.campaignId());
            dev.wasmota.oem.evidence.EvidenceBundle.Result verified = dev.wasmota.oem.evidence.EvidenceBundle.verify(bundle,
                    java.util.Optional.empty());
            assertTrue(verified.ok(), verified.problems().toString());
            assertTrue(Files.readString(bundle.resolve("vehicles.json")).contains("\"auditSeq\""),
                    "the vehicles' log anchors are in the bundle");
        }
    }

    /** Follows the console link the story told; the HTTP status of its answer (a sign-in redirects). */
    private static int signIn(StringWriter told) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("live console: (\\S+)").matcher(told.toString());
        if (!m.find()) {
            return -1;
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(m.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -2;
        }
    }
}
