package dev.wasmota.signing.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host ABI of CONTRACT.md: the functions of import module {@code ecu}, their WASM types, and
 * the status codes they return. The single place both the packager and the host read them from.
 */
public final class EcuAbi {
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

    private static final Map<String, FunctionType> FUNCTIONS = Map.of(
            "log", FunctionType.of(List.of("i32", "i32"), List.of()),
            "clock_us", FunctionType.of(List.of(), List.of("i64")),
            "can_read", FunctionType.of(List.of("i32", "i32"), List.of("i32")),
            "can_write", FunctionType.of(List.of("i32", "i64"), List.of("i32")),
            "i2c_read", FunctionType.of(List.of("i32", "i32", "i32", "i32", "i32"), List.of("i32")),
            "i2c_write", FunctionType.of(List.of("i32", "i32", "i32", "i32", "i32"), List.of("i32")));

    private EcuAbi() {
    }

    /** The type of host function {@code ecu.name}, if the ABI has one. */
    public static Optional<FunctionType> function(String name) {
        return Optional.ofNullable(FUNCTIONS.get(name));
    }
}
