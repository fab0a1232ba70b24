package dev.wasmota.cli.serve;

import dev.wasmota.transport.NoDelaySocketFactory;

import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --set KEY=VALUE}: overrides of the routes' settings ({@link RouteProperties#DEFAULTS}), and
 * the broker connection they describe. An unknown key, or a number that is not one, is a usage error
 * listing the known keys.
 */
public final class RouteSettings {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a route setting, e.g. ota.topic.root=fleet1 (repeatable; unknown keys are listed)")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The defaults with the settings file's route settings ({@code --config}), the overrides and {@code more} applied. */
    public Properties properties(CommandLine cmd, Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(ConfigDefaults.routeSettings(cmd.getCommandSpec()));
        all.putAll(overrides);
        all.putAll(more);
        Properties p;
        try {
            p = RouteProperties.with(all);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
        all.forEach((key, value) -> {
            if (isNumber(RouteProperties.DEFAULTS.get(key)[0]) && !isNumber(value)) {
                throw new CommandLine.ParameterException(cmd, "--set " + key + "='" + value + "' is not a whole number");
            }
        });
        return p;
    }

    String value(String key) {
        return overrides.getOrDefault(key, RouteProperties.DEFAULTS.get(key)[0]);
    }

    /**
     * How to reach {@code brokerUrl}: timings, QoS and message size from {@code p}; for an
     * {@code ssl://} broker, the TLS material's key and certificate.
     */
    public static MqttSettings mqtt(CommandLine cmd, String brokerUrl, Optional<TlsMaterial> tls, Properties p) {
        try {
            if (!brokerUrl.startsWith("ssl://")) {
                return MqttSettings.of(brokerUrl, p);
            }
            return MqttSettings.of(brokerUrl, p, NoDelaySocketFactory.tls(tls.orElseThrow(() -> new CommandLine.ParameterException(cmd,
                    "the ssl:// broker " + brokerUrl + " needs TLS material: --tls DIR")).sslContext()));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
    }

    /** The TLS material (key.pem, cert.pem, ca.pem) in {@code dir}, if one is given; a missing file is a usage error. */
    public static Optional<TlsMaterial> tls(Path dir) throws NoSuchFileException {
        if (dir == null) {
            return Optional.empty();
        }
        for (String file : List.of(TlsMaterial.KEY_FILE, TlsMaterial.CERT_FILE, TlsMaterial.CA_FILE)) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new NoSuchFileException(dir.resolve(file).toString(), null, "TLS material needs key.pem, cert.pem and ca.pem");
            }
        }
        return Optional.of(TlsMaterial.readPem(dir));
    }

    static boolean isNumber(String s) {
        return s != null && s.strip().matches("-?\\d{1,18}");
    }
}
