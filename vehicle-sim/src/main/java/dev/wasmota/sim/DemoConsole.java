package dev.wasmota.sim;

import dev.wasmota.oem.api.ApiBackend;
import dev.wasmota.oem.api.ApiServer;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.routes.oem.OemNode;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * The OEM's management API and live console during the demo: the API on a free port of
 * 127.0.0.1 (HTTPS, a server certificate from the demo OEM's root), the console on another, and a
 * sign-in link for the demo's operator, told by the narrator.
 */
final class DemoConsole implements AutoCloseable {
    /** No console. */
    static final DemoConsole NONE = new DemoConsole(null);

    private final ApiServer api;

    private DemoConsole(ApiServer api) {
        this.api = api;
    }

    static DemoConsole open(Fleet fleet, Narrator narrator) {
        OemNode node = fleet.oem().orElseThrow();
        OemPki pki = node.workspace().pki();
        TlsMaterial tls = TlsMaterial.of(pki.issueBroker(List.of("localhost"), List.of("127.0.0.1")), List.of(),
                pki.root().cert());
        ApiServer api = ApiServer.start("127.0.0.1", 0, tls, ApiBackend.of(node.workspace()), Clock.systemUTC());
        api.openConsole("127.0.0.1", 0);
        URI link = api.consoleLink("operator/demo");
        narrator.say("live console: " + link + " (management API at " + api.uri() + ApiServer.BASE + "/)");
        return new DemoConsole(api);
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
    }
}
