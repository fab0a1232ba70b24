package dev.wasmota.ecu.safety;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The safe-execution preconditions an instructed update must meet before it is activated, read
 * from the vehicle's own signals: the vehicle stands still (speed 0 on its CAN bus) and the supply
 * voltage is at least a floor. A signal that is missing counts as not met. Configured per vehicle
 * in {@value #FILE} in its state directory (format {@value #FORMAT}); a vehicle without the file
 * has no preconditions.
 *
 * @param speedCanId the CAN id of the vehicle speed, km/h × 100
 * @param voltageCanId the CAN id of the supply voltage, millivolts
 * @param minSupplyMillivolts the lowest supply voltage at which an update may be activated
 */
public record SafeExecution(int speedCanId, int voltageCanId, long minSupplyMillivolts) {
    public static final String FILE = "safe-execution.json";
    public static final String FORMAT = "wasmota-safe-execution/1";
    /** Speed on 0x120 (the simulator's), supply voltage on 0x3F0, at least 11.5 V. */
    public static final SafeExecution DEFAULT = new SafeExecution(0x120, 0x3F0, 11_500);

    /** Whether the preconditions hold now, and each signal's state for the audit record. */
    public record Verdict(boolean met, Map<String, String> preconditions, String reason) {
        public Verdict {
            preconditions = Map.copyOf(preconditions);
        }
    }

    /** Reads the signals from {@code can}. */
    public Verdict evaluate(SimulatedCanBus can) {
        Map<String, String> states = new TreeMap<>();
        StringBuilder why = new StringBuilder();
        OptionalLong speed = can.value(speedCanId);
        if (speed.isEmpty()) {
            states.put("vehicle-speed", "no signal");
            why.append("no vehicle speed signal");
        } else {
            states.put("vehicle-speed", String.format(Locale.ROOT, "%.2f km/h", speed.getAsLong() / 100.0));
            if (speed.getAsLong() != 0) {
                why.append("the vehicle is moving (").append(states.get("vehicle-speed")).append(")");
            }
        }
        OptionalLong volts = can.value(voltageCanId);
        if (volts.isEmpty()) {
            states.put("supply-voltage", "no signal");
            why.append(why.length() == 0 ? "" : "; ").append("no supply voltage signal");
        } else {
            states.put("supply-voltage", String.format(Locale.ROOT, "%.2f V", volts.getAsLong() / 1000.0));
            if (volts.getAsLong() < minSupplyMillivolts) {
                why.append(why.length() == 0 ? "" : "; ").append("supply voltage ").append(states.get("supply-voltage"))
                        .append(" below ").append(String.format(Locale.ROOT, "%.2f V", minSupplyMillivolts / 1000.0));
            }
        }
        return new Verdict(why.length() == 0, states, why.toString());
    }

    /** The preconditions configured in {@code stateDir}, if any; a file that is not the format is refused (exit 4). */
    public static java.util.Optional<SafeExecution> load(Path stateDir) {
        byte[] bytes;
        try {
            bytes = DurableFiles.readBounded(stateDir.resolve(FILE), 4096);
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw refused("cannot read " + stateDir.resolve(FILE) + ": " + e.getMessage());
        }
        try {
            JsonNode n = new ObjectMapper().readTree(bytes);
            if (n == null || !FORMAT.equals(n.path("format").asText())) {
                throw refused(FILE + " is not " + FORMAT);
            }
            SafeExecution s = new SafeExecution(n.path("speedCanId").asInt(DEFAULT.speedCanId),
                    n.path("voltageCanId").asInt(DEFAULT.voltageCanId),
                    n.path("minSupplyMillivolts").asLong(DEFAULT.minSupplyMillivolts));
            if (s.minSupplyMillivolts < 0 || s.speedCanId < 0 || s.voltageCanId < 0) {
                throw refused(FILE + " holds a negative value");
            }
            return java.util.Optional.of(s);
        } catch (IOException e) {
            throw refused(FILE + " is not JSON");
        }
    }

    /** {@code {"format": ..., "speedCanId": .., "voltageCanId": .., "minSupplyMillivolts": ..}}. */
    public String toJson() {
        return "{\"format\":\"" + FORMAT + "\",\"minSupplyMillivolts\":" + minSupplyMillivolts + ",\"speedCanId\":"
                + speedCanId + ",\"voltageCanId\":" + voltageCanId + "}";
    }

    private static RejectedException refused(String detail) {
        return new RejectedException(Failure.MALFORMED_SAFE_EXECUTION, detail);
    }

    /** Why the configuration was refused. */
    public enum Failure implements dev.wasmota.contract.error.Reason {
        /** {@value SafeExecution#FILE} cannot be read or is not its format. */
        MALFORMED_SAFE_EXECUTION;

        @Override
        public dev.wasmota.contract.error.ExitCode exitCode() {
            return dev.wasmota.contract.error.ExitCode.POLICY;
        }
    }
}
