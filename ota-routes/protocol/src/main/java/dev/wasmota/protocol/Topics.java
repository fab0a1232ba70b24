package dev.wasmota.protocol;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The pipeline's topic layout, under a settable root (default {@value #DEFAULT_ROOT}). Every
 * per-party topic carries the party's id in one level, so broker ACLs can confine a vehicle or a
 * supplier to its own topics:
 * <pre>
 * ROOT/supplier/SID/submit     supplier → OEM: Submission (shared subscription on the OEM side)
 * ROOT/supplier/SID/result     OEM → supplier: intake result JSON
 * ROOT/oem/releases            OEM: release published (JSON)
 * ROOT/oem/deadletter          OEM: refused messages
 * ROOT/vehicle/VID/update      OEM → vehicle: UpdateMessage, QoS 1, persistent session
 * ROOT/vehicle/VID/status      vehicle → OEM: SignedStatus (shared subscription on the OEM side)
 * ROOT/vehicle/VID/deadletter  vehicle: refused messages
 * ROOT/release/SHA256/index    OEM → vehicles: the signed release index, retained, once per release
 * ROOT/release/SHA256/chunk/N  OEM → vehicles: chunk N of that release, retained, once per release
 * </pre>
 */
public record Topics(String root) {
    public static final String DEFAULT_ROOT = "ota";
    private static final Pattern ROOT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}(/[a-z0-9][a-z0-9_-]{0,31}){0,3}");

    private static final Pattern RELEASE_LEAF = Pattern.compile("[0-9a-f]{64}/(index|chunk/(0|[1-9][0-9]{0,5}))");

    public Topics {
        if (root == null || !ROOT.matcher(root).matches()) {
            throw new IllegalArgumentException("topic root '" + root + "' is not 1-4 levels of [a-z0-9_-]");
        }
    }

    public static Topics standard() {
        return new Topics(DEFAULT_ROOT);
    }

    public String submit(String supplierId) {
        return root + "/supplier/" + supplierId + "/submit";
    }

    public String submitFilter() {
        return submit("+");
    }

    public String result(String supplierId) {
        return root + "/supplier/" + supplierId + "/result";
    }

    public String releases() {
        return root + "/oem/releases";
    }

    public String oemDeadLetter() {
        return root + "/oem/deadletter";
    }

    public String update(String vehicleId) {
        return root + "/vehicle/" + vehicleId + "/update";
    }

    public String status(String vehicleId) {
        return root + "/vehicle/" + vehicleId + "/status";
    }

    public String statusFilter() {
        return status("+");
    }

    public String vehicleDeadLetter(String vehicleId) {
        return root + "/vehicle/" + vehicleId + "/deadletter";
    }

    public String vehicleDeadLetterFilter() {
        return vehicleDeadLetter("+");
    }

    /** {@code ROOT/release/SHA256}: the level under which one release's index and chunks are retained. */
    public String release(String packageSha256) {
        return root + "/release/" + packageSha256;
    }

    /** {@code ROOT/release/SHA256/index}: the signed index of a release published in chunks. */
    public String releaseIndex(String packageSha256) {
        return release(packageSha256) + "/index";
    }

    /** {@code ROOT/release/SHA256/chunk/N}: chunk {@code n} of that release. */
    public String releaseChunk(String packageSha256, int n) {
        return release(packageSha256) + "/chunk/" + n;
    }

    /**
     * Whether {@code topic} is exactly one release's index or one of its chunks (no wildcard):
     * what a vehicle may read of the release topics.
     */
    public boolean isReleaseTopic(String topic) {
        String prefix = root + "/release/";
        if (topic == null || !topic.startsWith(prefix)) {
            return false;
        }
        return RELEASE_LEAF.matcher(topic.substring(prefix.length())).matches();
    }

    /** {@code $share/GROUP/filter}: the OEM workers of one group split the messages of {@code filter}. */
    public static String shared(String group, String filter) {
        return "$share/" + group + "/" + filter;
    }

    /** The supplier id in a submit topic; refused ({@link RouteFailure#WRONG_SENDER}) if the topic is not one. */
    public String submitter(String topic) {
        return party(topic, "supplier", "submit", Manifest.ID)
                .orElseThrow(() -> new RejectedException(RouteFailure.WRONG_SENDER, "'" + topic + "' is not a submit topic"));
    }

    /** The vehicle id in a status topic; refused ({@link RouteFailure#WRONG_SENDER}) if the topic is not one. */
    public String statusSender(String topic) {
        return party(topic, "vehicle", "status", Manifest.HARDWARE_ID)
                .orElseThrow(() -> new RejectedException(RouteFailure.WRONG_SENDER, "'" + topic + "' is not a status topic"));
    }

    /** The vehicle id in a vehicle dead-letter topic, if it is one. */
    public Optional<String> deadLetterSender(String topic) {
        return party(topic, "vehicle", "deadletter", Manifest.HARDWARE_ID);
    }

    /**
     * What a message on {@code topic} is, for an operator's line: {@code status from VID},
     * {@code submission from SID}, {@code update for VID}, else {@code message on TOPIC}.
     */
    public String describe(String topic) {
        return party(topic, "vehicle", "status", Manifest.HARDWARE_ID).map(v -> "status from " + v)
                .or(() -> party(topic, "supplier", "submit", Manifest.ID).map(s -> "submission from " + s))
                .or(() -> party(topic, "vehicle", "update", Manifest.HARDWARE_ID).map(v -> "update for " + v))
                .orElse("message on " + topic);
    }

    private Optional<String> party(String topic, String kind, String leaf, Pattern id) {
        String prefix = root + "/" + kind + "/";
        String suffix = "/" + leaf;
        if (topic == null || !topic.startsWith(prefix) || !topic.endsWith(suffix)
                || topic.length() <= prefix.length() + suffix.length()) {
            return Optional.empty();
        }
        String party = topic.substring(prefix.length(), topic.length() - suffix.length());
        return id.matcher(party).matches() ? Optional.of(party) : Optional.empty();
    }
}
