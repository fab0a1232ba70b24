package dev.wasmota.ecu;

import dev.wasmota.signing.pki.TrustHierarchy;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.ecu.slots.CompiledClassStore;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.Slot;
import dev.wasmota.ecu.slots.SlotMetadata;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.ecu.slots.StepHook;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real host process at every step an install or a rollback announces, then reopens its
 * state in this JVM: the active slot must be the old or the new version, intact and verifying,
 * the audit log must verify and agree with the slots (a commit the crash kept from the log is
 * recorded on recovery), the anti-rollback floor must be where the slots put it, and the
 * interrupted operation must go through when redone.
 */
class EcuHostCrashIT {
    @TempDir
    static Path root;

    private static HostTestKit kit;
    private static Path trustDir;
    private static Map<String, Version> versions;

    /**
     * A release of the healthy module: its package (with the OEM's compiled-output statement), the
     * file the child reads, what the slots record, and the digest of its compiled classes.
     */
    private record Version(String version, long securityVersion, byte[] bytes, Path file, String wasmSha256,
                           String compiledSha256) {}

    /**
     * An interrupted operation: what is committed before it, the child's action, the versions
     * the active slot may hold after a crash, and the version it holds once done.
     */
    private record Scenario(String name, List<String> before, List<String> action, Set<String> allowed,
                            String done, Set<String> requiredSteps) {}

    private static final Set<String> INSTALL_STEPS = Set.of("install.verified", "stage.metadata-cleared",
            "stage.package.temp-written", "stage.package.renamed", "stage.metadata.temp-written",
            "stage.metadata.renamed", "stage.written", "classes.temp-written", "classes.renamed", "install.compiled",
            "install.instantiated", "install.health-checked", "commit.temp-written", "commit.renamed", "install.logged");

    @BeforeAll
    static void releases() throws IOException {
        kit = new HostTestKit(root.resolve("pki"));
        trustDir = root.resolve("pki").resolve("oem").resolve(TrustHierarchy.TRUST_DIR);
        versions = new HashMap<>();
        release("1.0.0", 1, "healthy_v1.wasm");
        release("2.0.0", 2, "healthy_v2.wasm");
        release("3.0.0", 3, "empty.wasm");
    }

    private static void release(String version, long securityVersion, String wasmFile) throws IOException {
        byte[] bytes = kit.stated(wasmFile, spec(HEALTHY, version, securityVersion, HEALTHY_CAPS));
        Path file = Files.write(root.resolve(version + ".wotapkg"), bytes);
        String compiled = CompiledModule.compile(Fixtures.wasm(wasmFile), CapabilitySet.parse(HEALTHY_CAPS)).compiledSha256();
        versions.put(version, new Version(version, securityVersion, bytes, file, HostTestKit.wasmSha256(wasmFile),
                compiled));
    }

    private static List<Scenario> scenarios() {
        Set<String> overRollbackTarget = union(INSTALL_STEPS, Set.of("stage.release-previous.temp-written",
                "stage.release-previous.renamed", "floor.temp-written", "floor.renamed"));
        return List.of(
                new Scenario("install v2 over v1", List.of("1.0.0"), install("2.0.0"),
                        Set.of("1.0.0", "2.0.0"), "2.0.0", INSTALL_STEPS),
                new Scenario("install v3 over v2, overwriting the rollback target v1", List.of("1.0.0", "2.0.0"),
                        install("3.0.0"), Set.of("2.0.0", "3.0.0"), "3.0.0", overRollbackTarget),
                new Scenario("roll back v2 to v1", List.of("1.0.0", "2.0.0"), List.of("rollback", HEALTHY),
                        Set.of("1.0.0", "2.0.0"), "1.0.0", Set.of("rollback.temp-written", "rollback.renamed")));
    }

    @TestFactory
    Stream<DynamicNode> everyStepOfAnInterruptedOperationRecoversToAConsistentState() throws IOException {
        List<DynamicNode> containers = new ArrayList<>();
        for (Scenario scenario : scenarios()) {
            Path base = Files.createDirectories(root.resolve(slug(scenario.name())).resolve("base"));
            try (EcuHost host = kit.open(base)) {
                scenario.before().forEach(v -> host.install(versions.get(v).bytes(), InstallContext.manual()));
            }
            List<String> steps = discoverSteps(scenario, base);
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("announces every durable step", () -> assertTrue(
                    steps.containsAll(scenario.requiredSteps()), "announced " + steps + ", required "
                            + scenario.requiredSteps())));
            Map<String, Integer> occurrences = new HashMap<>();
            for (String step : steps) {
                int occurrence = occurrences.merge(step, 1, Integer::sum);
                tests.add(DynamicTest.dynamicTest("killed at " + step + (occurrence > 1 ? " #" + occurrence : ""),
                        () -> crashAndRecover(scenario, base, step, occurrence)));
            }
            containers.add(DynamicContainer.dynamicContainer(scenario.name(), tests));
        }
        return containers.stream();
    }

    /** Runs the operation in this JVM on a copy of {@code base}, recording each step it announces. */
    private static List<String> discoverSteps(Scenario scenario, Path base) throws IOException {
        Path dir = copyOf(base, "discover");
        List<String> steps = new ArrayList<>();
        try (EcuHost host = kit.open(kit.config(dir).stepHook(steps::add).build())) {
            perform(scenario, host);
            assertEquals(scenario.done(), active(host).activeMetadata().version(), "the operation completes");
        }
        return List.copyOf(steps);
    }

    private void crashAndRecover(Scenario scenario, Path base, String step, int occurrence)
            throws IOException, InterruptedException {
        Path dir = copyOf(base, slug(step) + "-" + occurrence);
        runChildUntilKilled(scenario, dir, step, occurrence);

        try (EcuHost host = kit.open(dir)) {
            ModuleState recovered = active(host);
            String version = recovered.activeMetadata().version();
            assertTrue(scenario.allowed().contains(version), "after a crash at " + step + " the active version is "
                    + version + ", not one of " + scenario.allowed());
            assertConsistent(host, dir, recovered);

            if (!version.equals(scenario.done())) {
                perform(scenario, host);
            } else if (scenario.action().get(0).equals("install")) {
                InstallResult again = host.install(versions.get(scenario.done()).bytes(), InstallContext.manual());
                assertEquals(InstallResult.Outcome.ALREADY_ACTIVE, again.outcome());
            }
            ModuleState done = active(host);
            assertEquals(scenario.done(), done.activeMetadata().version(), "the redone operation completes");
            assertConsistent(host, dir, done);
        }
    }

    /**
     * The slots hold intact, verifying packages, each with its own compiled classes kept beside it;
     * the log verifies, agrees with them, and the floor is right.
     */
    private static void assertConsistent(EcuHost host, Path dir, ModuleState state) throws IOException {
        SlotStore slots = SlotStore.open(dir.resolve("slots"));
        for (Map.Entry<Slot, SlotMetadata> slot : state.slots().entrySet()) {
            byte[] bytes = slots.read(HEALTHY, slot.getKey());
            Manifest m = new PackageVerifier(kit.fx.oem.trustStore(), kit.fx.clock).verify(PackageFile.fromBytes(bytes))
                    .manifest();
            assertEquals(slot.getValue().version(), m.version(), "slot " + slot.getKey());
            assertEquals(versions.get(m.version()).wasmSha256(), m.wasmSha256(), "slot " + slot.getKey());
            assertEquals(slot.getValue().wasmSha256(), m.wasmSha256(), "slot " + slot.getKey());
            Path kept = new CompiledClassStore(slots, StepHook.NONE).file(HEALTHY, slot.getKey());
            assertEquals(versions.get(m.version()).compiledSha256(), CompiledOutputDigest.of(Files.readAllBytes(kept)),
                    "the compiled classes kept for slot " + slot.getKey());
        }
        VerifyResult verified = AuditLog.verify(host.auditFile());
        assertTrue(verified.ok(), verified.summary());
        List<AuditRecord> log = AuditLog.read(host.auditFile());
        assertEquals(state.activeMetadata().wasmSha256(), lastActivated(log),
                "the last commit, rollback or recovery in the log names the active version " + state.activeMetadata().version());
        long lowest = state.previousMetadata().map(p -> Math.min(p.securityVersion(), state.activeMetadata().securityVersion()))
                .orElse(state.activeMetadata().securityVersion());
        assertEquals(lowest, host.floor(HEALTHY), "the floor is the lowest security version installed");
    }

    /** The wasm digest the log last recorded as becoming active. */
    private static String lastActivated(List<AuditRecord> log) {
        String last = null;
        for (AuditRecord r : log) {
            boolean activates = r.event() == AuditEvent.INSTALL_COMMITTED || r.event() == AuditEvent.ROLLBACK
                    || r.event() == AuditEvent.RECOVERY;
            if (activates && HEALTHY.equals(r.moduleId()) && r.outcome() == Outcome.SUCCESS && r.toWasmSha256() != null) {
                last = r.toWasmSha256();
            }
        }
        return last;
    }

    private static void runChildUntilKilled(Scenario scenario, Path dir, String step, int occurrence)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), trustDir.toString(), step, Integer.toString(occurrence)));
        command.addAll(childAction(scenario));
        Path output = dir.resolveSibling(dir.getFileName() + ".out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly().waitFor();
            fail("the child did not stop at " + step + " within 60 s:\n" + Files.readString(output, StandardCharsets.UTF_8));
        }
        assertEquals(CrashChild.CRASHED, child.exitValue(), () -> "the child was not killed at " + step + ":\n"
                + readQuietly(output));
    }

    private static List<String> childAction(Scenario scenario) {
        if (scenario.action().get(0).equals("install")) {
            return List.of("install", versions.get(scenario.action().get(1)).file().toString());
        }
        return scenario.action();
    }

    private static void perform(Scenario scenario, EcuHost host) {
        if (scenario.action().get(0).equals("install")) {
            InstallResult r = host.install(versions.get(scenario.action().get(1)).bytes(), InstallContext.manual());
            assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
        } else {
            host.rollback(scenario.action().get(1), "crash-test");
        }
    }

    private static List<String> install(String version) {
        return List.of("install", version);
    }

    private static ModuleState active(EcuHost host) {
        List<ModuleState> modules = host.modules();
        assertEquals(1, modules.size(), modules.toString());
        return modules.get(0);
    }

    private static Path copyOf(Path base, String name) throws IOException {
        Path target = base.resolveSibling(name);
        try (Stream<Path> walk = Files.walk(base)) {
            walk.forEach(copyInto(base, target));
        }
        return target;
    }

    private static Consumer<Path> copyInto(Path base, Path target) {
        return p -> {
            try {
                Files.copy(p, target.resolve(base.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static String slug(String text) {
        return text.replaceAll("[^A-Za-z0-9.]+", "-");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
