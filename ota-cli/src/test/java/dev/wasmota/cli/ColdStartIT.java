package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.HEALTHY_CAPS;
import static dev.wasmota.cli.EcuCli.NONE;
import static dev.wasmota.cli.EcuCli.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.sandbox.FaultWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold start on a loaded host, end to end: each {@code ota ecu run} is a fresh JVM (the
 * module's classes interpreted until the JIT compiles them) while busy threads, one per core,
 * compete for the CPUs. A healthy module with a 2 ms deadline must not be stopped in its first
 * seconds, in any of three runs (issue 13: it was in 2 of its first 3); a runaway beside it must
 * still have every tick stopped in each, and its fault window trips in the runs where it was
 * counted against itself (issue 16: only a tick that used 90 % of its budget in CPU time of its own
 * is; beside the busy threads it may not get that much, and is then host overload).
 */

class ColdStartIT {
    private static final int RUNS = 3;

    @TempDir
    Path dir;

    @Test
    void aHealthyModuleIsNotStoppedInItsFirstSecondsOnALoadedHostWhileARunawayStillIs()
            throws IOException, InterruptedException {
        EcuCli cli = new EcuCli(dir);
        Path state = dir.resolve("ecu");
        cli.installed(state, cli.released("healthy_v1.wasm", spec("healthy", "1.0.0", HEALTHY_CAPS, 1, 2_000,
                List.of("ecu-a"))));
        cli.installed(state, cli.released("runaway.wasm", spec("runaway", "1.0.0", NONE, 1, 2_000, List.of("ecu-a"))));

        List<String> outputs = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> busy = busyThreads(Runtime.getRuntime().availableProcessors(), stop);
        try {
            for (int run = 0; run < RUNS; run++) {
                outputs.add(runInChild(state, run));
            }
        } finally {
            stop.set(true);
            for (Thread t : busy) {
                t.join();
            }
        }

        long tripped = 0;
        for (String out : outputs) {
            EcuCli.Row runaway = new EcuCli.Result(0, out, "").row("runaway");
            assertTrue(runaway.calls() >= 1 && runaway.calls() == runaway.misses() + runaway.overloads(),
                    "every tick of the runaway is stopped:\n" + out);
            assertEquals(runaway.misses() >= FaultWindow.DEFAULT_THRESHOLD, out.contains("runaway: stopped"),
                    "its window trips exactly when it was counted against itself often enough (a tick stopped after"
                            + " 90 % of its budget in CPU time of its own; beside the busy threads it may not get that):\n"
                            + out);
            tripped += out.contains("runaway: stopped") ? 1 : 0;
            assertFalse(out.contains("healthy: stopped") || out.contains("healthy: rolled back"),
                    "the healthy module runs on:\n" + out);
            EcuCli.Row healthy = new EcuCli.Result(0, out, "").row("healthy");
            assertEquals(0, healthy.misses() + healthy.traps() + healthy.other(), "never blamed:\n" + out);
        }
        String log = cli.log(state).out();
        assertEquals(tripped, log.lines().filter(l -> l.contains("FAULT_WINDOW_TRIPPED")).count(), log);
        assertFalse(log.lines().anyMatch(l -> l.contains("FAULT_WINDOW_TRIPPED") && l.contains("module=healthy")), log);
    }

    /** {@code ota ecu run --duration 1500ms} in a JVM of its own with the launcher's options; its output. */
    private String runInChild(Path state, int run) throws IOException, InterruptedException {
        Path output = dir.resolve("run-" + run + ".txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-DontCompileHugeMethods", "-XX:+UseSerialGC", "-Xmn16m",
                "-cp", System.getProperty("java.class.path"), FixedClockMain.class.getName(),
                "ecu", "run", "--state", state.toString(), "--duration", "1500ms");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "ecu run ends");
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out);
        return out;
    }

    private static List<Thread> busyThreads(int n, AtomicBoolean stop) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (!stop.get()) {
                    x += System.nanoTime() & 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }, "busy-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }
}
