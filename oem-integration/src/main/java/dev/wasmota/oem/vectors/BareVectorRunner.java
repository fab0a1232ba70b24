package dev.wasmota.oem.vectors;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import java.util.List;

/**
 * Runs a vector file on a bare Chicory instance in the caller's thread: no worker, no deadline, no
 * isolation. Only for benchmarks, as the raw figure the sandbox's cost is measured against
 * ({@code ota bench compute}): the same calls with the same arguments and CAN signals, every
 * expected value checked, as {@link VectorRunner} makes them.
 */
public final class BareVectorRunner {
    private final Instance instance;
    private final SimulatedCanBus can;

    /** {@code can}: the bus the instance's host functions read. */
    public BareVectorRunner(Instance instance, SimulatedCanBus can) {
        this.instance = instance;
        this.can = can;
    }

    /** One pass over the cases; the first case that fails, as text, or empty when all passed. */
    public String run(TestVectors vectors, java.util.Map<String, dev.wasmota.signing.manifest.FunctionType> types) {
        for (TestVectors.Case c : vectors.cases()) {
            var type = types.get(c.export());
            if (type == null) {
                return c.label() + ": the module exports no function '" + c.export() + "'";
            }
            long[] args = new long[c.args().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = ValueCodec.toWasm(c.args().get(i), type.params().get(i));
            }
            c.can().forEach(can::set);
            ExportFunction fn = instance.export(c.export());
            for (int call = 0; call < c.repeat(); call++) {
                long[] out = fn.apply(args);
                if (c.expect().isPresent() && !matches(c.expect().get(), out, type.results())) {
                    return c.label() + ": unexpected result";
                }
            }
        }
        return "";
    }

    private static boolean matches(List<Number> expected, long[] actual, List<String> types) {
        for (int i = 0; i < expected.size(); i++) {
            if (!ValueCodec.matches(expected.get(i), actual[i], types.get(i))) {
                return false;
            }
        }
        return true;
    }
}
