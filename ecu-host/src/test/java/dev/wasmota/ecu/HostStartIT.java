package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.slots.CompiledClassStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules start independently: a module whose load takes seconds (the 1 MB module of 100,000
 * functions compiled again because its kept classes are gone) does not hold back a small
 * module's first tick, and one whose load fails holds back nothing.
 */
class HostStartIT {
    /** Sorted before the others, so a host loading one module after the other loads it first. */
    private static final String BIG = "a-big";
    private static final String BROKEN = "b-broken";

    @TempDir
    Path dir;

    @Test
    void aSlowOrFailingLoadDoesNotDelayAnotherModulesFirstTick() throws IOException, InterruptedException {
        HostTestKit kit = new HostTestKit(dir.resolve("pki"));
        Path state = dir.resolve("ecu");
        try (EcuHost host = kit.open(state)) {
            host.install(kit.stated("many_functions.wasm", spec(BIG, "1.0.0", 1, "", 1, 50_000, 10)),
                    InstallContext.manual());
            host.install(kit.stated("empty.wasm", spec(BROKEN, "1.0.0", 1, "")), InstallContext.manual());
            host.install(kit.stated("healthy_v1.wasm", spec(HEALTHY, "1.0.0", 1, HEALTHY_CAPS, 1, 2_000, 10)),
                    InstallContext.manual());
        }
        Path modules = state.resolve("slots").resolve("modules");
        Files.delete(modules.resolve(BIG).resolve("A").resolve(CompiledClassStore.FILE));
        Files.write(modules.resolve(BROKEN).resolve("A").resolve("package.wotapkg"), new byte[] {1, 2, 3});

        CompiledModuleCache fresh = new CompiledModuleCache();
        try (EcuHost host = kit.open(kit.config(state).compiledModules(fresh).build())) {
            long t0 = System.nanoTime();
            host.start();
            long smallFirstTick = 0;
            long bigStarted = 0;
            while (bigStarted == 0 && System.nanoTime() - t0 < Duration.ofSeconds(120).toNanos()) {
                long now = System.nanoTime() - t0;
                if (smallFirstTick == 0 && calls(host, HEALTHY) > 0) {
                    smallFirstTick = now;
                }
                if (host.running(BIG).isPresent()) {
                    bigStarted = now;
                }
                Thread.sleep(1);
            }
            assertTrue(bigStarted > 0, "the big module started: " + kit.printed());
            assertTrue(smallFirstTick > 0 && smallFirstTick < bigStarted, "the small module ticked at "
                    + smallFirstTick / 1_000_000 + " ms, before the big one started at " + bigStarted / 1_000_000
                    + " ms: " + kit.printed());
            assertEquals(1, fresh.compilations(), "the big module compiled, the small one loaded its kept classes");
            assertFalse(host.running(BROKEN).isPresent());
            String printed = kit.printed();
            assertTrue(printed.indexOf("module " + HEALTHY + " started in") < printed.indexOf("module " + BIG + " started in"),
                    printed);
            assertTrue(printed.contains("module " + BROKEN + " not started"), printed);
        }
    }

    @Test
    void stoppingWhileAModuleStillCompilesCutsItsLoadShortAndSaysSo() throws IOException, InterruptedException {
        HostTestKit kit = new HostTestKit(dir.resolve("pki"));
        Path state = dir.resolve("ecu");
        try (EcuHost host = kit.open(state)) {
            host.install(kit.stated("many_functions.wasm", spec(BIG, "1.0.0", 1, "", 1, 50_000, 10)),
                    InstallContext.manual());
        }
        Files.delete(state.resolve("slots/modules").resolve(BIG).resolve("A").resolve(CompiledClassStore.FILE));
        int before = AuditLog.read(state.resolve(EcuHost.AUDIT_FILE)).size();

        long stopped;
        try (EcuHost host = kit.open(kit.config(state).compiledModules(new CompiledModuleCache()).build())) {
            host.start();
            Thread.sleep(200);
            long t0 = System.nanoTime();
            host.stop();
            stopped = System.nanoTime() - t0;
            assertFalse(host.running(BIG).isPresent());
            HostTestKit.assertLogVerifies(host);
            assertEquals(List.of(), HostTestKit.records(host).subList(before, HostTestKit.records(host).size()).stream()
                    .filter(r -> r.event() == AuditEvent.ACTIVATED).toList(), "no activation, nor a refusal, logged");
        }
        assertTrue(kit.printed().contains("module " + BIG + " not started: still loading when the host stopped"),
                kit.printed());
        assertTrue(stopped < Duration.ofSeconds(3).toNanos(), "the compile stopped at its next class, in "
                + stopped / 1_000_000 + " ms");
    }

    private static long calls(EcuHost host, String id) {
        ModuleStats s = host.stats().get(id);
        return s == null ? 0 : s.calls();
    }
}
