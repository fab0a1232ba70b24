package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Skipped ticks and dropped log lines, counted before but never shown: in each module's statistics
 * and as meters ({@code ecu.module.ticks.skipped}, {@code ecu.module.log.dropped}), registered at
 * zero as soon as the module is scheduled.
 */
class SchedulerMetersTest {
    private static Scheduler scheduler(SimpleMeterRegistry registry) {
        return Scheduler.builder().meterRegistry(registry)
                .faultWindows(() -> new FaultWindow(1_000_000, Duration.ofMinutes(5), Clock.systemUTC())).build();
    }

    private static double count(SimpleMeterRegistry registry, String meter, String module) {
        return registry.get(meter).tag("module", module).counter().count();
    }

    @Test
    void countersAreRegisteredAtZeroWhenAModuleIsScheduled() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (var empty = SandboxedModule.builder(Corpus.compiled("empty", "")).id("idle")
                        .limits(new ModuleLimits(1, 50_000, 10)).build();
                var scheduler = scheduler(registry)) {
            scheduler.add(empty);

            assertEquals(0.0, count(registry, "ecu.module.ticks.skipped", "idle"));
            assertEquals(0.0, count(registry, "ecu.module.log.dropped", "idle"));
        }
    }

    @Test
    void logLinesOverTheRateAreDroppedCountedAndShown() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HostEnvironment quiet = HostEnvironment.simulated().withLog((id, line) -> { });
        try (var chatty = SandboxedModule.builder(Corpus.compiled("log_every_tick", "log")).id("chatty")
                        .limits(new ModuleLimits(1, 50_000, 10)).environment(quiet).build();
                var scheduler = scheduler(registry)) {
            scheduler.add(chatty);

            ModuleStats s = scheduler.run(Duration.ofMillis(1500)).get("chatty");

            assertTrue(s.calls() >= 60, s.toString());
            assertTrue(s.droppedLogLines() >= s.calls() / 2, "about 4 in 5 ticks' lines are over the rate: " + s);
            assertEquals(chatty.hostFunctions().droppedLogLines(), s.droppedLogLines());
            assertEquals((double) s.droppedLogLines(), count(registry, "ecu.module.log.dropped", "chatty"));
        }
    }

    @Test
    void ticksSkippedWhileTheLastStillRunsAreCountedAndShown() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (var runaway = SandboxedModule.builder(Corpus.compiled("runaway", "")).id("runaway")
                        .limits(new ModuleLimits(1, 10_000, 10)).build();
                var scheduler = scheduler(registry)) {
            scheduler.add(runaway);

            Map<String, ModuleStats> stats = scheduler.run(Duration.ofMillis(1000));

            ModuleStats s = stats.get("runaway");
            assertTrue(s.skippedTicks() >= 5, "its first tick alone runs 100 ms (the first-call allowance) over 10 ms"
                    + " periods: " + s);
            assertEquals((double) s.skippedTicks(), count(registry, "ecu.module.ticks.skipped", "runaway"));
        }
    }
}
