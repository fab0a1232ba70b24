package dev.wasmota.transport;

import java.util.List;
import java.util.Objects;

/**
 * Whether a serving party can do its work now, check by check (broker connected, database
 * reachable, routes started): what its {@code /ready} endpoint answers, so an orchestrator sends
 * it work, or takes it out of rotation, by fact rather than by process liveness.
 *
 * @param checks every check, in a stable order
 */
public record Readiness(List<Check> checks) {
    public Readiness {
        checks = List.copyOf(checks);
    }

    /** One condition: its name, whether it holds, and a few words on what was seen. */
    public record Check(String name, boolean ok, String detail) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Whether every check holds (and there is at least one). */
    public boolean ready() {
        return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
    }

    /** One line per check: {@code ok broker: connected (2 clients)} or {@code FAIL database: not reachable}. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Check c : checks) {
            b.append(c.ok() ? "ok   " : "FAIL ").append(c.name()).append(": ").append(c.detail()).append('\n');
        }
        return b.toString();
    }

    /** Whether each of {@code clients} is connected now. */
    public static Check broker(List<? extends org.eclipse.paho.mqttv5.client.MqttClient> clients) {
        List<String> down = clients.stream().filter(c -> !c.isConnected()).map(c -> c.getClientId()).toList();
        return new Check("broker", down.isEmpty() && !clients.isEmpty(), down.isEmpty()
                ? "connected (" + clients.size() + " client" + (clients.size() == 1 ? "" : "s") + ")"
                : "not connected: " + String.join(", ", down));
    }

    /** Whether each of the routes {@code routeIds} of {@code camel} is started. */
    public static Check routes(org.apache.camel.CamelContext camel, List<String> routeIds) {
        List<String> stopped = routeIds.stream().filter(id -> {
            org.apache.camel.ServiceStatus s = camel == null ? null : camel.getRouteController().getRouteStatus(id);
            return s == null || !s.isStarted();
        }).toList();
        return new Check("routes", stopped.isEmpty() && !routeIds.isEmpty(), stopped.isEmpty()
                ? routeIds.size() + " started" : "not started: " + String.join(", ", stopped));
    }
}
