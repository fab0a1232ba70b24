package dev.wasmota.cli;

import dev.wasmota.signing.Fixtures;
import java.time.Clock;
import java.time.ZoneOffset;

/**
 * {@code ota} in a child process on the fixtures' clock (their certificates are valid then), for
 * tests that must run the real command line as its own process: the exit code and standard error
 * are {@link Main#run}'s, unchanged.
 */
public final class FixedClockMain {
    private FixedClockMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", Main.LOGGING);
        }
        CliEnv env = new CliEnv(Clock.fixed(Fixtures.T0, ZoneOffset.UTC), Fixtures.seeded(7));
        System.exit(Main.run(args, env, System.out, System.err));
    }
}
