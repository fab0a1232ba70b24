package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.sandbox.CompileBudget;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.ecu.sandbox.HostPolicyFailure;
import dev.wasmota.ecu.slots.CompiledClassStore;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled classes kept beside each slot: kept at install, loaded at start instead of
 * compiling when they are what the OEM stated, never loaded otherwise.
 */
class CompiledClassesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    HostTestKit kit;
    Path state;
    byte[] v1;
    String stated;

    @BeforeEach
    void setUp() {
        kit = new HostTestKit(dir.resolve("pki"));
        state = dir.resolve("ecu");
        v1 = kit.stated("healthy_v1.wasm", spec(HEALTHY, "1.0.0", 1, HEALTHY_CAPS));
        stated = new CompiledModuleCache().get(Fixtures.wasm("healthy_v1.wasm"), CapabilitySet.parse(HEALTHY_CAPS))
                .compiledSha256();
    }

    @Test
    void installKeepsTheCompiledClassesBesideTheSlotAsTheOemStatedThem() throws IOException {
        try (EcuHost host = open(new CompiledModuleCache())) {
            host.install(v1, InstallContext.manual());

            assertEquals(stated, CompiledOutputDigest.of(Files.readAllBytes(kept())));
            assertTrue(only(records(host), AuditEvent.INSTALL_STAGED).detail().contains("compiled classes kept"));
        }
    }

    @Test
    void startLoadsTheKeptClassesWithoutCompiling() throws InterruptedException {
        install();
        CompiledModuleCache fresh = new CompiledModuleCache();

        try (EcuHost host = started(fresh)) {
            assertEquals(0, fresh.compilations(), "no compilation at start");
            assertEquals(1, fresh.loads());
            await(WAIT, "ticks", () -> calls(host) >= 3);
            assertTrue(activated(host).detail().contains("compiled classes of slot A loaded, as the OEM stated"),
                    activated(host).detail());
            assertTrue(kit.printed().contains("module healthy started in"), kit.printed());
        }
    }

    /** An altered class is refused and the module compiled again from its signed package: the package, not the copy, is what the OEM vouched for. */
    @Test
    void aTamperedKeptClassIsNotLoadedButCompiledAgainAuditedAndReplaced() throws IOException, InterruptedException {
        install();
        Files.write(kept(), withAClassByteFlipped(Files.readAllBytes(kept())));
        CompiledModuleCache fresh = new CompiledModuleCache();

        try (EcuHost host = started(fresh)) {
            assertEquals(0, fresh.loads(), "the altered copy is not loaded");
            assertEquals(1, fresh.compilations());
            AuditRecord event = only(records(host), AuditEvent.SECURITY_EVENT);
            assertEquals(CompiledClasses.MISMATCH, event.cause());
            assertTrue(event.detail().contains("the OEM stated " + stated), event.detail());
            assertTrue(host.running(HEALTHY).isPresent(), "the module runs, compiled from its verified package");
            assertEquals(stated, CompiledOutputDigest.of(Files.readAllBytes(kept())), "the copy is replaced");
            assertLogVerifies(host);
        }
        CompiledModuleCache next = new CompiledModuleCache();
        try (EcuHost host = started(next)) {
            assertEquals(0, next.compilations(), "the next start loads the replaced copy");
            assertEquals(1, next.loads());
        }
    }

    @Test
    void garbageInPlaceOfTheKeptClassesIsNotLoaded() throws IOException, InterruptedException {
        install();
        Files.write(kept(), "not a jar".getBytes(StandardCharsets.UTF_8));
        CompiledModuleCache fresh = new CompiledModuleCache();

        try (EcuHost host = started(fresh)) {
            assertEquals(List.of(1L, 0L), List.of(fresh.compilations(), fresh.loads()));
            assertEquals(CompiledClasses.MISMATCH, only(records(host), AuditEvent.SECURITY_EVENT).cause());
            assertTrue(host.running(HEALTHY).isPresent());
        }
    }

    @Test
    void anotherModulesKeptClassesAreNotLoadedInItsPlace() throws IOException, InterruptedException {
        install();
        try (EcuHost host = open(new CompiledModuleCache())) {
            host.install(kit.stated("empty.wasm", spec("empty", "1.0.0", 1, "")), InstallContext.manual());
        }
        Files.copy(state.resolve("slots/modules/empty/A").resolve(CompiledClassStore.FILE), kept(),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CompiledModuleCache fresh = new CompiledModuleCache();

        try (EcuHost host = started(fresh)) {
            assertEquals(1, fresh.compilations(), "healthy compiled again");
            assertEquals(1, fresh.loads(), "only empty's own copy loaded");
            assertEquals(HEALTHY, only(records(host), AuditEvent.SECURITY_EVENT).moduleId());
        }
    }

    @Test
    void aMissingCopyIsCompiledAndKeptAgainWithoutASecurityEvent() throws IOException, InterruptedException {
        install();
        Files.delete(kept());
        CompiledModuleCache fresh = new CompiledModuleCache();

        try (EcuHost host = started(fresh)) {
            assertEquals(1, fresh.compilations());
            assertFalse(records(host).stream().anyMatch(r -> r.event() == AuditEvent.SECURITY_EVENT));
            assertTrue(activated(host).detail().contains("no compiled classes kept"), activated(host).detail());
            assertEquals(stated, CompiledOutputDigest.of(Files.readAllBytes(kept())));
        }
    }

    @Test
    void aPackageWithoutACompiledOutputStatementKeepsNoClassesAndIsCompiledAtEveryStart()
            throws InterruptedException {
        try (EcuHost host = open(new CompiledModuleCache())) {
            host.install(kit.released("healthy_v1.wasm", spec(HEALTHY, "1.0.0", 1, HEALTHY_CAPS)), InstallContext.manual());
        }
        assertFalse(Files.exists(kept()));
        for (int start = 0; start < 2; start++) {
            CompiledModuleCache fresh = new CompiledModuleCache();
            try (EcuHost host = started(fresh)) {
                assertEquals(1, fresh.compilations());
                assertTrue(host.running(HEALTHY).isPresent());
                assertTrue(activated(host).detail().contains("no compiled-output statement"), activated(host).detail());
            }
        }
    }

    @Test
    void installRefusesAModuleWhoseCompilationOutlastsItsBound() {
        byte[] large = kit.released("large_100k.wasm", spec("large", "1.0.0", 1, "log"));
        CompileBudget oneMillisecond = new CompileBudget(Duration.ofMillis(1), Duration.ZERO);
        try (EcuHost host = kit.open(kit.config(state).compiledModules(new CompiledModuleCache())
                .compileBudget(oneMillisecond).build())) {
            var e = assertRejected(HostPolicyFailure.COMPILE_TOO_SLOW, 4, () -> host.install(large, InstallContext.manual()));

            assertTrue(e.getMessage().contains("past its bound of 1 ms"), e.getMessage());
            assertEquals(HostPolicyFailure.COMPILE_TOO_SLOW.name(), only(records(host), AuditEvent.INSTALL_REFUSED).cause());
            assertTrue(host.modules().isEmpty(), "nothing staged or committed");
        }
    }

    private void install() {
        try (EcuHost host = open(new CompiledModuleCache())) {
            host.install(v1, InstallContext.manual());
        }
    }

    private EcuHost open(CompiledModuleCache cache) {
        return kit.open(kit.config(state).compiledModules(cache).build());
    }

    private EcuHost started(CompiledModuleCache cache) throws InterruptedException {
        EcuHost host = open(cache);
        host.start();
        assertTrue(host.awaitStarted(WAIT), "every module loaded");
        return host;
    }

    private Path kept() {
        return state.resolve("slots").resolve("modules").resolve(HEALTHY).resolve("A").resolve(CompiledClassStore.FILE);
    }

    private static long calls(EcuHost host) {
        var s = host.stats().get(HEALTHY);
        return s == null ? 0 : s.calls();
    }

    private static AuditRecord activated(EcuHost host) {
        List<AuditRecord> all = records(host).stream().filter(r -> r.event() == AuditEvent.ACTIVATED).toList();
        return all.get(all.size() - 1);
    }

    /** The same jar with one byte of its first class file changed: a valid zip, another digest. */
    private static byte[] withAClassByteFlipped(byte[] jar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean flipped = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (!flipped && e.getName().endsWith(".class")) {
                    bytes[bytes.length / 2] ^= 0x01;
                    flipped = true;
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        assertTrue(flipped, "the jar holds a class file");
        return out.toByteArray();
    }
}
