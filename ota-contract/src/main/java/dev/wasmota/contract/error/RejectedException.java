package dev.wasmota.contract.error;

import java.util.Objects;

/**
 * The one exception every refusal in the product is thrown as: a named {@link Reason} and a
 * one-line detail for the user. Commands print {@code "rejected (REASON): detail"} and exit with
 * {@link Reason#exitCode()}.
 */
public class RejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Reason reason;

    public RejectedException(Reason reason, String detail) {
        super(detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectedException(Reason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    public ExitCode exitCode() {
        return reason.exitCode();
    }

    /** The single line a command prints on standard error. */
    public String userMessage() {
        return "rejected (" + reason.name() + "): " + getMessage();
    }
}
