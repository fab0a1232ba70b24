package dev.wasmota.cli;

import dev.wasmota.ecu.HostConfig;
import dev.wasmota.oem.intake.CheckResult;
import dev.wasmota.oem.intake.IntakeListener;
import dev.wasmota.oem.intake.IntakeOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The intake's own settings, shared by {@code ota oem integrate} and {@code ota supplier test} so a
 * supplier rehearses exactly the checks the OEM will run (same options, same defaults), and the
 * progress line each check prints when it ends.
 */
public final class IntakeCheckOptions {
    @Option(names = "--soak-ticks", paramLabel = "N", defaultValue = "" + IntakeOptions.DEFAULT_SOAK_TICKS,
            description = "tick() calls in the soak (default: ${DEFAULT-VALUE})")
    int soakTicks;

    @Option(names = "--margin", paramLabel = "PCT", defaultValue = "" + IntakeOptions.DEFAULT_MARGIN_PERCENT,
            description = "the worst call may take at most PCT %% of the deadline (default: ${DEFAULT-VALUE})")
    int margin;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the soak's CAN inputs (default: from the module's digest)")
    Long seed;

    @Option(names = "--host-memory-pages", paramLabel = "N", defaultValue = "" + HostConfig.DEFAULT_HOST_MEMORY_PAGES,
            description = "the vehicles' cap on module memory, 64 KiB pages (default: ${DEFAULT-VALUE})")
    int hostPages;

    /**
     * Intake options from these settings, issuing at {@code clock}'s time and printing each check to {@code out}.
     *
     * @throws CommandLine.ParameterException naming every setting out of range (exit 2)
     */
    public IntakeOptions.Builder builder(CommandLine cmd, Clock clock, PrintWriter out) {
        IntakeOptions.Builder b = IntakeOptions.builder().marginPercent(margin).soakTicks(soakTicks)
                .hostMemoryPages(hostPages).clock(clock).listener(progress(out));
        if (seed != null) {
            b.seed(seed);
        }
        try {
            b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
        return b;
    }

    /** Prints one line per check when it ends: its name, status, detail and time. */
    static IntakeListener progress(PrintWriter w) {
        return new IntakeListener() {
            @Override
            public void finished(CheckResult r) {
                w.printf(Locale.ROOT, "  %-19s %-8s %s%s%n", r.check().label(), r.status().label(), r.detail(),
                        r.status() == CheckResult.Status.SKIPPED ? "" : String.format(Locale.ROOT, " [%.0f ms]", r.millis()));
                w.flush();
            }
        };
    }
}
