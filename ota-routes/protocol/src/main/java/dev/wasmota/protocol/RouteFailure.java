package dev.wasmota.protocol;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Why a message on the MQTT pipeline was refused. A refused message goes to its party's
 * dead-letter topic with this reason, and an audit record names it.
 */
public enum RouteFailure implements Reason {
    /** The payload is not a well-formed message of the kind its topic carries. */
    MALFORMED_MESSAGE(ExitCode.POLICY),
    /** The payload, or one of its parts, is over its size limit. */
    OVERSIZED_MESSAGE(ExitCode.POLICY),
    /** A status report's signature or certificate does not verify against the OEM root. */
    UNVERIFIED_STATUS(ExitCode.TRUST),
    /** A message names another sender than the topic or certificate it came with. */
    WRONG_SENDER(ExitCode.TRUST),
    /** The broker could not be reached, or did not acknowledge in time. */
    BROKER_UNAVAILABLE(ExitCode.USAGE),
    /** No answer came within the time allowed. */
    TIMED_OUT(ExitCode.USAGE);

    private final ExitCode exitCode;

    RouteFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}
