package dev.wasmota.signing.manifest;

import dev.wasmota.signing.manifest.EcuImport.Param;
import dev.wasmota.signing.manifest.EcuImport.Result;
import dev.wasmota.signing.manifest.EcuImport.ResultKind;
import dev.wasmota.signing.manifest.EcuImport.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host ABI of CONTRACT.md, defined once: the functions of import module {@code ecu} with their
 * WASM types and the capability granting each, the status codes they return, and the exports the
 * host calls. The packager and the intake check imports against it, the host links from it, and
 * tests hold docs/ABI.md and the supplier kit's {@code ecu.h} and Rust crate equal to it.
 */
public final class EcuAbi {
    /** The ABI's version, named in docs/ABI.md and the kit; raised when an import changes. */
    public static final int VERSION = 1;

    /** The import module name of every host function. */
    public static final String MODULE = "ecu";

    /** Status: the capability does not permit the call. */
    public static final int NOT_PERMITTED = -1;
    /** Status: a pointer or length falls outside the module's memory. */
    public static final int OUT_OF_BOUNDS = -2;
    /** Status: no such signal or device. */
    public static final int NO_SUCH_DEVICE = -3;
    /** Status: the bus reported an error. */
    public static final int BUS_ERROR = -4;

    /** Export called every period. */
    public static final String TICK = "tick";
    /** Optional export called once after activation; 0 means healthy. */
    public static final String INIT = "init";
    /** The type the host calls {@link #TICK} with. */
    public static final FunctionType TICK_TYPE = FunctionType.of(List.of(), List.of());
    /** The type the host calls {@link #INIT} with. */
    public static final FunctionType INIT_TYPE = FunctionType.of(List.of(), List.of("i32"));

    /**
     * A status code a host function returns.
     *
     * @param code the negative number
     * @param name its name in the kit ({@code ECU_NOT_PERMITTED}, {@code Error::NotPermitted})
     * @param meaning when the host returns it
     */
    public record Status(int code, String name, String meaning) {
    }

    private static final List<Status> STATUSES = List.of(
            new Status(NOT_PERMITTED, "NOT_PERMITTED", "no capability grants this id, bus or address (ecu.log: over the rate)"),
            new Status(OUT_OF_BOUNDS, "OUT_OF_BOUNDS", "a pointer or length falls outside the module's memory or the call's limit"),
            new Status(NO_SUCH_DEVICE, "NO_SUCH_DEVICE", "no such CAN signal or I2C device (or register)"),
            new Status(BUS_ERROR, "BUS_ERROR", "the bus reported an error"));

    private static final List<EcuImport> IMPORTS = List.of(
            new EcuImport("log", List.of(
                    new Param("ptr", "i32", Role.READS_BYTES, "the line, UTF-8"),
                    new Param("len", "i32", Role.LENGTH, "its length in bytes (a longer line is cut)")),
                    Optional.empty(), "log",
                    "Writes one line to the module's log (rate-limited; lines over the rate are dropped)."),
            new EcuImport("clock_us", List.of(),
                    Optional.of(new Result("i64", ResultKind.VALUE, "monotonic microseconds, never going backwards")),
                    "clock", "The host's monotonic clock."),
            new EcuImport("can_read", List.of(
                    new Param("id", "i32", Role.VALUE, "CAN identifier, 11 or 29 bits"),
                    new Param("out_ptr", "i32", Role.WRITES_I64, "where the signal's value goes")),
                    Optional.of(new Result("i32", ResultKind.STATUS, "0, or a status")),
                    "can.read", "Reads the latest value of a CAN signal."),
            new EcuImport("can_write", List.of(
                    new Param("id", "i32", Role.VALUE, "CAN identifier, 11 or 29 bits"),
                    new Param("value", "i64", Role.VALUE, "the signal's value")),
                    Optional.of(new Result("i32", ResultKind.STATUS, "0, or a status")),
                    "can.write", "Sends a value on a CAN signal."),
            new EcuImport("i2c_read", List.of(
                    new Param("bus", "i32", Role.VALUE, "I2C bus number, 0.." + Capability.MAX_I2C_BUS),
                    new Param("addr", "i32", Role.VALUE, "7-bit device address"),
                    new Param("reg", "i32", Role.VALUE, "first register"),
                    new Param("buf", "i32", Role.WRITES_BYTES, "where the bytes read go"),
                    new Param("len", "i32", Role.LENGTH, "bytes to read (bounded)")),
                    Optional.of(new Result("i32", ResultKind.COUNT_OR_STATUS, "bytes read, or a status")),
                    "i2c", "Reads registers of an I2C device."),
            new EcuImport("i2c_write", List.of(
                    new Param("bus", "i32", Role.VALUE, "I2C bus number, 0.." + Capability.MAX_I2C_BUS),
                    new Param("addr", "i32", Role.VALUE, "7-bit device address"),
                    new Param("reg", "i32", Role.VALUE, "first register"),
                    new Param("buf", "i32", Role.READS_BYTES, "the bytes to write"),
                    new Param("len", "i32", Role.LENGTH, "bytes to write (bounded)")),
                    Optional.of(new Result("i32", ResultKind.COUNT_OR_STATUS, "bytes written, or a status")),
                    "i2c", "Writes registers of an I2C device."));

    private static final Map<String, EcuImport> BY_NAME = index();

    private EcuAbi() {
    }

    /** Every host function, in the order the docs and the kit list them. */
    public static List<EcuImport> imports() {
        return IMPORTS;
    }

    /** Every status code, from -1 down. */
    public static List<Status> statuses() {
        return STATUSES;
    }

    /** The host function {@code ecu.name}, if the ABI has one. */
    public static Optional<EcuImport> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The type of host function {@code ecu.name}, if the ABI has one. */
    public static Optional<FunctionType> function(String name) {
        return find(name).map(EcuImport::type);
    }

    /** The names of the host functions a capability of kind {@code keyword} ({@code can.read}, ...) grants. */
    public static Set<String> importsGrantedBy(String keyword) {
        Set<String> names = new TreeSet<>();
        IMPORTS.stream().filter(i -> i.grantedBy().equals(keyword)).forEach(i -> names.add(i.name()));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no host function is granted by '" + keyword + "'");
        }
        return Set.copyOf(names);
    }

    private static Map<String, EcuImport> index() {
        Map<String, EcuImport> m = new LinkedHashMap<>();
        for (EcuImport i : IMPORTS) {
            if (m.put(i.name(), i) != null) {
                throw new IllegalStateException("host function " + i.name() + " defined twice");
            }
        }
        return Map.copyOf(m);
    }
}
