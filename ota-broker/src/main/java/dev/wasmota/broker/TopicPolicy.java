package dev.wasmota.broker;

import dev.wasmota.signing.pki.ClientKind;

/**
 * Who may publish or subscribe where on the TLS listener, by client certificate identity. Vehicles and
 * suppliers get exactly their own topics of {@link OtaTopics}; OEM services get everything under {@code ota/},
 * shared subscriptions included. Everything else is refused (fail closed).
 */
public final class TopicPolicy {

    private static final String SHARE = "$share/";

    private TopicPolicy() {
    }

    public static boolean mayPublish(ClientKind kind, String name, String topic) {
        if (kind == null || name == null || topic == null) return false;
        return switch (kind) {
            case OEM -> topic.startsWith(OtaTopics.ROOT) && !hasWildcard(topic);
            case VEHICLE -> topic.equals(OtaTopics.vehicleStatus(name)) || topic.equals(OtaTopics.vehicleDeadletter(name));
            case SUPPLIER -> topic.equals(OtaTopics.supplierSubmit(name));
        };
    }

    public static boolean maySubscribe(ClientKind kind, String name, String filter) {
        if (kind == null || name == null || filter == null) return false;
        return switch (kind) {
            case OEM -> isUnderOta(filter.startsWith(SHARE) ? unshared(filter) : filter);
            case VEHICLE -> filter.equals(OtaTopics.vehicleUpdate(name));
            case SUPPLIER -> filter.equals(OtaTopics.supplierResult(name));
        };
    }

    private static boolean isUnderOta(String filter) {
        return filter != null && filter.startsWith(OtaTopics.ROOT);
    }

    /** The filter after {@code $share/<group>/}, or null if the group is missing or empty. */
    private static String unshared(String filter) {
        int slash = filter.indexOf('/', SHARE.length());
        return slash <= SHARE.length() ? null : filter.substring(slash + 1);
    }

    private static boolean hasWildcard(String topic) {
        return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
    }
}
