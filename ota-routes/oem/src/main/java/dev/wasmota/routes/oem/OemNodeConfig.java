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
 * What an {@link OemNode} runs with. Defaults: the OEM directory's own audit log and embedded
 * database, the system clock, {@link SecureRandom}, the {@link RouteProperties} defaults, intake
 * with its defaults, a private meter registry, and no one told of its {@link ServiceEvents}.
 */
public record OemNodeConfig(Path oemDir, MqttSettings mqtt, Properties properties, Optional<String> dbUrl, Path auditFile,
                            Clock clock, Random random, IntakeOptions intakeOptions, MeterRegistry registry,
                            ServiceEvents events) {
    public OemNodeConfig {
        Objects.requireNonNull(oemDir, "oemDir");
        Objects.requireNonNull(mqtt, "mqtt");
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(dbUrl, "dbUrl");
        Objects.requireNonNull(auditFile, "auditFile");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(intakeOptions, "intakeOptions");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(events, "events");
    }

    public static OemNodeConfig of(Path oemDir, MqttSettings mqtt) {
        return new OemNodeConfig(oemDir, mqtt, RouteProperties.with(Map.of()), Optional.empty(),
                oemDir.resolve(dev.wasmota.oem.campaign.CampaignWorkspace.AUDIT_FILE), Clock.systemUTC(), new SecureRandom(),
                IntakeOptions.defaults(), new SimpleMeterRegistry(), ServiceEvents.NONE);
    }

    public OemNodeConfig withProperties(Map<String, String> overrides) {
        return new OemNodeConfig(oemDir, mqtt, RouteProperties.with(overrides), dbUrl, auditFile, clock, random, intakeOptions,
                registry, events);
    }

    public OemNodeConfig withDatabase(String url) {
        return new OemNodeConfig(oemDir, mqtt, properties, Optional.of(url), auditFile, clock, random, intakeOptions, registry, events);
    }

    public OemNodeConfig withAuditFile(Path file) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, file, clock, random, intakeOptions, registry, events);
    }

    public OemNodeConfig withClock(Clock value, Random randomness) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, auditFile, value, randomness, intakeOptions, registry, events);
    }

    public OemNodeConfig withIntake(IntakeOptions options) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, auditFile, clock, random, options, registry, events);
    }

    public OemNodeConfig withRegistry(MeterRegistry value) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, auditFile, clock, random, intakeOptions, value, events);
    }

    /** Tells {@code value} what the node does: each intake, dispatch, status report, refusal and dead letter. */
    public OemNodeConfig withEvents(ServiceEvents value) {
        return new OemNodeConfig(oemDir, mqtt, properties, dbUrl, auditFile, clock, random, intakeOptions, registry, value);
    }
}
