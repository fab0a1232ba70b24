package dev.wasmota.cli;

import java.security.SecureRandom;
import java.time.Clock;

/** What a command takes from its surroundings: time and randomness, injected so tests control them. */
public record CliEnv(Clock clock, SecureRandom random) {
    public static CliEnv system() {
        return new CliEnv(Clock.systemUTC(), new SecureRandom());
    }
}
