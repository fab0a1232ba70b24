package dev.wasmota.oem.api;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Why the management API refuses a request before it reaches the OEM's services: who asks, what
 * the request looks like. Refusals of the services themselves keep their own reasons
 * ({@code UNKNOWN_CAMPAIGN}, {@code ILLEGAL_TRANSITION}, ...), exactly as the command line names them.
 */
public enum ApiFailure implements Reason {
    /** The client certificate names no operator or viewer of the API. */
    NOT_AN_API_CLIENT(ExitCode.TRUST),
    /** A viewer asked to change something; only an operator may. */
    FORBIDDEN(ExitCode.POLICY),
    /** The body is not JSON (or not one JSON object). */
    MALFORMED_JSON(ExitCode.USAGE),
    /** The body names a field the resource does not have. */
    UNKNOWN_FIELD(ExitCode.USAGE),
    /** A field holds a value of the wrong JSON type. */
    WRONG_TYPE(ExitCode.USAGE),
    /** A required field is missing. */
    MISSING_FIELD(ExitCode.USAGE),
    /** A query parameter is malformed or out of range. */
    INVALID_PARAMETER(ExitCode.USAGE),
    /** The body is larger than the API takes. */
    BODY_TOO_LARGE(ExitCode.POLICY),
    /** The body is not {@code application/json}. */
    UNSUPPORTED_MEDIA_TYPE(ExitCode.USAGE),
    /** No such resource or method. */
    NOT_FOUND(ExitCode.USAGE),
    /** A client could not reach the API (command line, {@code --api URL}). */
    API_UNAVAILABLE(ExitCode.USAGE);

    private final ExitCode exitCode;

    ApiFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}
