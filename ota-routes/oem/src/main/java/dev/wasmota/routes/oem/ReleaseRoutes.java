package dev.wasmota.routes.oem;

import dev.wasmota.transport.camel.OtaRouteBuilder;

/** The sweep of release topics no campaign needs, every {@code ota.release.sweepMillis}. */
final class ReleaseRoutes extends OtaRouteBuilder {
    private final ReleaseSweep sweep;

    ReleaseRoutes(ReleaseSweep sweep) {
        this.sweep = sweep;
    }

    @Override
    public void configure() {
        from("timer:oem-release-sweep?delay={{ota.release.sweepMillis}}&period={{ota.release.sweepMillis}}")
                .routeId("oem-release-sweep")
                .errorHandler(noErrorHandler())
                .bean(sweep, "sweep");
    }
}
