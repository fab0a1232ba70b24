package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.stats.ModuleHealth;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime health a vehicle reports per module: what its sandbox saw since the module's activation. */
class EcuHostHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path pki;
    @TempDir
    Path state;

    @Test
    void reportsCallsCallTimesFaultsMemoryAndTheLastShadowsAgreement() throws InterruptedException {
        HostTestKit kit = new HostTestKit(pki);
        try (EcuHost host = kit.open(state)) {
            host.shadowBudget(new ShadowBudget(1024, 64));
            host.install(kit.healthy("1.0.0", 1), InstallContext.manual());
            host.config().environment().can().set(0x120, 42);
            assertTrue(host.health(HEALTHY).isEmpty(), "nothing runs before start");
            host.start();
            await(WAIT, "50 ticks", () -> host.health(HEALTHY).map(ModuleHealth::calls).orElse(0L) >= 50);

            ModuleHealth h = host.health(HEALTHY).orElseThrow();
            assertEquals("1.0.0", h.version());
            assertTrue(h.p50Micros() <= h.p99Micros() && h.p99Micros() <= h.maxMicros() && h.maxMicros() > 0, h.summary());
            assertEquals(0, h.deadlineMisses());
            assertEquals(0, h.traps());
            assertEquals(1, h.memoryPagesHighWater());
            assertEquals(-1, h.shadowAgreementPpm(), "no shadow ran");

            host.startShadow(kit.healthy("2.0.0", 2), InstallContext.manual(), new ShadowSpec(ShadowTolerance.exact(),
                    new ShadowRule(5, 1.0, 0)));
            await(WAIT, "the shadow's end", () -> host.shadow(HEALTHY).orElseThrow().state() != ShadowReport.State.RUNNING);
            await(WAIT, "v2 to run", () -> host.health(HEALTHY).map(ModuleHealth::version).orElse("").equals("2.0.0"));
            assertEquals(0, host.health(HEALTHY).orElseThrow().shadowAgreementPpm(), "v2 disagreed on every compared tick");
        }
    }
}
