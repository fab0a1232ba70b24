package dev.wasmota.routes.supplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.contract.error.ExitCode;
import java.util.Optional;

/**
 * The OEM's answer to a submission, as its intake result JSON carries it.
 *
 * @param accepted whether the intake accepted and countersigned the package
 * @param release the release's name ({@code MODULE@VERSION}) when accepted
 * @param releaseSha256 the countersigned package's SHA-256 when accepted
 * @param check the intake check that refused it, when refused
 * @param reason the refusal's name, when refused
 * @param exitCode the refusal's CONTRACT exit code, 0 when accepted
 * @param detail the refusal's one-line reason, when refused
 * @param json the whole result, report included
 */
public record SubmitResult(boolean accepted, Optional<String> release, Optional<String> releaseSha256, Optional<String> check,
                           Optional<String> reason, int exitCode, Optional<String> detail, JsonNode json) {

    static SubmitResult of(JsonNode n) {
        boolean accepted = n.path("accepted").asBoolean(false);
        JsonNode r = n.path("release");
        return new SubmitResult(accepted, text(r, "release"), text(r, "packageSha256"), text(n, "check"), text(n, "reason"),
                accepted ? ExitCode.OK.code() : n.path("exitCode").asInt(ExitCode.INTERNAL.code()), text(n, "detail"), n);
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() ? Optional.of(v.textValue()) : Optional.empty();
    }
}
