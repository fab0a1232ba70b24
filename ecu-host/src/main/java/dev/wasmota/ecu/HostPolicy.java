package dev.wasmota.ecu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What this ECU allows outside campaigns, provisioned with it in {@code STATE/policy.json}, e.g.
 * {@code {"serviceOperations":"forbidden"}}. A service operation is anything done to the ECU's
 * modules without a signed campaign instruction: an install without one, a rollback or a
 * confirmation by hand. They are allowed unless the policy forbids them, and logged as such either
 * way. A policy file that cannot be read forbids them (fail closed) and says why.
 *
 * @param serviceOperations whether service operations are allowed
 * @param source where the policy came from, for refusals
 */
public record HostPolicy(boolean serviceOperations, String source) {
    /** The policy's file name in the state directory. */
    public static final String FILE = "policy.json";
    private static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The policy in {@code stateDir}; without a policy file, service operations are allowed. */
    public static HostPolicy load(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = DurableFiles.readBounded(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return new HostPolicy(true, "no " + FILE + " (the default)");
        } catch (IOException | RejectedException e) {
            return unreadable(file, e.getMessage());
        }
        try {
            JsonNode o = JSON.readTree(bytes);
            JsonNode value = o == null ? null : o.get("serviceOperations");
            if (o == null || !o.isObject() || o.size() != 1 || value == null || !value.isTextual()) {
                return unreadable(file, "expected {\"serviceOperations\": \"allowed\" | \"forbidden\"}");
            }
            return switch (value.textValue()) {
                case "allowed" -> new HostPolicy(true, file.toString());
                case "forbidden" -> new HostPolicy(false, file.toString());
                default -> unreadable(file, "serviceOperations is '" + value.textValue() + "', not allowed or forbidden");
            };
        } catch (IOException e) {
            return unreadable(file, "not JSON");
        }
    }

    /** Writes the policy durably into {@code stateDir} (provisioning). */
    public static void provision(Path stateDir, boolean serviceOperations) throws IOException {
        DurableFiles.createDirectories(stateDir);
        DurableFiles.writeAtomic(stateDir.resolve(FILE), CanonicalJson.bytes(JSON.createObjectNode()
                .put("serviceOperations", serviceOperations ? "allowed" : "forbidden")));
    }

    /**
     * Refuses {@code operation} unless service operations are allowed.
     *
     * @throws RejectedException {@link UpdateFailure#SERVICE_OPERATION_FORBIDDEN}
     */
    void requireServiceOperation(String operation) {
        if (!serviceOperations) {
            throw new RejectedException(UpdateFailure.SERVICE_OPERATION_FORBIDDEN, operation
                    + " is a service operation (no campaign instruction) and this ECU's policy forbids them (" + source + ")");
        }
    }

    private static HostPolicy unreadable(Path file, String why) {
        return new HostPolicy(false, file + " is unreadable (" + why + "), so they are forbidden until it is repaired");
    }
}
