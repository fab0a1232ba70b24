package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import java.util.Set;

/**
 * Refusals as RFC 9457 problem details ({@value #MEDIA_TYPE}): the reason's name is the problem
 * type ({@code urn:wasmota:problem:REASON}) and title, with the CONTRACT exit code the command line
 * would end with, so a script treats an API refusal as it treats the CLI's. The HTTP status is
 * mapped here, once, from the reason.
 */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:wasmota:problem:";
    private static final Set<String> CONFLICTS = Set.of("ILLEGAL_TRANSITION", "DUPLICATE_CAMPAIGN", "VEHICLE_BUSY",
            "VEHICLE_CONFLICT", "STATUS_CONFLICT", "NO_PREVIOUS_RELEASE", "WORKER_ACTIVE", "SHADOW_DECIDED", "NO_SHADOW_RUNNING");

    private Problems() {
    }

    /** The HTTP status of a refusal for {@code reason}. */
    public static int status(Reason reason) {
        String name = reason.name();
        if (reason == ApiFailure.NOT_AN_API_CLIENT || reason == ApiFailure.FORBIDDEN || name.equals("CREDENTIAL_REVOKED")) {
            return 403;
        }
        if (reason == ApiFailure.BODY_TOO_LARGE) {
            return 413;
        }
        if (reason == ApiFailure.UNSUPPORTED_MEDIA_TYPE) {
            return 415;
        }
        if (reason == ApiFailure.NOT_FOUND || !(reason instanceof ApiFailure) && name.startsWith("UNKNOWN_")) {
            return 404;
        }
        if (name.equals("DATABASE_UNAVAILABLE")) {
            return 503;
        }
        if (CONFLICTS.contains(name)) {
            return 409;
        }
        return switch (reason.exitCode()) {
            case USAGE -> 400;
            case INTERNAL -> 500;
            default -> 422;
        };
    }

    /** The problem document of {@code e}, refused at {@code instance} (the request path). */
    public static ObjectNode of(RejectedException e, String instance) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        Reason r = e.reason();
        o.put("type", TYPE_PREFIX + r.name());
        o.put("title", r.name());
        o.put("status", status(r));
        o.put("detail", e.getMessage());
        o.put("instance", instance);
        o.put("reason", r.name());
        o.put("exitCode", r.exitCode().code());
        if (e instanceof FieldRejected f) {
            o.put("field", f.field());
        }
        return o;
    }
}
