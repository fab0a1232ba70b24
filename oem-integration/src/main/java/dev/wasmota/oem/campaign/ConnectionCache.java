package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What a campaign holds that never changes once it is created (its members, its waves' members,
 * its number of waves, its rollout options), kept per database connection (a connection lost and
 * opened again starts afresh) and campaign, keyed by its id and creation time (an id used again
 * by a database rebuilt from scratch is another campaign). The campaign is read after every status
 * report: reading these each time made a report cost several round trips more, or, for the member
 * lists, the square of the campaign's size. At most {@value #KEPT} campaigns per connection, the
 * least recently used dropped first.
 */
final class ConnectionCache<V> {
    static final int KEPT = 32;

    private final Map<Connection, Map<String, V>> byConnection = new WeakHashMap<>();

    /** The key of campaign {@code campaignId} created at {@code createdAt}. */
    static String key(String campaignId, java.time.Instant createdAt) {
        return campaignId + "|" + createdAt;
    }

    synchronized V get(Connection c, String key) {
        Map<String, V> kept = byConnection.get(c);
        return kept == null ? null : kept.get(key);
    }

    synchronized void put(Connection c, String key, V value) {
        byConnection.computeIfAbsent(c, x -> new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KEPT;
            }
        }).put(key, value);
    }
}
