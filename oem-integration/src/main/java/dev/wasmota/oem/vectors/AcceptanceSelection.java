package dev.wasmota.oem.vectors;

import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.pkg.AcceptanceVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks the acceptance vectors the OEM countersigns from the intake's vector file: the longest
 * prefix of its cases within {@link AcceptanceVectors#MAX_CASES} cases and
 * {@link AcceptanceVectors#MAX_CALLS} calls (a prefix, because cases run in order on one instance
 * and a later case may expect the state earlier ones left), with arguments and expected values in
 * the long form the sandbox passes them. Only vectors the intake's sandbox passed are selected.
 */
public final class AcceptanceSelection {
    private AcceptanceSelection() {
    }

    /** The acceptance vectors for {@code vectors}, which passed on {@code compiled}; empty if not even the first case fits. */
    public static Optional<AcceptanceVectors> of(TestVectors vectors, CompiledModule compiled) {
        List<AcceptanceVectors.Case> out = new ArrayList<>();
        long calls = 0;
        for (TestVectors.Case c : vectors.cases()) {
            Optional<AcceptanceVectors.Case> converted = convert(out.size(), c, compiled);
            if (out.size() == AcceptanceVectors.MAX_CASES || calls + c.repeat() > AcceptanceVectors.MAX_CALLS
                    || converted.isEmpty()) {
                break;
            }
            out.add(converted.get());
            calls += c.repeat();
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(new AcceptanceVectors(out));
    }

    private static Optional<AcceptanceVectors.Case> convert(int index, TestVectors.Case c, CompiledModule compiled) {
        Optional<FunctionType> type = compiled.exportType(c.export());
        if (type.isEmpty() || !printable(c.export()) || type.get().params().size() != c.args().size()
                || c.expect().map(e -> e.size() != type.get().results().size()).orElse(false)) {
            return Optional.empty();
        }
        try {
            List<Long> args = values(c.args(), type.get().params());
            Optional<List<Long>> expect = c.expect().map(e -> values(e, type.get().results()));
            return Optional.of(new AcceptanceVectors.Case(index, printable(c.name()) ? c.name() : "", c.export(), args,
                    expect, c.repeat(), c.can()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static List<Long> values(List<Number> numbers, List<String> types) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            out.add(ValueCodec.toWasm(numbers.get(i), types.get(i)));
        }
        return out;
    }

    private static boolean printable(String s) {
        return s.length() <= 64 && s.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7e);
    }
}
