package dev.wasmota.transport.camel;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Creates the Camel contexts the parties run their routes in: {@code {{placeholders}}} resolved
 * from the given properties, route metrics (exchanges and timings per {@code routeId}) in the
 * given registry, and no JMX.
 */
public final class CamelNodes {
    private CamelNodes() {
    }

    public static CamelContext create(String name, Properties placeholders, MeterRegistry registry) {
        DefaultCamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(name);
        ctx.disableJMX();
        ctx.getPropertiesComponent().setInitialProperties(placeholders);
        ctx.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        ctx.addRoutePolicyFactory(new MicrometerRoutePolicyFactory());
        ctx.getShutdownStrategy().setTimeout(5);
        ctx.getShutdownStrategy().setShutdownNowOnTimeout(true);
        return ctx;
    }
}
