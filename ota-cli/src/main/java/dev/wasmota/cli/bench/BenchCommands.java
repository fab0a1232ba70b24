package dev.wasmota.cli.bench;

import dev.wasmota.cli.DurationConverter;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.ecu.sandbox.MemoryKind;
import dev.wasmota.ecu.sandbox.Realtime;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The ECU host's {@code ota bench ...} commands: thin picocli wrappers over the benchmark classes
 * of this package. Each prints progress while it works, then every figure as {@code name=value}
 * with its unit in the name. Default files are under {@code ${ota.home}/testdata/wasm}.
 */
public final class BenchCommands {
    private BenchCommands() {
    }

    /** Every ECU-host benchmark command, for registration under {@code ota bench}. */
    public static List<Object> all() {
        return List.of(new Tick(), new Deadline(), new Hostile(), new Activate(), new Install(), new Boot(), new Compute(),
                new ShadowBenchCommand());
    }

    static final String CORPUS = "${sys:ota.home:-.}/testdata/wasm";

    /** Base: output, the JVM and collector line every run starts with. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void progress(String format, Object... args) {
            PrintWriter out = out();
            out.printf(Locale.ROOT, format + "%n", args);
            out.flush();
        }

        void header() {
            String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                    .collect(Collectors.joining(", "));
            progress("# jvm %s %s, %d cpus, gc: %s", System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), gcs);
        }

        /** A usage error (exit 2) unless {@code ok}. */
        void require(boolean ok, String message) {
            if (!ok) {
                throw new ParameterException(spec.commandLine(), message);
            }
        }

        void print(List<String> lines) {
            PrintWriter out = out();
            lines.forEach(out::println);
            out.flush();
        }
    }

    @Command(name = "tick", mixinStandardHelpOptions = true,
            description = {"Measures the empty tick() call overhead host to WASM to host.", "Empty tick() call overhead host->WASM->host (empty.wasm): the module ticking itself on its period (the worker's wake-up to the result recorded, and how late the wake-up was), calls through the sandbox (the module's worker thread, deadline armed) back to back and after an idle gap, and as a raw Chicory call in the caller's thread. Target: periodic tick median <= 2 us."})
    static final class Tick extends Base {
        @Option(names = "--wasm", paramLabel = "FILE", defaultValue = CORPUS + "/empty.wasm",
                description = "module exporting tick() (default: ${DEFAULT-VALUE})")
        Path wasm;

        @Option(names = "--warmup", defaultValue = "50000", description = "calls before measuring (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--calls", defaultValue = "200000", description = "calls measured back to back (default: ${DEFAULT-VALUE})")
        int calls;

        @Option(names = "--idle-calls", defaultValue = "2000",
                description = "calls measured after an idle gap (default: ${DEFAULT-VALUE})")
        int idleCalls;

        @Option(names = "--idle-gap-us", defaultValue = "1000",
                description = "the idle gap; 0 skips that part (default: ${DEFAULT-VALUE})")
        long idleGapUs;

        @Option(names = "--periodic", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
                description = "how long the module ticks itself on a scheduler; 0 skips that part (default: ${DEFAULT-VALUE})")
        Duration periodic;

        @Option(names = "--period-ms", defaultValue = "10", description = "its period (default: ${DEFAULT-VALUE})")
        long periodMs;

        @Override
        public Integer call() throws Exception {
            require(warmup >= 0 && calls >= 1 && idleCalls >= 0 && idleGapUs >= 0 && periodMs >= 1,
                    "--calls and --period-ms must be at least 1; --warmup, --idle-calls and --idle-gap-us at least 0");
            header();
            progress("tick: %s ticking itself every %d ms, %d warm-up calls, %d back to back, %d after %d us idle,"
                    + " then raw calls ...", periodic, periodMs, warmup, calls, idleCalls, idleGapUs);
            print(new TickBench().run(new TickBench.Options(wasm, warmup, calls, idleCalls, idleGapUs, periodic, periodMs))
                    .lines());
            return 0;
        }
    }

    @Command(name = "deadline", mixinStandardHelpOptions = true,
            description = {"Measures how fast a runaway is stopped beside seven modules.", "Eight modules on their periods, one a runaway loop: how far past its deadline the runaway is stopped (p50/p99/max), and the other seven's misses, host overloads and ticks late by the wall clock. --realtime puts the workers and the watchdog on SCHED_FIFO. Target: p99 <= 0.5 ms, max <= 2 ms, 0 misses."})
    static final class Deadline extends Base {
        @Option(names = "--corpus", paramLabel = "DIR", defaultValue = CORPUS,
                description = "the test modules (default: ${DEFAULT-VALUE})")
        Path corpus;

        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
                description = "unmeasured run first (default: ${DEFAULT-VALUE})")
        Duration warmup;

        @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
                description = "measured run (default: ${DEFAULT-VALUE})")
        Duration duration;

        @Option(names = "--deadline-us", defaultValue = "5000", description = "every module's budget per tick (default: ${DEFAULT-VALUE})")
        long deadlineUs;

        @Option(names = "--period-ms", defaultValue = "10", description = "every module's period (default: ${DEFAULT-VALUE})")
        long periodMs;

        @Option(names = "--realtime", description = "the workers and the watchdog on SCHED_FIFO (priority "
                + Realtime.DEFAULT_PRIORITY + "); needs root or CAP_SYS_NICE, refused otherwise")
        boolean realtime;

        @Override
        public Integer call() throws Exception {
            require(!duration.isZero() && deadlineUs >= 1 && periodMs >= 1,
                    "--duration, --deadline-us and --period-ms must be positive");
            header();
            Realtime policy = realtime ? Realtime.fifo(Realtime.DEFAULT_PRIORITY) : Realtime.OFF;
            progress("deadline: 8 modules every %d ms, deadline %d us, %s; %s warm-up, then %s measured ...", periodMs,
                    deadlineUs, realtime ? "SCHED_FIFO " + policy.priority() : "ordinary scheduling", warmup, duration);
            GcPauses[] pauses = new GcPauses[1];
            DeadlineBench.Result r;
            try {
                r = new DeadlineBench().run(new DeadlineBench.Options(corpus, warmup, duration, deadlineUs, periodMs,
                        policy),
                        () -> {
                            progress("  warm-up done; measuring ...");
                            pauses[0] = new GcPauses();
                        });
            } finally {
                if (pauses[0] != null) {
                    pauses[0].close();
                }
            }
            for (var s : r.perModule().values()) {
                progress("  %-12s calls %6d  worst %8.1f us  misses %4d  overloads %4d  skipped %4d", s.module(), s.calls(),
                        s.worstCallNanos() / 1e3, s.deadlineMisses(), s.hostOverloads(), s.skippedTicks());
            }
            print(r.lines());
            print(pauses[0].lines());
            return 0;
        }
    }

    @Command(name = "hostile", mixinStandardHelpOptions = true,
            description = {"Measures a healthy neighbour beside a module growing its tables by 10 million.",
                    "A hostile module (16 tables, each asked to grow by ~10 million entries on every tick once armed)"
                            + " beside healthy_v1, both on the same period and deadline: the neighbour's calls,"
                            + " deadline misses, worst and p99 call time, the host's peak heap, and the grows refused at"
                            + " the cap. Target: 0 neighbour misses, heap within a few MB of where it started."})
    static final class Hostile extends Base {
        @Option(names = "--corpus", paramLabel = "DIR", defaultValue = CORPUS,
                description = "the test modules (default: ${DEFAULT-VALUE})")
        Path corpus;

        @Option(names = "--hostile", paramLabel = "FILE", defaultValue = "table_bomb_16.wasm",
                description = "the hostile module in the corpus (default: ${DEFAULT-VALUE})")
        String hostile;

        @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
                description = "measured run (default: ${DEFAULT-VALUE})")
        Duration duration;

        @Option(names = "--period-ms", defaultValue = "10", description = "both modules' period (default: ${DEFAULT-VALUE})")
        long periodMs;

        @Option(names = "--deadline-us", defaultValue = "10000",
                description = "both modules' budget per tick (default: ${DEFAULT-VALUE})")
        long deadlineUs;

        @Option(names = "--arm-at", defaultValue = "100",
                description = "the hostile module's first growing tick (default: ${DEFAULT-VALUE})")
        int armAt;

        @Option(names = "--table-elements", defaultValue = "0",
                description = "the hostile module's table-element cap; 0: what it declares (default: ${DEFAULT-VALUE})")
        long tableElements;

        @Override
        public Integer call() throws Exception {
            require(!duration.isZero() && periodMs >= 1 && deadlineUs >= 1 && armAt >= 1 && tableElements >= 0,
                    "--duration, --period-ms, --deadline-us and --arm-at must be positive, --table-elements at least 0");
            header();
            progress("hostile: %s beside healthy_v1, every %d ms, deadline %d us, growing from tick %d, for %s ...",
                    hostile, periodMs, deadlineUs, armAt, duration);
            HostileBench.Result r;
            try (GcPauses pauses = new GcPauses()) {
                r = new HostileBench().run(new HostileBench.Options(corpus, hostile, duration, periodMs, deadlineUs,
                        armAt, tableElements));
                print(r.lines());
                print(pauses.lines());
            }
            return 0;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            description = {"Measures activating an installed, compiled module.", "Activating an installed, compiled module: a fresh sandbox from the shared compiled module plus the init() health check, and the durable slot commit (temp write, fsync, rename, fsync of the directory), each timed, and their sum. Target: <= 2 ms."})
    static final class Activate extends Base {
        @Option(names = "--wasm", paramLabel = "FILE", defaultValue = CORPUS + "/large_100k.wasm",
                description = "module to activate (default: ${DEFAULT-VALUE})")
        Path wasm;

        @Option(names = "--capabilities", paramLabel = "LIST", defaultValue = "log",
                description = "what its imports need (default: ${DEFAULT-VALUE})")
        String capabilities;

        @Option(names = "--warmup", defaultValue = "100", description = "activations before measuring (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--rounds", defaultValue = "100", description = "activations measured (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--state-parent", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
                description = "where the temp state directory goes; its disk's fsync is timed (default: ${DEFAULT-VALUE})")
        Path stateParent;

        @Override
        public Integer call() throws Exception {
            require(rounds >= 1 && warmup >= 0, "--rounds must be at least 1 and --warmup at least 0");
            header();
            progress("activate: %s, %d warm-up + %d measured activations (each after staging a new version) ...",
                    wasm.getFileName(), warmup, rounds);
            int total = warmup + rounds;
            ActivateBench.Result r = new ActivateBench().run(new ActivateBench.Options(wasm,
                    CapabilitySet.parse(capabilities), warmup, rounds, stateParent), i -> {
                        if ((i + 1) % 25 == 0 || i + 1 == total) {
                            progress("  %d/%d", i + 1, total);
                        }
                    });
            print(r.lines());
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Measures a ~100 KB module from package bytes to committed.", "A ~100 KB module from package bytes to committed through the ECU host: verify both signatures, stage, compile, instantiate, health check, commit, audit records. Each install a new version and a new build (compiled afresh). Target: <= 150 ms."})
    static final class Install extends Base {
        @Option(names = "--wasm", paramLabel = "FILE", defaultValue = CORPUS + "/large_100k.wasm",
                description = "module to install (default: ${DEFAULT-VALUE})")
        Path wasm;

        @Option(names = "--capabilities", paramLabel = "LIST", defaultValue = "log",
                description = "what its imports need (default: ${DEFAULT-VALUE})")
        String capabilities;

        @Option(names = "--warmup", defaultValue = "5", description = "installs before measuring (default: ${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--rounds", defaultValue = "20", description = "installs measured (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--state-parent", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
                description = "where the temp state directory goes (default: ${DEFAULT-VALUE})")
        Path stateParent;

        @Override
        public Integer call() throws Exception {
            require(rounds >= 1 && warmup >= 0, "--rounds must be at least 1 and --warmup at least 0");
            header();
            progress("install: %s, signing %d packages, then %d warm-up + %d measured installs ...",
                    wasm.getFileName(), warmup + rounds, warmup, rounds);
            int total = warmup + rounds;
            InstallBench.Result r = new InstallBench().run(new InstallBench.Options(wasm,
                    CapabilitySet.parse(capabilities), warmup, rounds, stateParent), i -> {
                        if ((i + 1) % 5 == 0 || i + 1 == total) {
                            progress("  %d/%d", i + 1, total);
                        }
                    });
            print(r.lines());
            return 0;
        }
    }

    @Command(name = "boot", mixinStandardHelpOptions = true,
            description = {"Measures the time to each module's first tick at start, a big module beside a small one.",
                    "A vehicle with a ~1 MB module of 100,000 functions installed beside a small one (2 ms deadline): from the host's start to each module's first completed tick, per boot (each a fresh host state and an empty in-memory compiled-module cache, as a new `ecu run` process). Also the big module's install time and the compilations the boots ran."})
    static final class Boot extends Base {
        @Option(names = "--big", paramLabel = "FILE", defaultValue = CORPUS + "/many_functions.wasm",
                description = "the big module, no imports (default: ${DEFAULT-VALUE})")
        Path big;

        @Option(names = "--small", paramLabel = "FILE", defaultValue = CORPUS + "/healthy_v1.wasm",
                description = "the small module (default: ${DEFAULT-VALUE})")
        Path small;

        @Option(names = "--small-capabilities", paramLabel = "LIST", defaultValue = "log,clock,can.read:120,can.write:220",
                description = "what the small module's imports need (default: ${DEFAULT-VALUE})")
        String smallCapabilities;

        @Option(names = "--rounds", defaultValue = "5", description = "boots measured (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--state-parent", paramLabel = "DIR", defaultValue = "${sys:java.io.tmpdir}",
                description = "where the temp state directory goes (default: ${DEFAULT-VALUE})")
        Path stateParent;

        @Override
        public Integer call() throws Exception {
            require(rounds >= 1, "--rounds must be at least 1");
            header();
            progress("boot: %s beside %s, installing both, then %d boots ...", big.getFileName(), small.getFileName(),
                    rounds);
            BootBench.Result r = new BootBench().run(new BootBench.Options(big, small,
                    CapabilitySet.parse(smallCapabilities), rounds, stateParent), i -> progress("  %d/%d", i + 1, rounds));
            print(r.lines());
            return 0;
        }
    }

    @Command(name = "compute", mixinStandardHelpOptions = true,
            description = {"Measures one pass of a test-vector file in the vehicle's sandbox, and raw.", "Runs a test-vector file in the vehicle's own sandbox configuration and prints the median wall time of one pass, e.g. compute_ms=12.3, then the same passes on a bare compiled instance in the caller's thread (compute_raw_ms) and the ratio (compute_sandbox_over_raw_x). Both sides warm up first (--warmup); the passes alternate; each on the instance it has unless --fresh-instance."})
    static final class Compute extends Base {
        @Option(names = "--wasm", paramLabel = "FILE", defaultValue = CORPUS + "/sha256.wasm",
                description = "the module (default: ${DEFAULT-VALUE})")
        Path wasm;

        @Option(names = "--vectors", paramLabel = "FILE",
                description = "its vector file (default: the module's name with .vectors.json)")
        Path vectors;

        @Option(names = "--repeat", paramLabel = "N", defaultValue = "10",
                description = "passes measured (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--capabilities", paramLabel = "LIST",
                description = "what to grant (default: log, clock and CAN reads and writes on every id)")
        String capabilities;

        @Option(names = "--memory", paramLabel = "KIND", defaultValue = "default",
                description = "linear memory of both instances: array (ByteArrayMemory), buffer (ByteBufferMemory) or default (the sandbox's)")
        String memory;

        @Option(names = "--fresh-instance", description = "a fresh instance for every pass (not timed)")
        boolean freshInstance;

        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
                description = "both sides run unmeasured this long first, at least a pass each (default: ${DEFAULT-VALUE})")
        Duration warmup;

        @Override
        public Integer call() throws Exception {
            require(repeat >= 1, "--repeat must be at least 1");
            require(memory.equals("default") || memory.equals("array") || memory.equals("buffer"),
                    "--memory must be array, buffer or default");
            header();
            Path v = vectors != null ? vectors
                    : wasm.resolveSibling(wasm.getFileName().toString().replaceFirst("\\.wasm$", "") + ".vectors.json");
            MemoryKind kind = switch (memory) {
                case "array" -> MemoryKind.BYTE_ARRAY;
                case "buffer" -> MemoryKind.BYTE_BUFFER;
                default -> MemoryKind.DEFAULT;
            };
            progress("compute: %s with %s, memory %s, %s warm-up + %d measured passes, sandbox and raw alternating ...",
                    wasm.getFileName(), v.getFileName(), kind, warmup, repeat);
            ComputeBench.Result r = new ComputeBench().run(new ComputeBench.Options(wasm, v, repeat,
                    Optional.ofNullable(capabilities).map(CapabilitySet::parse), kind, freshInstance, warmup));
            print(r.lines());
            if (!r.allPassed()) {
                spec.commandLine().getErr().println("vectors failed: " + r.firstFailure());
                return ExitCode.MODULE_FAULT.code();
            }
            return 0;
        }
    }
}
