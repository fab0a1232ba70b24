package dev.wasmota.ecu;

import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.EcuAbi;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The vehicle's own check of what a module exports, before it commits or starts one: the host calls
 * {@code tick: () -> ()} every period and {@code init: () -> i32} (if exported) as the health check,
 * and the manifest both signatures cover must list exactly the module's function exports. The
 * packager and the OEM's intake check the same; the vehicle does not rely on them having run.
 */
final class ExportContract {
    static final FunctionType TICK = FunctionType.of(List.of(), List.of());
    static final FunctionType INIT = FunctionType.of(List.of(), List.of("i32"));
    private static final int MAX_LISTED = 8;

    private ExportContract() {
    }

    /** @throws RejectedException {@link PolicyFailure#EXPORT_MISMATCH} (exit 4), naming every problem */
    static void check(Manifest manifest, CompiledModule compiled) {
        List<String> problems = new ArrayList<>();
        Map<String, FunctionType> actual = new TreeMap<>(compiled.exports());
        FunctionType tick = actual.get(EcuAbi.TICK);
        if (tick == null) {
            problems.add("the module does not export " + EcuAbi.TICK + ": " + TICK);
        } else if (!tick.equals(TICK)) {
            problems.add("export " + EcuAbi.TICK + " has type " + tick + "; the host calls it as " + TICK);
        }
        FunctionType init = actual.get(EcuAbi.INIT);
        if (init != null && !init.equals(INIT)) {
            problems.add("export " + EcuAbi.INIT + " has type " + init + "; the host calls it as " + INIT);
        }
        Map<String, FunctionType> declared = new TreeMap<>();
        manifest.exports().forEach(e -> declared.put(e.name(), e.type()));
        List<String> differences = new ArrayList<>();
        declared.forEach((name, type) -> {
            if (!type.equals(actual.get(name))) {
                differences.add(name + " " + type + " (the module's: " + (actual.containsKey(name) ? actual.get(name) : "none") + ")");
            }
        });
        actual.keySet().stream().filter(name -> !declared.containsKey(name))
                .forEach(name -> differences.add(name + " exported but not declared"));
        if (!differences.isEmpty()) {
            problems.add("the manifest's exports differ from the module's: " + String.join(", ",
                    differences.subList(0, Math.min(MAX_LISTED, differences.size())))
                    + (differences.size() > MAX_LISTED ? " and " + (differences.size() - MAX_LISTED) + " more" : ""));
        }
        if (!problems.isEmpty()) {
            throw new RejectedException(PolicyFailure.EXPORT_MISMATCH, manifest.moduleId() + " " + manifest.version()
                    + ": " + String.join("; ", problems));
        }
    }
}
