package dev.wasmota.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The routes' {@code {{placeholders}}} and their defaults. Any of them can be overridden (the
 * commands' {@code --set KEY=VALUE}); the README lists them.
 */
public final class RouteProperties {
    /** Every setting with its default and a line on what it means. */
    public static final Map<String, String[]> DEFAULTS = defaults();

    private RouteProperties() {
    }

    private static Map<String, String[]> defaults() {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put("ota.topic.root", new String[] {Topics.DEFAULT_ROOT, "first levels of every topic"});
        m.put("ota.mqtt.qos", new String[] {"1", "QoS of every subscription and publish"});
        m.put("ota.mqtt.sessionExpirySeconds", new String[] {"604800", "how long the broker keeps an offline party's session and queued messages"});
        m.put("ota.mqtt.connectTimeoutSeconds", new String[] {"10", "time allowed to connect to the broker; a reconnect "
                + "attempt with no CONNACK within twice this is dropped and tried again"});
        m.put("ota.mqtt.keepAliveSeconds", new String[] {"30", "MQTT keep-alive"});
        m.put("ota.mqtt.maxMessageBytes", new String[] {"9437184", "largest message sent or accepted (a package with its instruction)"});
        m.put("ota.mqtt.packetTimeoutMillis", new String[] {"10000", "time any MQTT packet may take once its first byte arrived, before the size allowance (slow-retrieval guard; 0 turns it off)"});
        m.put("ota.mqtt.minBytesPerSecond", new String[] {"32768", "slowest rate accepted for the rest of a packet: N bytes may take packetTimeoutMillis + N / this; a slower one drops the connection as a slow-retrieval attack"});
        m.put("ota.oem.group", new String[] {"oem", "shared-subscription group the OEM workers split intake and status in"});
        m.put("ota.oem.worker", new String[] {"oem-1", "this OEM worker's name (client ids, outbox claims, lease); one process at a time"});
        m.put("ota.oem.leaseSeconds", new String[] {"30", "how long a worker's lease lasts unless renewed (every third of it); the outbox messages a dead worker claimed are taken over once it has run out"});
        m.put("ota.dispatch.periodMillis", new String[] {"50", "how often the outbox is drained to the vehicles"});
        m.put("ota.dispatch.scanMillis", new String[] {"2000", "how often the outbox is looked at for messages queued by other processes, put back, or left by a dead worker"});
        m.put("ota.dispatch.window", new String[] {"16", "most outbox messages a worker has in flight to the broker at once (published without waiting for each acknowledgement in turn); keep it below the broker's receive maximum (Mosquitto's max_inflight_messages, 20 by default) less 4 for the worker's other publishers"});
        m.put("ota.dispatch.ackTimeoutMillis", new String[] {"30000", "how long a dispatch round waits for the broker to acknowledge its messages; those still unacknowledged then go out again at the next scan"});
        m.put("ota.campaign.tickMillis", new String[] {"1000", "how often expired instructions are counted as failed and a new trust update is queued to the fleet"});
        m.put("ota.status.resyncMillis", new String[] {"60000", "how often the OEM looks for instructions still unanswered, to ask their vehicles for their status again"});
        m.put("ota.status.batchMax", new String[] {"256", "at most this many status reports waiting are taken in by one database transaction (group commit), each still verified and refused alone"});
        m.put("ota.status.resyncAfterMillis", new String[] {"120000", "an instruction unanswered this long is asked about, then again at doubling intervals up to an hour, until it expires"});
        m.put("ota.status.resyncPerRound", new String[] {"500", "at most this many vehicles are asked for their status in one round; the rest in the next rounds (bounds the burst of publishes after an outage)"});
        m.put("ota.metrics.refreshMillis", new String[] {"15000", "how often the OEM counts its fleet and campaigns for the meters"});
        m.put("ota.route.redeliveries", new String[] {"2", "retries of a failed exchange (not of a refusal) before it is dead-lettered"});
        m.put("ota.route.redeliveryDelayMillis", new String[] {"200", "pause between those retries"});
        m.put("ota.vehicle.watchMillis", new String[] {"500", "how often a vehicle checks for rollbacks its host did by itself"});
        m.put("ota.vehicle.resendMillis", new String[] {"30000", "shortest time between two sends of one status report by a vehicle asked for it again"});
        m.put("ota.release.chunkBytes", new String[] {"65536", "releases go to vehicles in chunks of this many bytes, published once per release on retained release topics; 0 sends each vehicle the whole package in its update message (the old frame)"});
        m.put("ota.release.sweepMillis", new String[] {"60000", "how often the OEM clears the retained release topics of releases no campaign needs"});
        m.put("ota.vehicle.chunkStoreBytes", new String[] {"33554432", "most bytes of releases a vehicle holds in chunks at once (its transfers in progress)"});
        m.put("ota.vehicle.chunkStallMillis", new String[] {"10000", "a transfer with no chunk for this long asks again for what it misses (after a lost connection, message or refused chunk)"});
        m.put("ota.supplier.resultTimeoutSeconds", new String[] {"300", "how long ota supplier submit waits for the intake result"});
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The defaults with {@code overrides} applied; an unknown key is refused. */
    public static Properties with(Map<String, String> overrides) {
        Properties p = new Properties();
        DEFAULTS.forEach((k, v) -> p.setProperty(k, v[0]));
        overrides.forEach((k, v) -> {
            if (!DEFAULTS.containsKey(k)) {
                throw new IllegalArgumentException("unknown setting '" + k + "'; known: " + String.join(", ", DEFAULTS.keySet()));
            }
            p.setProperty(k, v);
        });
        return p;
    }

    public static int intValue(Properties p, String key) {
        String v = p.getProperty(key);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("setting " + key + "='" + v + "' is not a whole number");
        }
    }
}
