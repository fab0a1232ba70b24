package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.testkit.Repository;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota oem campaign status --json} and {@code --watch}: machine-readable, and followed until the campaign ends. */
class CampaignStatusWatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Fixtures.T0);
    Fixtures fx;
    CampaignCli cli;
    String oem;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        oem = dir.resolve("oem").toString();
        cli = new CampaignCli(new CliEnv(clock, Fixtures.seeded(7)));
        Path v2 = dir.resolve("healthy-2.0.0.wotapkg");
        PackageFile.write(v2, CampaignKit.healthy(fx, "2.0.0", 2, "healthy_v2.wasm"));
        for (String v : List.of("veh-1", "veh-2", "veh-3")) {
            ok("vehicle", "register", "--oem", oem, "--id", v, "--hardware", "ecu-a");
        }
        ok("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles", "veh-1,veh-2,veh-3", "--waves",
                "1,100%", "--advance-at", "100%", "--expires", "1h", "--id", "c1");
        ok("campaign", "start", "--oem", oem, "--campaign", "c1");
    }

    private CampaignCli.Result ok(String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private void commit(String vehicle) throws Exception {
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("oem/outbox").resolve(vehicle))) {
            file = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        Instruction i = SignedInstruction.open(Files.readAllBytes(file), fx.oem.trustStore(), clock);
        ok("campaign", "report", "--oem", oem, "--campaign", "c1", "--vehicle", vehicle, "--instruction",
                i.instructionId(), "--nonce", i.nonce(), "--result", "committed");
    }

    @Test
    void jsonGivesEveryDocumentedFieldOfTheCampaignAndItsWaves() throws Exception {
        commit("veh-1");

        String out = ok("campaign", "status", "--oem", oem, "--campaign", "c1", "--json").out();

        assertEquals(1, out.lines().count(), out);
        JsonNode s = JSON.readTree(out);
        assertEquals("wasmota-campaign-status/1", s.path("format").asText());
        assertEquals("c1", s.path("campaign").asText());
        assertEquals("healthy@2.0.0", s.path("release").asText());
        assertEquals("RUNNING", s.path("state").asText());
        assertFalse(s.path("ended").asBoolean());
        assertEquals(2, s.path("currentWave").asInt());
        assertEquals(3, s.path("total").path("members").asInt());
        assertEquals(1, s.path("total").path("committed").asInt());
        assertEquals(2, s.path("total").path("awaiting").asInt());
        assertEquals(33, s.path("total").path("successPercent").asInt());
        assertEquals(2, s.path("waves").size());
        assertEquals("PASSED", s.path("waves").get(0).path("state").asText());
        assertEquals(100, s.path("waves").get(0).path("successPercent").asInt());
        assertTrue(s.path("rollback").isNull());
        assertEquals(documentedFields(), fields(s), "README's table of the --json fields and the JSON differ");

        String all = ok("campaign", "status", "--oem", oem, "--json").out();
        assertEquals("c1", JSON.readTree(all.lines().findFirst().orElseThrow()).path("campaign").asText(),
                "without --campaign: one object per campaign and line");
    }

    @Test
    void watchPrintsALineForEachChangeUntilTheCampaignEnds() throws Exception {
        StringWriter out = new StringWriter();
        AtomicReference<CampaignCli.Result> watched = new AtomicReference<>();
        Thread watch = new Thread(() -> watched.set(cli.run(out, "campaign", "status", "--oem", oem, "--campaign", "c1",
                "--watch", "--interval", "20ms")));
        watch.start();
        awaitLines(out, 1);
        // each commit's whole effect seen before the next: a report and the wave step it causes are two
        // writes, and a line for the state between them must not count as the step's
        commit("veh-1");
        awaitLine(out, "RUNNING, wave 2/2; 3 instructed, 1 committed");
        commit("veh-2");
        awaitLine(out, "RUNNING, wave 2/2; 3 instructed, 2 committed");
        commit("veh-3");
        watch.join(30_000);

        assertFalse(watch.isAlive(), "the watch ends with the campaign");
        assertEquals(0, watched.get().code(), watched.get().err());
        List<String> lines = lines(out);
        // a report and the wave step it causes are two writes, so a watch may also see the state between them
        assertTrue(lines.size() >= 4 && lines.size() <= 7, "one line at the start and one per change:\n" + out);
        assertNoRepeats(lines, out);
        assertTrue(lines.get(0).endsWith("campaign c1: RUNNING, wave 1/2; 1 instructed, 0 committed, 0 failed, 3 pending "
                + "(0% success, 0% errors)"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("RUNNING, wave 2/2; 3 instructed, 1 committed")), out::toString);
        assertTrue(lines.get(lines.size() - 1).contains("campaign c1: COMPLETED, wave 2/2; 3 instructed, 3 committed, 0 failed,"
                + " 0 pending (100% success, 0% errors)"), out::toString);
    }

    /** Nothing is printed while nothing changed: no line repeats the one before it (the time stamp aside). */
    private static void assertNoRepeats(List<String> lines, StringWriter out) {
        for (int i = 1; i < lines.size(); i++) {
            String prev = lines.get(i - 1);
            String line = lines.get(i);
            assertNotEquals(prev.substring(Math.max(0, prev.indexOf("campaign c1"))),
                    line.substring(Math.max(0, line.indexOf("campaign c1"))), "a line repeated:\n" + out);
        }
    }

    @Test
    void watchWithJsonPrintsTheJsonOfEachChange() throws Exception {
        commit("veh-1");
        commit("veh-2");
        StringWriter out = new StringWriter();
        Thread watch = new Thread(() -> cli.run(out, "campaign", "status", "--oem", oem, "--campaign", "c1", "--watch",
                "--json", "--interval", "20ms"));
        watch.start();
        awaitLines(out, 1);
        commit("veh-3");
        watch.join(30_000);

        List<String> lines = lines(out);
        assertTrue(lines.size() == 2 || lines.size() == 3, out.toString()); // 3: the report seen before its wave step
        assertEquals(2, JSON.readTree(lines.get(0)).path("total").path("committed").asInt());
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("COMPLETED", last.path("state").asText());
        assertTrue(last.path("ended").asBoolean());
    }

    @Test
    void watchingAnEndedCampaignPrintsItOnceAndExits() {
        ok("campaign", "abort", "--oem", oem, "--campaign", "c1");

        String out = ok("campaign", "status", "--oem", oem, "--campaign", "c1", "--watch").out();

        assertEquals(1, out.lines().count(), out);
        assertTrue(out.contains("campaign c1: ABORTED"), out);
    }

    @Test
    void watchWithoutACampaignIsAUsageError() {
        CampaignCli.Result r = cli.run("campaign", "status", "--oem", oem, "--watch");

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--watch needs --campaign ID"), r.err());
    }

    @Test
    void watchingAnUnknownCampaignIsRefused() {
        CampaignCli.Result r = cli.run("campaign", "status", "--oem", oem, "--campaign", "c-none", "--watch");

        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().startsWith("rejected (UNKNOWN_CAMPAIGN): no campaign c-none"), r.err());
    }

    private static List<String> lines(StringWriter out) {
        return out.toString().lines().toList();
    }

    private static void awaitLine(StringWriter out, String text) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (lines(out).stream().noneMatch(l -> l.contains(text))) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no line with '" + text + "' after 30 s:\n" + out);
            }
            Thread.sleep(10);
        }
    }

    private static void awaitLines(StringWriter out, int n) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (lines(out).size() < n) {
            if (System.nanoTime() > end) {
                throw new AssertionError("fewer than " + n + " lines after 30 s:\n" + out);
            }
            Thread.sleep(10);
        }
    }

    /** Every field name, nested ones as {@code total.x}, {@code waves[].x}; the counts once, under {@code total}. */
    private static TreeSet<String> fields(JsonNode s) {
        TreeSet<String> out = new TreeSet<>();
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            out.add(f);
            if (f.equals("total")) {
                s.get(f).fieldNames().forEachRemaining(x -> out.add("total." + x));
            }
            if (f.equals("waves")) {
                s.get(f).get(0).fieldNames().forEachRemaining(x -> {
                    if (!s.get("total").has(x)) {
                        out.add("waves[]." + x);
                    }
                });
            }
        }
        return out;
    }

    /** The fields README.md's table under "#### Campaign status as JSON" names. */
    private static TreeSet<String> documentedFields() throws Exception {
        List<String> readme = Files.readAllLines(Repository.file("README.md"));
        int at = readme.indexOf("#### Campaign status as JSON");
        assertTrue(at >= 0, "README.md has no '#### Campaign status as JSON' section");
        List<String> rows = new ArrayList<>();
        for (String line : readme.subList(at + 1, readme.size())) {
            if (line.startsWith("| `")) {
                rows.add(line.substring(3, line.indexOf('`', 3)));
            } else if (!rows.isEmpty()) {
                break;
            }
        }
        return new TreeSet<>(rows);
    }
}
