package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vehicle's side of the resource caps: before anything parses or compiles a module, what it
 * declares must lie within its manifest's caps and those within the host's ceilings; and vehicles
 * sharing one compiled module (the simulator's fleets) each start from the module as signed.
 */
class EcuHostResourceCapsTest {
    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;

    @BeforeAll
    static void oem() {
        kit = new HostTestKit(pki);
    }

    @Test
    void refusesTablesDeclaredBeyondTheManifestsCapsBeforeCompilingThem() {
        CompiledModuleCache cache = new CompiledModuleCache();
        byte[] understated = kit.handBuilt("table_bomb_declared.wasm", spec("bomb", "1.0.0", 1, ""),
                new ResourceCaps(10, 65_536, 0, 0, 0, 0, 0));
        try (EcuHost host = kit.open(kit.config(state).compiledModules(cache).build())) {
            RejectedException e = assertRejected(PolicyFailure.RESOURCE_LIMIT, 4,
                    () -> host.install(understated, InstallContext.manual()));

            assertEquals("the module declares more than its manifest's caps allow: 100,000,000 table elements at"
                    + " start (cap 65,536)", e.getMessage());
            assertEquals(0, cache.compilations(), "refused before it was compiled");
            AuditRecord refused = only(records(host), AuditEvent.INSTALL_REFUSED);
            assertEquals("RESOURCE_LIMIT", refused.cause());
            assertEquals(List.of(), host.modules());
            assertLogVerifies(host);
        }
    }

    @Test
    void refusesAManifestAskingMoreThanThisHostsCeilings() {
        byte[] greedy = kit.handBuilt("state_leak.wasm", spec("leak", "1.0.0", 1, ""),
                new ResourceCaps(2, 1_000_000, 1, 1, 1, 1, 1));
        try (EcuHost host = kit.open(state)) {
            RejectedException e = assertRejected(PolicyFailure.RESOURCE_LIMIT, 4,
                    () -> host.install(greedy, InstallContext.manual()));

            assertEquals("the manifest's caps exceed this host's ceilings: 1,000,000 table elements above 65,536",
                    e.getMessage());
            assertEquals(List.of(), host.modules());
        }
    }

    @Test
    void aHostWithHigherCeilingsInstallsWhatTheyAllow() {
        byte[] greedy = kit.handBuilt("state_leak.wasm", spec("leak", "1.0.0", 1, ""),
                new ResourceCaps(2, 1_000_000, 1, 1, 1, 1, 1));
        ResourceCaps roomy = ResourceCaps.DEFAULT_CEILINGS.withTableElements(1_000_000);
        try (EcuHost host = kit.open(kit.config(state).resourceCeilings(roomy).build())) {
            assertEquals(InstallResult.Outcome.COMMITTED, host.install(greedy, InstallContext.manual()).outcome());
        }
    }

    @Test
    void vehiclesSharingOneCompiledModuleEachStartFromTheModuleAsSigned(@TempDir Path other)
            throws InterruptedException {
        CompiledModuleCache shared = new CompiledModuleCache();
        byte[] leak = kit.released("state_leak.wasm", spec("leak", "1.0.0", 1, "", 1, 50_000, 3_600_000)
                .withTableElements(8));
        try (EcuHost first = kit.open(kit.config(state).compiledModules(shared).build());
                EcuHost second = kit.open(kit.config(other).compiledModules(shared).build())) {
            SandboxedModule a = runningAfterItsFirstTick(first, leak);
            for (String export : List.of("grow_table", "grow_table", "grow_table", "bump_global", "bump_global",
                    "drop_data", "drop_elem")) {
                assertTrue(a.call(export).ok(), export);
            }

            SandboxedModule b = runningAfterItsFirstTick(second, leak);
            assertEquals(1, shared.compilations(), "one compiled module for both vehicles");
            assertEquals(1, value(b, "table_size"), "its own first tick's entry, nothing of the other vehicle's");
            assertEquals(1, value(b, "bump_global"));
            assertEquals(42, value(b, "read_data"));
            assertEquals(42, value(b, "call_elem"));
            assertEquals(4, value(a, "table_size"), "and the first vehicle's instance kept its own state");
        }
    }

    /** Installs {@code pkg} on a started host (an hour's period: one tick at once, no other) and waits for that tick. */
    private static SandboxedModule runningAfterItsFirstTick(EcuHost host, byte[] pkg) throws InterruptedException {
        host.start();
        host.install(pkg, InstallContext.manual());
        HostTestKit.await(java.time.Duration.ofSeconds(10), "the first tick",
                () -> host.stats().containsKey("leak") && host.stats().get("leak").calls() >= 1);
        return host.running("leak").orElseThrow();
    }

    private static long value(SandboxedModule m, String export) {
        CallResult r = m.call(export);
        assertTrue(r.ok(), () -> export + ": " + r);
        return r.value(0);
    }
}
