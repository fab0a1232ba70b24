package dev.wasmota.ecu;

import dev.wasmota.ecu.slots.StepHook;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.TrustStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process {@link EcuHostCrashIT} kills: opens a host on a state directory and installs a
 * package (or rolls a module back), halting the JVM with {@value #CRASHED} the
 * {@code occurrence}-th time the host announces {@code step}, as a power cut would stop it there.
 * Exits 0 if the step never came.
 *
 * <p>Arguments: {@code STATE TRUST_DIR STEP OCCURRENCE install PACKAGE_FILE} or
 * {@code STATE TRUST_DIR STEP OCCURRENCE rollback MODULE_ID}.
 */
public final class CrashChild {
    /** The exit status of a halt at the chosen step. */
    public static final int CRASHED = 86;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        TrustStore trust = TrustStore.load(Path.of(args[1]));
        String step = args[2];
        int occurrence = Integer.parseInt(args[3]);
        AtomicInteger seen = new AtomicInteger();
        StepHook halt = reached -> {
            if (reached.equals(step) && seen.incrementAndGet() == occurrence) {
                Runtime.getRuntime().halt(CRASHED);
            }
        };
        HostConfig config = HostConfig.builder(state, trust).identity(HostTestKit.ECU_A)
                .clock(Clock.fixed(Fixtures.T0, ZoneOffset.UTC)).environment(HostTestKit.quietEnvironment())
                .stepHook(halt).build();
        try (EcuHost host = EcuHost.open(config, System.out)) {
            switch (args[4]) {
                case "install" -> host.install(Files.readAllBytes(Path.of(args[5])), InstallContext.manual());
                case "rollback" -> host.rollback(args[5], "crash-test");
                default -> throw new IllegalArgumentException("unknown action " + args[4]);
            }
        }
        System.out.println("step " + step + " #" + occurrence + " was never reached");
    }
}
