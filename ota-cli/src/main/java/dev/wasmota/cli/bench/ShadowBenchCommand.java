package dev.wasmota.cli.bench;

import dev.wasmota.cli.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota bench shadow}: the active module's deadline misses and tick overhead with a shadow beside it. */
@Command(name = "shadow", mixinStandardHelpOptions = true,
        description = {"Measures the active module's cost with a shadow beside it.",
            "healthy_v1 runs on the real host alone, then with healthy_v2 as its shadow (called after each active"
                    + " tick on the same reads, writes captured and compared): the active's deadline misses and the CPU"
                    + " time its worker thread uses per tick in each phase, the shadow's, and the ratio."
                    + " Targets: 0 misses, active tick overhead at most doubled (active_tick_overhead_x <= 2)."})
final class ShadowBenchCommand extends BenchCommands.Base {
    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = BenchCommands.CORPUS,
            description = "the test modules (default: ${DEFAULT-VALUE})")
    Path corpus;

    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
            description = "each phase, measured (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
            description = "before each phase (default: ${DEFAULT-VALUE})")
    Duration warmup;

    @Option(names = "--period-ms", defaultValue = "10", description = "the active's period (default: ${DEFAULT-VALUE})")
    long periodMs;

    @Option(names = "--deadline-us", defaultValue = "2000", description = "both versions' deadline (default: ${DEFAULT-VALUE})")
    long deadlineUs;

    @Override
    public Integer call() throws Exception {
        require(!duration.isZero() && !duration.isNegative() && !warmup.isNegative() && periodMs >= 1 && deadlineUs >= 1,
                "--duration must be positive, --warmup at least 0, --period-ms and --deadline-us at least 1");
        header();
        progress("shadow: healthy_v1 every %d ms (deadline %d us), %s alone then %s with healthy_v2 as its shadow ...",
                periodMs, deadlineUs, duration, duration);
        print(new ShadowBench().run(new ShadowBench.Options(corpus, duration, warmup, periodMs, deadlineUs)).lines());
        return 0;
    }
}
