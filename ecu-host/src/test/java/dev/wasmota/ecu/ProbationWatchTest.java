package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What counts towards a probation, check by check on a clock the test moves: time the host runs the
 * active slot; not time it does not; a sandbox the host took off while its slot stayed active (a
 * tripped fault window with no rollback possible) fails the probation, which starts again.
 */
class ProbationWatchTest {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static CompiledModule empty;
    private final MutableClock clock = new MutableClock(Fixtures.T0.plusSeconds(60));
    private final Map<String, SandboxedModule> running = new HashMap<>();
    private SlotStore slots;
    private AuditLog log;
    private Probation probation;
    private ProbationWatch watch;

    @BeforeAll
    static void oem() {
        kit = new HostTestKit(pki);
        empty = CompiledModule.compile(Fixtures.wasm("empty.wasm"), CapabilitySet.parse(""));
    }

    @BeforeEach
    void v2OnProbation() {
        HostConfig config = kit.config(state).clock(clock).faultWindow(3, WINDOW).build();
        try (EcuHost host = kit.open(config)) {
            host.install(kit.healthy("1.0.0", 1), InstallContext.manual());
            host.install(kit.healthy("2.0.0", 2), InstallContext.manual());
        }
        slots = SlotStore.open(state.resolve("slots"));
        log = AuditLog.open(state.resolve(EcuHost.AUDIT_FILE), clock);
        probation = new Probation(config, slots, new HostAudit(log));
        watch = new ProbationWatch(probation, slots, () -> List.of(HEALTHY), id -> Optional.ofNullable(running.get(id)),
                clock, WINDOW, new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void close() {
        running.values().forEach(SandboxedModule::close);
        log.close();
    }

    private SandboxedModule sandbox() {
        return SandboxedModule.builder(empty).id(HEALTHY).limits(new ModuleLimits(1, 50_000, 10)).build();
    }

    private ProbationStatus status() {
        return probation.status(slots.state(HEALTHY).orElseThrow());
    }

    private void runFor(Duration d) {
        clock.advance(d);
        watch.checkSafely();
    }

    @Test
    void onlyTimeTheHostRunsTheSlotCounts() {
        watch.checkSafely();
        runFor(Duration.ofSeconds(30));
        assertEquals(Duration.ZERO, status().served(), "not running: nothing served");

        running.put(HEALTHY, sandbox());
        watch.checkSafely();
        runFor(Duration.ofSeconds(20));
        runFor(Duration.ofSeconds(15));
        assertEquals(Duration.ofSeconds(35), status().served());
    }

    @Test
    void aSandboxTakenOffWhileItsSlotStaysActiveFailsTheProbation() throws Exception {
        running.put(HEALTHY, sandbox());
        watch.checkSafely();
        runFor(Duration.ofSeconds(50));
        assertEquals(Duration.ofSeconds(50), status().served());

        running.remove(HEALTHY).close();
        runFor(Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, status().served(), "the probation starts again");
        assertTrue(Files.readString(state.resolve(Probation.DIR).resolve(HEALTHY + ".json"), StandardCharsets.UTF_8)
                .contains("\"servedMillis\":0"), "and that is on disk at once");

        running.put(HEALTHY, sandbox());
        watch.checkSafely();
        runFor(Duration.ofSeconds(30));
        assertFalse(status().confirmed(), "50 s before the failure do not count: " + status());
        runFor(Duration.ofSeconds(30));
        assertTrue(status().confirmed());
    }

    @Test
    void progressIsWrittenEveryTenthOfTheProbationAndOnClose() throws Exception {
        running.put(HEALTHY, sandbox());
        watch.checkSafely();
        runFor(Duration.ofSeconds(3));
        assertFalse(Files.exists(state.resolve(Probation.DIR).resolve(HEALTHY + ".json")), "3 s is under a tenth of 60 s");
        runFor(Duration.ofSeconds(4));
        assertTrue(Files.readString(state.resolve(Probation.DIR).resolve(HEALTHY + ".json"), StandardCharsets.UTF_8)
                .contains("\"servedMillis\":7000"));

        runFor(Duration.ofSeconds(2));
        watch.close();
        Probation reread = new Probation(kit.config(state).clock(clock).faultWindow(3, WINDOW).build(), slots,
                new HostAudit(log));
        assertEquals(Duration.ofSeconds(9), reread.status(slots.state(HEALTHY).orElseThrow()).served());
    }

    @Test
    void anUnreadableProgressRecordRestartsTheProbationAndIsLogged() throws Exception {
        Files.createDirectories(state.resolve(Probation.DIR));
        Files.writeString(state.resolve(Probation.DIR).resolve(HEALTHY + ".json"), "{\"moduleId\":\"healthy\",");

        assertEquals(Duration.ZERO, status().served());
        assertTrue(AuditLog.read(log.file()).stream().anyMatch(r -> r.detail() != null
                && r.detail().contains("the probation of the active slot starts again")));
    }
}
