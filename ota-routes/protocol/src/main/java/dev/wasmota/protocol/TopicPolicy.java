package dev.wasmota.protocol;

import dev.wasmota.signing.pki.ClientKind;
import java.util.Collection;
import java.util.Objects;

/**
 * Who may publish or subscribe where on a broker's TLS listener, by client certificate identity,
 * under the topic root of {@link Topics}: vehicles and suppliers exactly their own topics (and
 * vehicles, to read only, each index and chunk of the releases published in chunks), OEM
 * services everything under the root (shared subscriptions included), everything else nothing
 * (fail closed). Both brokers' access rules come from here: the embedded broker asks it for every
 * PUBLISH and SUBSCRIBE, and {@link #mosquittoAcl} writes the same table for Mosquitto.
 */
public record TopicPolicy(Topics topics) {
    private static final String SHARE = "$share/";

    public TopicPolicy {
        Objects.requireNonNull(topics, "topics");
    }

    public boolean mayPublish(ClientKind kind, String name, String topic) {
        if (kind == null || name == null || topic == null) {
            return false;
        }
        return switch (kind) {
            case OEM -> underRoot(topic) && !hasWildcard(topic);
            case VEHICLE -> topic.equals(topics.status(name)) || topic.equals(topics.vehicleDeadLetter(name));
            case SUPPLIER -> topic.equals(topics.submit(name));
            case OPERATOR, VIEWER -> false;
        };
    }

    public boolean maySubscribe(ClientKind kind, String name, String filter) {
        if (kind == null || name == null || filter == null) {
            return false;
        }
        return switch (kind) {
            case OEM -> underRoot(filter.startsWith(SHARE) ? unshared(filter) : filter);
            case VEHICLE -> filter.equals(topics.update(name)) || topics.isReleaseTopic(filter);
            case SUPPLIER -> filter.equals(topics.result(name));
            case OPERATOR, VIEWER -> false;
        };
    }

    /**
     * The same rules as a Mosquitto 2 ACL file, for a listener with {@code use_identity_as_username}
     * (the user name is the certificate's CN, {@code vehicle/VID}, {@code supplier/SID} or
     * {@code oem/NAME}): vehicles and suppliers by pattern on their name, OEM services by name
     * (Mosquitto cannot match a user name prefix). Deny lines close the cross-kind topics the
     * patterns would otherwise open (a supplier's {@code ROOT/supplier/SID/update}). The release
     * topics are one {@code pattern read} line, for every client: Mosquitto cannot confine a line to
     * the user names of one kind, so on Mosquitto a supplier may read released packages too (signed,
     * not secret; docs/SECURITY.md), while nobody but the OEM services may write there.
     */
    public String mosquittoAcl(Collection<String> oemClients) {
        String r = topics.root();
        StringBuilder a = new StringBuilder(512)
                .append("# wasmota topic rules under '").append(r).append("' (generated from TopicPolicy)\n")
                .append("pattern read ").append(r).append("/release/#\n")
                .append("pattern deny ").append(r).append("/vehicle/+/submit\n")
                .append("pattern deny ").append(r).append("/vehicle/+/result\n")
                .append("pattern deny ").append(r).append("/supplier/+/update\n")
                .append("pattern deny ").append(r).append("/supplier/+/status\n")
                .append("pattern deny ").append(r).append("/supplier/+/deadletter\n")
                .append("pattern read ").append(r).append("/%u/update\n")
                .append("pattern write ").append(r).append("/%u/status\n")
                .append("pattern write ").append(r).append("/%u/deadletter\n")
                .append("pattern write ").append(r).append("/%u/submit\n")
                .append("pattern read ").append(r).append("/%u/result\n");
        for (String name : oemClients) {
            a.append("\nuser ").append(ClientKind.OEM.commonName(name)).append("\ntopic readwrite ").append(r).append("/#\n");
        }
        return a.toString();
    }

    private boolean underRoot(String filter) {
        return filter != null && filter.startsWith(topics.root() + "/");
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
