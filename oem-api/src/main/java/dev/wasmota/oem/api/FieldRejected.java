package dev.wasmota.oem.api;

import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;

/** A refusal of bad input that names the field (a body field or a query parameter) it is about. */
public final class FieldRejected extends RejectedException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public FieldRejected(Reason reason, String field, String detail) {
        super(reason, detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
