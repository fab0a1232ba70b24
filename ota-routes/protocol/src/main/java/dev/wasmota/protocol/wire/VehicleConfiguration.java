package dev.wasmota.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.manifest.Manifest;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a vehicle runs, as its signed status report states it (UN R156 7.1.1, issue 17): the
 * RXSWIN it knows (set by the OEM's signed instructions; none before the first that set one) and
 * each installed module's active version and package digest. The OEM checks a release against the
 * last one a vehicle reported before a campaign reaches it.
 *
 * @param rxswin the vehicle's RXSWIN, if it knows one
 * @param modules module id to its active version and package SHA-256, at most {@value #MAX_MODULES}
 */
public record VehicleConfiguration(Optional<String> rxswin, SortedMap<String, Module> modules) {
    /** Most modules a report lists. */
    public static final int MAX_MODULES = 32;
    private static final java.util.Set<String> FIELDS = java.util.Set.of("rxswin", "modules");
    private static final StrictJson<IllegalArgumentException> JSON = StrictJson
            .builder((problem, field, detail) -> new IllegalArgumentException(detail))
            .unknownField((where, field) -> where + " has an unknown field")
            .notString((where, field) -> where + " " + field + " is not a string")
            .build();

    /** One installed module: the version of its active slot and the SHA-256 of that package. */
    public record Module(String version, String packageSha256) {
        public Module {
            if (version == null || version.length() > Manifest.MAX_VERSION_LENGTH || !Manifest.SEMVER.matcher(version).matches()) {
                throw new IllegalArgumentException("module version '" + version + "' is not a semantic version");
            }
            if (packageSha256 == null || !Digests.SHA256_HEX.matcher(packageSha256).matches()) {
                throw new IllegalArgumentException("module packageSha256 is not a SHA-256");
            }
        }
    }

    public VehicleConfiguration {
        rxswin = rxswin == null ? Optional.empty() : rxswin;
        if (rxswin.isPresent() && !Instruction.RXSWIN.matcher(rxswin.get()).matches()) {
            throw new IllegalArgumentException("rxswin is not " + Instruction.RXSWIN.pattern());
        }
        if (modules.size() > MAX_MODULES) {
            throw new IllegalArgumentException("configuration lists " + modules.size() + " modules, over " + MAX_MODULES);
        }
        for (String id : modules.keySet()) {
            if (!Manifest.ID.matcher(id).matches()) {
                throw new IllegalArgumentException("configuration module id is not " + Manifest.ID.pattern());
            }
        }
        modules = Collections.unmodifiableSortedMap(new TreeMap<>(modules));
    }

    /** {@code {"modules":{"m":{"packageSha256":..,"version":..}},"rxswin":..}}, rxswin left out when none. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        rxswin.ifPresent(r -> o.put("rxswin", r));
        ObjectNode m = o.putObject("modules");
        modules.forEach((id, v) -> m.putObject(id).put("version", v.version()).put("packageSha256", v.packageSha256()));
        return o;
    }

    /** Parses {@link #toJson}'s form; throws {@link IllegalArgumentException} on any other field or value. */
    public static VehicleConfiguration fromJson(JsonNode node) {
        StrictJson<IllegalArgumentException>.Obj n = JSON.object(node, "configuration").known(FIELDS);
        Optional<String> rxswin = n.optionalText("rxswin");
        JsonNode m = n.get("modules");
        if (m == null || !m.isObject() || m.size() > MAX_MODULES) {
            throw new IllegalArgumentException("configuration modules is not an object of at most " + MAX_MODULES);
        }
        SortedMap<String, Module> modules = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isObject() || v.size() != 2 || !v.path("version").isTextual() || !v.path("packageSha256").isTextual()) {
                throw new IllegalArgumentException("configuration module is not {version, packageSha256}");
            }
            modules.put(e.getKey(), new Module(v.get("version").textValue(), v.get("packageSha256").textValue()));
        }
        return new VehicleConfiguration(rxswin, modules);
    }
}
