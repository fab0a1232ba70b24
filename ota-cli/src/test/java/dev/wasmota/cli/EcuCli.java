package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.sandbox.Realtime;
import dev.wasmota.ecu.sandbox.Stops;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Drives {@code ota ecu ...} through {@link Main#run} on the fixtures' clock, as a user types it,
 * and writes released (supplier-signed, OEM-countersigned) corpus packages the way the OEM
 * pipeline will, since the command line cannot countersign yet.
 */
final class EcuCli {
    static final CapabilitySet HEALTHY_CAPS = Fixtures.HEALTHY_CAPS;
    static final CapabilitySet NONE = CapabilitySet.parse("");
    /**
     * Deadline for modules that must run clean: generous, so a loaded build machine cannot turn a
     * healthy tick into a miss. Modules meant to miss get {@link #TIGHT_DEADLINE_US}.
     */
    static final long ROOMY_DEADLINE_US = 100_000;
    static final long TIGHT_DEADLINE_US = 2_000;

    final Fixtures fx;
    final Path dir;
    final Path trust;

    EcuCli(Path dir) {
        this.dir = dir;
        this.fx = new Fixtures(dir);
        this.trust = dir.resolve("oem/vehicle-trust");
    }

    /** One command's exit code, standard output and standard error. */
    record Result(int code, String out, String err) {
        /** The {@code ota ecu run} table's row for {@code module}. */
        Row row(String module) {
            return out.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length == 12 && f[0].equals(module))
                    .map(Row::new).findFirst()
                    .orElseThrow(() -> new AssertionError("no run-table row for " + module + " in:\n" + out));
        }
    }

    /** A row of the {@code ota ecu run} table. */
    record Row(String module, String version, long calls, double worstUs, long misses, long traps, long other,
               long skipped, long logDropped, long rollbacks, long overloads, String status) {
        Row(String[] f) {
            this(f[0], f[1], Long.parseLong(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                    Long.parseLong(f[9]), Long.parseLong(f[10]), f[11]);
        }
    }

    Result ota(String... args) {
        return ota(fx.clock, args);
    }

    Result ota(Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new CliEnv(clock, Fixtures.seeded(7)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Result ok(String... args) {
        Result r = ota(args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + " -> " + r);
        return r;
    }

    /** Asserts a refusal: exit {@code code} and exactly one line on stderr, starting "rejected (". */
    static Result assertRefused(int code, Result r) {
        assertEquals(code, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), () -> "exactly one line on stderr: " + r);
        assertTrue(r.err().startsWith("rejected ("), () -> "a refusal: " + r);
        return r;
    }

    // the ecu commands

    Result install(Path state, Path pkg) {
        return ota("ecu", "install", "--state", state.toString(), "--trust", trust.toString(), "--hardware-id", "ecu-a",
                "--package", pkg.toString());
    }

    /**
     * Installs a package that must commit. A health check that misses its budget is tried again
     * (at most twice more): each {@code ota ecu install} compiles the module afresh, and its first
     * {@code init()} call pays for loading the new classes, which a loaded build machine can push
     * past the budget (see the report on the health-check budget). Any other outcome fails at once.
     */
    Result installed(Path state, Path pkg) {
        Result r = install(state, pkg);
        for (int retry = 0; retry < 2 && r.code() == 5 && r.err().startsWith("rejected (DEADLINE_MISS): health check");
                retry++) {
            r = install(state, pkg);
        }
        Result last = r;
        assertEquals(0, last.code(), () -> "install " + pkg.getFileName() + " -> " + last);
        return last;
    }

    Result verify(Path pkg) {
        return ota("ecu", "verify", "--trust", trust.toString(), "--package", pkg.toString());
    }

    Result run(Path state, String duration) {
        return run(fx.clock, state, duration);
    }

    /**
     * {@code ota ecu run}, on {@code SCHED_FIFO} ({@code --realtime}) where this process may use it,
     * as the sandbox's own tests do ({@link Stops#onTheCpu()}): a runaway counts against itself only
     * when it had the CPU for 90 % of its budget, and a run that checks it is counted gives it the
     * CPU rather than depend on what else loads the machine (a parallel build, a neighbour's tests).
     */
    Result run(Clock clock, Path state, String duration) {
        List<String> args = new ArrayList<>(List.of("ecu", "run", "--state", state.toString(), "--duration", duration));
        if (Stops.onTheCpu() != Realtime.OFF) {
            args.add("--realtime");
        }
        Result r = ota(clock, args.toArray(String[]::new));
        assertEquals(0, r.code(), () -> "run -> " + r);
        return r;
    }

    Result rollback(Path state, String module) {
        return ota("ecu", "rollback", "--state", state.toString(), "--module", module);
    }

    Result confirm(Path state, String module) {
        return ota("ecu", "confirm", "--state", state.toString(), "--module", module);
    }

    Result status(Path state) {
        return ota("ecu", "status", "--state", state.toString());
    }

    Result log(Path state, String... more) {
        return ota(Stream.concat(Stream.of("ecu", "log", "--state", state.toString()), Stream.of(more))
                .toArray(String[]::new));
    }

    /**
     * A clock that moves on by more than the host's fault window (5 minutes) at every reading, so
     * no two faults share a window: the window never trips and every fault stays in the run table.
     */
    static Clock faultsNeverCluster() {
        AtomicLong readings = new AtomicLong();
        return new Clock() {
            @Override
            public Instant instant() {
                return Fixtures.T0.plus(Duration.ofMinutes(10).multipliedBy(readings.getAndIncrement()));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /**
     * A clock that runs {@code factor} times faster than real time from the fixtures' T0, so a
     * run of a second or two is many minutes to the host: long enough for a probation (the fault
     * window, 5 minutes) many times over.
     */
    static Clock fast(long factor) {
        long origin = System.nanoTime();
        return new Clock() {
            @Override
            public Instant instant() {
                return Fixtures.T0.plusNanos((System.nanoTime() - origin) * factor);
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
    }

    // packages

    /** Module {@code id}: one page, the roomy deadline, a 10 ms period, hardware ecu-a. */
    static PackageSpec spec(String id, String version, CapabilitySet caps) {
        return spec(id, version, caps, 1, ROOMY_DEADLINE_US, List.of("ecu-a"));
    }

    static PackageSpec spec(String id, String version, CapabilitySet caps, int pages, long deadlineUs,
                            List<String> hardware) {
        return new PackageSpec(id, version, 1, PackageSpec.UNASSIGNED, caps, pages, deadlineUs, 10, hardware,
                Optional.empty());
    }

    /** {@code wasmFile} packaged with {@code spec}, signed by acme and countersigned by the OEM. */
    Path released(String wasmFile, PackageSpec spec) {
        return write(fx.countersigned(supplierSigned(wasmFile, spec)), name(wasmFile, spec));
    }

    ModulePackage supplierSigned(String wasmFile, PackageSpec spec) {
        return fx.supplierSigned(Packager.build(Fixtures.wasm(wasmFile), spec), fx.acme);
    }

    /** healthy_v1 as 1.0.0 or healthy_v2 as 2.0.0, module id "healthy". */
    Path healthy(int major) {
        return released("healthy_v" + major + ".wasm", spec("healthy", major + ".0.0", HEALTHY_CAPS));
    }

    /** healthy_v1 or healthy_v2 as {@code major}.0.0 at security version {@code major}. */
    Path healthyAtSecurityVersion(int major) {
        PackageSpec s = spec("healthy", major + ".0.0", HEALTHY_CAPS);
        return released("healthy_v" + major + ".wasm", new PackageSpec(s.moduleId(), s.version(), major, s.supplierId(),
                s.capabilities(), s.memoryPages(), s.deadlineUs(), s.periodMs(), s.hardwareIds(), s.sbomSha256()));
    }

    /**
     * A package whose manifest asks for {@code spec}'s capabilities although acme's certificate
     * does not permit them: signed without {@link PackageSigner#sign}'s own check (as a forger
     * holding acme's key would), then countersigned, so only the vehicle's checks stand in the way.
     */
    Path releasedBeyondCertificate(String wasmFile, PackageSpec spec) {
        PackageSpec asAcme = new PackageSpec(spec.moduleId(), spec.version(), spec.securityVersion(), fx.acme.id(),
                spec.capabilities(), spec.memoryPages(), spec.deadlineUs(), spec.periodMs(), spec.hardwareIds(),
                spec.sbomSha256());
        ModulePackage raw = Packager.build(Fixtures.wasm(wasmFile), asAcme);
        ModulePackage signed = dev.wasmota.signing.pkg.CraftedPackages.signUnchecked(raw, fx.acme, fx.clock);
        return write(fx.countersigned(signed), "forged-" + name(wasmFile, spec));
    }

    /**
     * {@code wasmFile} under a manifest written by hand (exports read from the module, nothing
     * checked), signed with acme's real key and countersigned: what a bypassed intake could
     * release, e.g. a module the packager refuses for its exports.
     */
    Path releasedPastIntake(String wasmFile, PackageSpec spec) {
        byte[] wasm = Fixtures.wasm(wasmFile);
        dev.wasmota.signing.manifest.Manifest m = new dev.wasmota.signing.manifest.Manifest(spec.moduleId(), spec.version(),
                spec.securityVersion(), fx.acme.id(), dev.wasmota.contract.Digests.sha256Hex(wasm), wasm.length,
                dev.wasmota.signing.wasm.ModuleInterface.read(wasm).exports(), spec.capabilities(), spec.memoryPages(),
                Fixtures.capsOf(wasm, spec), spec.deadlineUs(), spec.periodMs(), spec.hardwareIds(), spec.sbomSha256());
        ModulePackage raw = new ModulePackage(dev.wasmota.signing.manifest.ManifestCodec.canonicalBytes(m), wasm,
                Optional.empty());
        return write(fx.countersigned(fx.supplierSigned(raw, fx.acme)), "past-intake-" + name(wasmFile, spec));
    }

    /** A copy of {@code pkg} with one byte of its module (the .wasm inside the file) flipped. */
    Path withFlippedModuleByte(Path pkg) {
        try {
            byte[] file = Files.readAllBytes(pkg);
            byte[] wasm = PackageFile.read(pkg).wasmBytes();
            int at = indexOf(file, wasm);
            assertTrue(at > 0, "module bytes found in the package file");
            file[at + wasm.length / 2] ^= 0x01;
            Path out = dir.resolve("flipped-" + pkg.getFileName());
            Files.write(out, file);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path write(ModulePackage pkg, String name) {
        Path file = dir.resolve(name);
        try {
            Files.deleteIfExists(file);
            PackageFile.write(file, pkg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String name(String wasmFile, PackageSpec spec) {
        return spec.moduleId() + "-" + spec.version() + "-" + String.join("+", spec.hardwareIds()) + "-" + spec.memoryPages() + "-"
                + spec.deadlineUs() + "-" + wasmFile.replace(".wasm", "") + PackageFile.EXTENSION;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
