package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final String HEALTHY_CAPS = "log,clock,can.read:120,can.write:220";

    @Test
    void runawayModuleDoesNotDelayAHealthyOne() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (var runaway = SandboxedModule.builder(Corpus.compiled("runaway", "")).id("runaway")
                        .limits(new ModuleLimits(1, 20_000, 25)).realtime(Stops.onTheCpu()).build();
                var healthy = SandboxedModule.builder(Corpus.compiled("healthy_v1", HEALTHY_CAPS)).id("healthy")
                        .limits(new ModuleLimits(1, 50_000, 10)).build();
                var scheduler = Scheduler.builder().meterRegistry(registry)
                        .faultWindows(() -> new FaultWindow(1_000, Duration.ofMinutes(5), Clock.systemUTC())).build()) {
            healthy.environment().can().set(0x120, 21);
            scheduler.add(runaway);
            scheduler.add(healthy);

            Map<String, ModuleStats> stats = scheduler.run(Duration.ofMillis(1500));

            ModuleStats h = stats.get("healthy");
            ModuleStats r = stats.get("runaway");
            assertEquals(0, h.deadlineMisses(), h.toString());
            assertEquals(0, h.faults(), h.toString());
            assertTrue(h.calls() >= 75, "healthy ticked only " + h.calls() + " times in 1.5 s at 10 ms");
            assertTrue(r.deadlineMisses() + r.hostOverloads() >= 20, r.toString());
            assertTrue(r.deadlineMisses() >= 1, "counted against the module: " + r);
            assertEquals(r.calls(), r.deadlineMisses() + r.hostOverloads(), "every runaway tick is stopped: " + r);
            assertEquals(h.calls(), healthy.call("ticks").value(0), "no healthy tick was lost to a rebuild");
            assertEquals((double) r.deadlineMisses(),
                    registry.get("ecu.module.deadline.misses").tag("module", "runaway").counter().count());
            assertEquals(h.calls(), registry.get("ecu.module.call").tag("module", "healthy").timer().count());
        }
    }

    @Test
    void trapStormTripsTheFaultWindowAndIsSuspended() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch tripped = new CountDownLatch(1);
        AtomicReference<ModuleStats> atTrip = new AtomicReference<>();
        try (var storm = SandboxedModule.builder(Corpus.compiled("trap_storm", "")).id("storm")
                        .limits(new ModuleLimits(1, 50_000, 2)).build();
                var scheduler = Scheduler.builder().meterRegistry(registry).onTrip((id, stats, last) -> {
                    atTrip.set(stats);
                    tripped.countDown();
                }).build()) {
            scheduler.add(storm);
            scheduler.start();

            assertTrue(tripped.await(10, TimeUnit.SECONDS), "no trip");
            ModuleStats s = atTrip.get();
            assertEquals("storm", s.module());
            assertEquals(3, s.traps(), s.toString());
            assertEquals(15, s.calls(), "3 traps at every 5th tick: " + s);
            assertTrue(s.tripped());
            Thread.sleep(50);
            assertEquals(15, scheduler.stats().get("storm").calls(), "suspended after the trip");
            assertEquals(3.0, registry.get("ecu.module.faults").tags("module", "storm", "kind", "TRAP").counter().count());
            assertEquals(3.0, registry.get("ecu.module.traps").tag("module", "storm").counter().count());
        }
    }
}
