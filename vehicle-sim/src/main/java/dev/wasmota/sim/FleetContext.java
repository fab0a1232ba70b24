package dev.wasmota.sim;

import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.TrustStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;

/**
 * What every simulated vehicle of one simulator shares: the broker settings, the routes' settings
 * and the Camel contexts (one per {@value Fleet#VEHICLES_PER_CONTEXT} vehicles: adding routes to a
 * context takes a lock and slows with the number of routes it holds), compiled modules (compiled once per module, not per vehicle), the OEM
 * trust anchors and PKI that issues vehicle certificates, a clock, a scheduler for faults and the
 * drive cycle, and the event counts.
 */
record FleetContext(Path dir, MqttSettings mqtt, Properties properties, java.util.function.IntFunction<CamelContext> camel,
                    CompiledModuleCache compiled,
                    TrustStore trust, OemPki pki, Clock clock, ScheduledExecutorService scheduler, MeterRegistry registry,
                    FleetEvents events, boolean runModules) {
}
