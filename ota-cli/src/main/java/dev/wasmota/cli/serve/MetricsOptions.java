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
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --metrics-port}: where a serve command exposes its meters to Prometheus, if anywhere. */
public final class MetricsOptions {
    @Option(names = "--metrics-port", paramLabel = "N",
            description = "serve Prometheus metrics at http://127.0.0.1:N/metrics; 0 picks a free port (default: off)")
    Integer port;

    /** The registry the command's meters go to, and the server exposing it when one was asked for. */
    public record Metrics(MeterRegistry registry, Optional<MetricsServer> server) implements AutoCloseable {
        @Override
        public void close() {
            server.ifPresent(MetricsServer::close);
            registry.close();
        }
    }

    /**
     * A Prometheus registry with the JVM and process meters, served on {@code --metrics-port}; without
     * the option, a private in-memory registry.
     */
    public Metrics open(CommandLine cmd) {
        if (port == null) {
            return new Metrics(new SimpleMeterRegistry(), Optional.empty());
        }
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(cmd, "--metrics-port " + port + " is not within 0..65535");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        try {
            return new Metrics(registry, Optional.of(MetricsServer.start(registry, port)));
        } catch (IOException e) {
            registry.close();
            throw new CommandLine.ParameterException(cmd, "cannot serve metrics on 127.0.0.1:" + port + ": " + e.getMessage());
        }
    }
}
