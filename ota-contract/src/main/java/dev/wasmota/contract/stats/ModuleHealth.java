package dev.wasmota.contract.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.StrictJson;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the vehicle's sandbox saw of one module since it was activated (issue 19), as the vehicle
 * signs it into its status reports and the OEM gates a campaign's waves on it: calls, call time
 * percentiles, deadline misses, traps, the memory high-water mark, and the agreement of a shadow
 * run beside it. Integers only (canonical JSON): times in microseconds, shares in parts per million.
 *
 * @param moduleId the module
 * @param version its active version
 * @param calls ticks called since activation
 * @param p50Micros median call time (of the latest calls kept)
 * @param p99Micros 99th percentile call time
 * @param maxMicros the longest call since activation
 * @param deadlineMisses calls stopped or late past their deadline
 * @param traps calls that trapped
 * @param memoryPagesHighWater the most linear-memory pages the module held
 * @param shadowAgreementPpm compared ticks of the last shadow run beside it that agreed, ppm; -1 if none ran
 */
public record ModuleHealth(String moduleId, String version, long calls, long p50Micros, long p99Micros, long maxMicros,
        long deadlineMisses, long traps, long memoryPagesHighWater, long shadowAgreementPpm) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final long MAX = (1L << 53) - 1;
    private static final Set<String> FIELDS = Set.of("moduleId", "version", "calls", "p50Us", "p99Us", "maxUs",
            "deadlineMisses", "traps", "memoryPagesHighWater", "shadowAgreementPpm");
    private static final String SHAPE = "health must be an object of " + new TreeSet<>(FIELDS);
    private static final StrictJson<IllegalArgumentException> JSON = StrictJson
            .builder((problem, field, detail) -> new IllegalArgumentException("module health: " + detail))
            .notObject(where -> SHAPE)
            .unknownField((where, field) -> where + " has an unknown field '" + field + "'")
            .notString((where, field) -> where + " '" + field + "' is not a string")
            .notInteger((where, field) -> where + " '" + field + "' is not an integer")
            .build();

    public ModuleHealth {
        require(moduleId != null && NAME.matcher(moduleId).matches(), "moduleId");
        require(version != null && NAME.matcher(version).matches(), "version");
        for (long v : new long[] {calls, p50Micros, p99Micros, maxMicros, deadlineMisses, traps, memoryPagesHighWater}) {
            require(v >= 0 && v <= MAX, "a figure out of range: " + v);
        }
        require(shadowAgreementPpm >= -1 && shadowAgreementPpm <= 1_000_000, "shadowAgreementPpm " + shadowAgreementPpm);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("moduleId", moduleId);
        o.put("version", version);
        o.put("calls", calls);
        o.put("p50Us", p50Micros);
        o.put("p99Us", p99Micros);
        o.put("maxUs", maxMicros);
        o.put("deadlineMisses", deadlineMisses);
        o.put("traps", traps);
        o.put("memoryPagesHighWater", memoryPagesHighWater);
        o.put("shadowAgreementPpm", shadowAgreementPpm);
        return o;
    }

    /** @throws IllegalArgumentException naming the field, for anything but the object {@link #toJson} writes */
    public static ModuleHealth fromJson(JsonNode node) {
        StrictJson<IllegalArgumentException>.Obj o = JSON.object(node, "health");
        require(node.size() == FIELDS.size(), SHAPE);
        o.known(FIELDS);
        return new ModuleHealth(o.text("moduleId"), o.text("version"), o.integer("calls"), o.integer("p50Us"),
                o.integer("p99Us"), o.integer("maxUs"), o.integer("deadlineMisses"), o.integer("traps"),
                o.integer("memoryPagesHighWater"), o.integer("shadowAgreementPpm"));
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("module health: " + what);
        }
    }

    /** {@code calls 1200, p50 12 µs, p99 180 µs, max 950 µs, 0 misses, 0 traps, 1 pages}. */
    public String summary() {
        return moduleId + " " + version + ": calls " + calls + ", p50 " + p50Micros + " µs, p99 " + p99Micros + " µs, max "
                + maxMicros + " µs, " + deadlineMisses + " deadline misses, " + traps + " traps, " + memoryPagesHighWater
                + " pages" + (shadowAgreementPpm < 0 ? "" : ", shadow agreement " + shadowAgreementPpm / 10_000.0 + " %");
    }
}
