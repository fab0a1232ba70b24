package dev.wasmota.transport.camel;

import org.apache.camel.builder.RouteBuilder;

/** A party's routes: reads the numeric {@code {{placeholders}}} the error handlers need as plain ints. */
public abstract class OtaRouteBuilder extends RouteBuilder {
    /** The whole-number value of setting {@code key} (e.g. {@code ota.route.redeliveries}). */
    protected int setting(String key) {
        return Integer.parseInt(getContext().resolvePropertyPlaceholders("{{" + key + "}}").trim());
    }
}
