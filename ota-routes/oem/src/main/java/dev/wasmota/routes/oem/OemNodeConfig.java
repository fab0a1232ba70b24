package dev.wasmota.routes.oem;

import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.transport.ServiceEvents;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

/**
 * What an {@link OemNode} runs with. Defaults: the OEM directory's embedded database, the system
 * clock, {@link SecureRandom}, the {@link RouteProperties} defaults, intake with its defaults, a
 * private meter registry, no one told of its {@link ServiceEvents}, and the system clock for leases
 * (whatever {@link #clock} a test fixes: leases measure real time between worker processes, and
 * every worker's lease clock must agree).
 */
public record OemNodeConfig(Path oemDir, MqttSettings mqtt, Properties properties, Optional<String> dbUrl,
                            Clock clock, Random random, IntakeOptions intakeOptions, MeterRegistry registry,
                            ServiceEvents events, Clock leaseClock) {
    public OemNodeConfig {
        Objects.requireNonNull(oemDir, "oemDir");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(dbUrl, "dbUrl");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(intakeOptions, "intakeOptions");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(leaseClock, "leaseClock");
    }

    public static OemNodeConfig of(Path oemDir, MqttSettings mqtt) {
        return new OemNodeConfig(oemDir, mqtt, RouteProperties.with(Map.of()), Optional.empty(), Clock.systemUTC(),
                new SecureRandom(), IntakeOptions.defaults(), new SimpleMeterRegistry(), ServiceEvents.NONE, Clock.systemUTC());
    }

    public OemNodeConfig withProperties(Map<String, String> overrides) {
        return new OemNodeConfig(oemDir, mqtt, RouteProperties.with(overrides), dbUrl, clock, random, intakeOptions,
                registry, events, leaseClock);
    }

    public OemNodeConfig withDatabase(String url) {
        return new OemNodeConfig(oemDir, mqtt, properties, Optional.of(url), clock, random, intakeOptions, registry, events,
                leaseClock);
    }

    public OemNodeConfig withClock(Clock value, Random randomness) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, value, randomness, intakeOptions, registry, events, leaseClock);
    }

    public OemNodeConfig withIntake(IntakeOptions options) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, clock, random, options, registry, events, leaseClock);
    }

    public OemNodeConfig withRegistry(MeterRegistry value) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, clock, random, intakeOptions, value, events, leaseClock);
    }

    /** Tells {@code value} what the node does: each intake, dispatch, status report, refusal and dead letter. */
    public OemNodeConfig withEvents(ServiceEvents value) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, clock, random, intakeOptions, registry, value, leaseClock);
    }

    public OemNodeConfig withLeaseClock(Clock value) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, clock, random, intakeOptions, registry, events, value);
    }
}
