package dev.wasmota.cli.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port} and {@code --metrics-host}: where a serve command exposes its meters to
 * Prometheus, and its {@code /health} and {@code /ready}, if anywhere.
 */
public final class MetricsOptions {
    static final String DEFAULT_HOST = "127.0.0.1";

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "serve Prometheus metrics at http://HOST:N/metrics, with /health and /ready; 0 picks a free port "
                    + "(default: off)")
    Integer port;

    @Option(names = "--metrics-host", paramLabel = "HOST", defaultValue = DEFAULT_HOST,
            description = "the address the metrics server binds to, e.g. 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}); "
                    + "the endpoints have no authentication: expose them to the monitoring network only")
    String host;

    /** The registry the command's meters go to, and the server exposing it when one was asked for. */
    public record Metrics(MeterRegistry registry, Optional<MetricsServer> server) implements AutoCloseable {
        @Override
        public void close() {
            server.ifPresent(MetricsServer::close);
            registry.close();
        }
    }

    /**
     * A Prometheus registry with the JVM and process meters, served on {@code --metrics-host}:{@code
     * --metrics-port}; without the port, a private in-memory registry.
     */
    public Metrics open(CommandLine cmd) {
        if (port == null) {
            if (!DEFAULT_HOST.equals(host)) {
                throw new CommandLine.ParameterException(cmd, "--metrics-host needs --metrics-port");
            }
            return new Metrics(new SimpleMeterRegistry(), Optional.empty());
        }
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(cmd, "--metrics-port " + port + " is not within 0..65535");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(cmd, "--metrics-host " + host + " is not an address of this machine's "
                    + "resolver: " + e.getMessage());
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        try {
            return new Metrics(registry, Optional.of(MetricsServer.start(registry, address, port)));
        } catch (IOException e) {
            registry.close();
            throw new CommandLine.ParameterException(cmd, "cannot serve metrics on " + host + ":" + port + ": " + e.getMessage());
        }
    }
}
