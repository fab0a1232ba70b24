package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.Parser;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.Corpus;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' arithmetic, and short smoke runs of each: they work and report every figure
 * (real figures: {@code ota bench}, docs/BENCHMARKS.md). No assertion here depends on timing.
 */
class BenchTest {
    @TempDir
    Path tmp;

    @Test
    void buildTagIsAValidCustomSectionThatChangesOnlyTheDigest() {
        byte[] wasm = Corpus.bytes("empty.wasm");
        byte[] tagged = BenchPackages.withBuildTag(wasm, 300);
        assertArrayEquals(wasm, java.util.Arrays.copyOf(tagged, wasm.length), "appended, nothing changed");
        assertEquals(0, tagged[wasm.length], "custom section id");
        assertEquals(tagged.length - wasm.length - 2, tagged[wasm.length + 1], "section size");
        assertEquals(Parser.parse(wasm).exportSection().exportCount(), Parser.parse(tagged).exportSection().exportCount());
        assertNotEquals(CompiledModule.compile(wasm, CapabilitySet.EMPTY).sha256(),
                CompiledModule.compile(BenchPackages.withBuildTag(wasm, 301), CapabilitySet.EMPTY).sha256());
    }

    @Test
    void leb128EncodesSevenBitsPerByte() {
        assertArrayEquals(new byte[] {0}, leb(0));
        assertArrayEquals(new byte[] {0x7f}, leb(127));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, leb(128));
        assertArrayEquals(new byte[] {(byte) 0xe5, (byte) 0x8e, 0x26}, leb(624_485));
    }

    @Test
    void hostileBenchHoldsTheGrowsAtTheCapAndReportsEveryFigure() throws Exception {
        Path corpus = Corpus.path("empty.wasm").getParent();
        HostileBench.Result r = new HostileBench().run(new HostileBench.Options(corpus, "table_bomb_16.wasm",
                Duration.ofMillis(400), 10, 50_000, 2, 0));
        assertEquals(0, r.hostileGrown());
        assertTrue(r.hostileRefused() >= 16, r.toString());
        assertEquals(r.hostileRefused(), r.refusedAtTheCap(), "every -1 the module saw was the cap's");
        assertTrue(r.neighbourCalls() > 0, r.toString());
        assertEquals(15, r.lines().size());
    }

    @Test
    void shadowBenchComparesEveryTickAndReportsEveryFigure() throws Exception {
        var r = new ShadowBench().run(new ShadowBench.Options(Corpus.path("healthy_v1.wasm").getParent(),
                Duration.ofMillis(500), Duration.ofMillis(200), 10, 5_000));
        assertTrue(r.alone().ticks() >= 10 && r.shadowed().ticks() >= 10, r.toString());
        assertTrue(r.shadowed().compared() > 0, "the shadow ran on the active's ticks: " + r);
        assertEquals(r.report().compared(), r.report().disagreements(), "healthy_v2 disagrees with healthy_v1 on every tick");
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("active_tick_overhead_x=")), r.lines().toString());
    }

    @Test
    void tickBenchReportsEveryFigure() throws Exception {
        var r = new TickBench().run(new TickBench.Options(Corpus.path("empty.wasm"), 2_000, 3_000, 20, 200,
                Duration.ofMillis(300), 5));
        assertTrue(r.rawMedianNs() > 0 && r.sandboxMedianNs() > 0 && r.idleMedianNs() > 0, r.toString());
        assertTrue(r.lines().get(0).startsWith("tick_sandbox_ns_p50="), r.lines().toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("tick_sandbox_after_idle_ns_p50=")));
        assertTrue(r.periodic().ticks() >= 20 && r.periodic().hostMedianNs() > 0, r.toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("tick_periodic_ns_p50=")), r.lines().toString());
        assertTrue(new TickBench().run(new TickBench.Options(Corpus.path("empty.wasm"), 0, 10, 5, 0)).lines().stream()
                .noneMatch(l -> l.contains("after_idle")), "an idle gap of 0 skips that part");
    }

    @Test
    void deadlineBenchStopsTheRunawayEveryTime() throws Exception {
        var r = new DeadlineBench().run(new DeadlineBench.Options(Corpus.path(""), Duration.ofMillis(300),
                Duration.ofMillis(800), 20_000, 25));
        var runaway = r.perModule().get("runaway");
        assertTrue(runaway.calls() > 0, r.toString());
        // each stop is a deadline miss, or a host overload when the machine held the worker back (a loaded CI
        // machine: all 25 were overloads once); either way every runaway tick is stopped
        assertEquals(runaway.calls(), runaway.deadlineMisses() + runaway.hostOverloads(), "every runaway tick is stopped: " + r);
        assertEquals(runaway.deadlineMisses(), r.runawayMisses(), "the figure is the runaway's misses: " + r);
        assertTrue(r.othersCalls() > 0, r.toString());
        assertEquals(8, r.perModule().size());
        assertTrue(r.lines().contains("others_deadline_misses=" + r.othersDeadlineMisses()), r.lines().toString());
    }

    @Test
    void computeBenchTimesAPassOverTheVectors() throws Exception {
        var r = new ComputeBench().run(new ComputeBench.Options(Corpus.path("brake_temp.wasm"),
                Corpus.path("brake_temp.vectors.json"), 3, Optional.empty()));
        assertTrue(r.allPassed(), r.firstFailure());
        assertTrue(r.line().matches("compute_ms=\\d+\\.\\d"), r.line());
        assertTrue(r.rawMedianMs() > 0, r.toString());
        assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("compute_sandbox_over_raw_x=")), r.lines().toString());
    }

    @Test
    void activateBenchTimesSandboxAndCommitOfEachActivation() throws Exception {
        var r = new ActivateBench().run(new ActivateBench.Options(Corpus.path("empty.wasm"), CapabilitySet.EMPTY, 1, 3,
                tmp));
        assertEquals(3, r.rounds());
        assertTrue(r.sandboxP50() > 0 && r.commitP50() > 0, r.toString());
        assertTrue(r.totalMax() >= r.totalP50(), r.toString());
        assertTrue(r.lines().contains(ActivateBench.ms("activate_ms_p50", r.totalP50())), r.lines().toString());
        assertEquals(0, Files.list(tmp).count(), "the temp state is removed");
    }

    @Test
    void installBenchCommitsEachNewVersion() throws Exception {
        var r = new InstallBench().run(new InstallBench.Options(Corpus.path("empty.wasm"), CapabilitySet.EMPTY, 0, 2,
                tmp));
        assertEquals(2, r.rounds());
        assertTrue(r.totalP50() > 0 && r.compileP50() > 0 && r.chicoryCompileP50() > 0, "each install compiled: " + r);
        assertTrue(r.compileP50() <= r.totalMax(), r.toString());
        assertTrue(r.lines().get(0).startsWith("install_ms_p50="), r.lines().toString());
        assertEquals(0, Files.list(tmp).count(), "the temp state is removed");
    }

    private static byte[] leb(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchPackages.leb128(out, v);
        return out.toByteArray();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "--vehicles 10 --vehicles-only --thin --broker tcp://127.0.0.1:1 | --vehicles-only needs --oem DIR and --broker URL",
        "--vehicles 10 --thin --oem /tmp/x | --oem is for --vehicles-only",
        "--vehicles 10 --vehicle-ids 5-20 --thin | --vehicle-ids must lie within 1-10",
        "--vehicles 10 --vehicle-ids five --thin | --vehicle-ids must be FROM-TO",
        "--vehicles 10 --vehicle-ids 1-5 | need --thin",
        "--vehicles 10 --thin --online 5 --session-expiry soon | --session-expiry must be 1..4294967294 seconds or never",
        "--vehicles 10 --thin --session-expiry never | --session-expiry is for parked vehicles",
        "--vehicles 10 --thin --set ota.no.such=1 | unknown setting 'ota.no.such'",
        "--vehicles 10 --thin --vehicles-only --oem /tmp/x --broker tcp://127.0.0.1:1 --db jdbc:h2:mem:x | --db and --campaign-delay are for the process that runs the OEM"})
    void campaignBenchRefusesWhatCannotRunWithAOneLineReasonBeforeStartingAnything(String args, String reason) {
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = new picocli.CommandLine(new CampaignBench()).setOut(new java.io.PrintWriter(new java.io.StringWriter()))
                .setErr(new java.io.PrintWriter(err, true)).execute(args.trim().split(" +"));

        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains(reason.trim()), err.toString());
    }
}
