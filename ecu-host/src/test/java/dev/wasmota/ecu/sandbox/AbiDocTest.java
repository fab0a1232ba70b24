package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.EcuAbi;
import dev.wasmota.signing.manifest.EcuImport;
import dev.wasmota.signing.manifest.FunctionType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/ABI.md says what the host does: its tables of imports, status codes, capabilities,
 * exports and limits equal the ABI definition ({@link EcuAbi}), the host functions a module
 * holding every capability is really linked with ({@link HostFunctions#importValues()}), and the
 * host's constants.
 */
class AbiDocTest {
    static final Path DOC = Path.of(System.getProperty("wasmota.docs", "../docs"), "ABI.md");
    /** A capability of each kind, to ask what it grants. */
    static final Map<String, String> SAMPLES = Map.of("log", "log", "clock", "clock", "can.read", "can.read:120",
            "can.write", "can.write:220", "i2c", "i2c:1:50");

    static String doc() throws IOException {
        return Files.readString(DOC);
    }

    /** The rows of the table whose header row is {@code header}, each split into its cells with backticks removed. */
    static List<List<String>> table(String header) throws IOException {
        List<String> lines = doc().lines().toList();
        int at = lines.indexOf(header);
        assertTrue(at >= 0, () -> DOC + " has no table headed " + header);
        List<List<String>> rows = new ArrayList<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String row = lines.get(i);
            rows.add(Arrays.stream(row.substring(1, row.length() - 1).split("\\|"))
                    .map(c -> c.strip().replace("`", "")).toList());
        }
        return rows;
    }

    @Test
    void namesTheAbiVersionTheHostImplements() throws IOException {
        Matcher m = Pattern.compile("ABI version: \\*\\*(\\d+)\\*\\*").matcher(doc());
        assertTrue(m.find(), "the version line");
        assertEquals(EcuAbi.VERSION, Integer.parseInt(m.group(1)));
    }

    @Test
    void listsExactlyTheImportsTheHostRegistersWithTheirTypesAndCapabilities() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        for (List<String> row : table("| import | WASM type | granted by | result |")) {
            String call = row.get(0);
            String name = call.substring(0, call.indexOf('('));
            EcuImport abi = EcuAbi.find(name).orElseThrow(() -> new AssertionError("ABI.md documents ecu." + name
                    + ", which the ABI does not define"));
            List<String> params = call.endsWith("()") ? List.of()
                    : List.of(call.substring(call.indexOf('(') + 1, call.length() - 1).split(", "));
            assertEquals(abi.params().stream().map(EcuImport.Param::name).toList(), params, name + "'s parameters");
            assertEquals(abi.grantedBy(), row.get(2), name + "'s capability");
            documented.put(name, row.get(1));
        }
        Map<String, String> registered = new TreeMap<>();
        for (ImportFunction f : everything().importValues().functions()) {
            assertEquals(EcuAbi.MODULE, f.module());
            registered.put(f.name(), FunctionType.of(names(f.paramTypes()), names(f.returnTypes())).toString());
        }
        assertEquals(registered, new TreeMap<>(documented), "ABI.md against the functions the host links");
        assertEquals(EcuAbi.imports().stream().map(EcuImport::name).toList(), List.copyOf(documented.keySet()),
                "in the ABI's order");
    }

    @Test
    void listsExactlyTheStatusCodesTheAbiDefines() throws IOException {
        List<String> documented = table("| code | name | meaning |").stream()
                .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList();
        assertEquals(EcuAbi.statuses().stream().map(s -> s.code() + " " + s.name() + " " + s.meaning()).toList(),
                documented);
    }

    @Test
    void saysWhichImportsEachCapabilityGrants() throws IOException {
        Set<String> kinds = new TreeSet<>();
        for (List<String> row : table("| capability | grants |")) {
            String kind = row.get(0).split("[: ]")[0];
            kinds.add(kind);
            Set<String> documented = new TreeSet<>();
            Matcher m = Pattern.compile("\\b(" + String.join("|", EcuAbi.imports().stream().map(EcuImport::name).toList())
                    + ")\\b").matcher(row.get(1));
            while (m.find()) {
                documented.add(m.group(1));
            }
            assertEquals(new TreeSet<>(EcuAbi.importsGrantedBy(kind)), documented, kind);
            assertEquals(documented, new TreeSet<>(CapabilitySet.parse(SAMPLES.get(kind)).grantedImports()), kind);
        }
        assertEquals(new TreeSet<>(EcuAbi.imports().stream().map(EcuImport::grantedBy).toList()), kinds);
    }

    @Test
    void givesTheExportsTheTypesTheHostCallsThemWith() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        table("| export | WASM type | when |").forEach(r -> documented.put(r.get(0), r.get(1)));
        assertEquals(Map.of(EcuAbi.TICK, EcuAbi.TICK_TYPE.toString(), EcuAbi.INIT, EcuAbi.INIT_TYPE.toString()),
                documented);
    }

    @Test
    void givesTheHostsLimits() throws IOException {
        Map<String, String> documented = new TreeMap<>();
        table("| key | value | what |").forEach(r -> documented.put(r.get(0), r.get(1)));
        Map<String, Object> host = new TreeMap<>(Map.ofEntries(
                Map.entry("log.line.bytes", HostFunctions.MAX_LOG_LINE_BYTES),
                Map.entry("log.lines.per.second", HostFunctions.LOG_LINES_PER_SECOND),
                Map.entry("log.burst", HostFunctions.LOG_BURST),
                Map.entry("i2c.transfer.bytes", HostFunctions.MAX_I2C_TRANSFER_BYTES),
                Map.entry("init.budget.ms", SandboxedModule.INIT_BUDGET.toMillis()),
                Map.entry("first.call.budget.ms", SandboxedModule.FIRST_CALL_BUDGET.toMillis()),
                Map.entry("cold.start.calls", ColdStart.VEHICLE.calls()),
                Map.entry("cold.start.ms", ColdStart.VEHICLE.length().toMillis()),
                Map.entry("cold.start.budget.ms", ColdStart.VEHICLE.budget().toMillis()),
                Map.entry("fault.threshold", FaultWindow.DEFAULT_THRESHOLD),
                Map.entry("fault.window.minutes", FaultWindow.DEFAULT_WINDOW.toMinutes()),
                Map.entry("host.memory.pages", HostConfig.DEFAULT_HOST_MEMORY_PAGES)));
        Map<String, String> expected = new TreeMap<>();
        host.forEach((k, v) -> expected.put(k, v.toString()));
        assertEquals(expected, documented);
    }

    /** Host functions for a module holding a capability of every kind. */
    static HostFunctions everything() {
        return new HostFunctions("abi", CapabilitySet.parse(String.join(",", SAMPLES.values())), HostEnvironment.simulated());
    }

    private static List<String> names(List<ValType> types) {
        List<String> out = new ArrayList<>();
        for (ValType t : types) {
            out.add(t.equals(ValType.I32) ? "i32" : t.equals(ValType.I64) ? "i64" : t.equals(ValType.F32) ? "f32"
                    : t.equals(ValType.F64) ? "f64" : t.toString());
        }
        return out;
    }
}
