package dev.wasmota.signing.manifest;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A set of capabilities in canonical order (sorted by canonical text, duplicates removed). Answers
 * the questions the signer, the OEM and the host ask: does this set cover that one, may a module
 * holding it import {@code ecu.NAME}, read CAN id X, talk to I2C device Y.
 */
public record CapabilitySet(List<Capability> items) {
    /** Most capabilities one list may hold. */
    public static final int MAX_ITEMS = 64;

    public static final CapabilitySet EMPTY = new CapabilitySet(List.of());

    public CapabilitySet {
        if (items.size() > MAX_ITEMS) {
            throw new RejectedException(PolicyFailure.MALFORMED_CAPABILITY,
                    "more than " + MAX_ITEMS + " capabilities");
        }
        TreeSet<Capability> sorted = new TreeSet<>(Comparator.comparing(Capability::canonical));
        sorted.addAll(items);
        items = List.copyOf(sorted);
    }

    /** Parses a comma-separated LIST; an empty or blank string is the empty set. */
    public static CapabilitySet parse(String list) {
        if (list == null || list.isBlank()) {
            return EMPTY;
        }
        if (list.length() > MAX_ITEMS * (Capability.MAX_TEXT_LENGTH + 1)) {
            throw new RejectedException(PolicyFailure.MALFORMED_CAPABILITY, "capability list too long");
        }
        List<Capability> out = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            if (part.isBlank()) {
                throw new RejectedException(PolicyFailure.MALFORMED_CAPABILITY, "empty item in capability list '" + list + "'");
            }
            out.add(Capability.parse(part.strip()));
        }
        return new CapabilitySet(out);
    }

    /** The canonical texts, in order. */
    public List<String> canonicalList() {
        return items.stream().map(Capability::canonical).collect(Collectors.toList());
    }

    /** The canonical comma-separated LIST. */
    public String canonical() {
        return String.join(",", canonicalList());
    }

    /** The {@code ecu} import names granted by this set. */
    public Set<String> grantedImports() {
        return items.stream().flatMap(c -> c.grantedImports().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Whether a module holding this set may import {@code module.name}. */
    public boolean permitsImport(String module, String name) {
        return EcuAbi.MODULE.equals(module) && grantedImports().contains(name);
    }

    public boolean permitsCanRead(int id) {
        return items.stream().anyMatch(c -> c instanceof Capability.CanRead r && r.lo() <= id && id <= r.hi());
    }

    public boolean permitsCanWrite(int id) {
        return items.stream().anyMatch(c -> c instanceof Capability.CanWrite w && w.lo() <= id && id <= w.hi());
    }

    public boolean permitsI2c(int bus, int address) {
        return items.stream().anyMatch(c -> c instanceof Capability.I2c i && i.bus() == bus && i.address() == address);
    }

    /** The capabilities of {@code requested} that this set does not cover; empty when it covers all. */
    public List<Capability> uncovered(CapabilitySet requested) {
        return requested.items.stream().filter(Predicate.not(this::covers)).collect(Collectors.toList());
    }

    /** Whether this set grants everything {@code c} grants (a CAN range may span several of ours). */
    public boolean covers(Capability c) {
        if (c instanceof Capability.CanRead r) {
            return rangeCovered(r.lo(), r.hi(), x -> x instanceof Capability.CanRead, true);
        }
        if (c instanceof Capability.CanWrite w) {
            return rangeCovered(w.lo(), w.hi(), x -> x instanceof Capability.CanWrite, false);
        }
        return items.contains(c);
    }

    private boolean rangeCovered(long lo, long hi, Predicate<Capability> kind, boolean read) {
        List<long[]> ranges = items.stream().filter(kind)
                .map(x -> read
                        ? new long[] {((Capability.CanRead) x).lo(), ((Capability.CanRead) x).hi()}
                        : new long[] {((Capability.CanWrite) x).lo(), ((Capability.CanWrite) x).hi()})
                .sorted(Comparator.comparingLong(a -> a[0]))
                .collect(Collectors.toList());
        long next = lo;
        for (long[] r : ranges) {
            if (r[0] > next) {
                break;
            }
            next = Math.max(next, r[1] + 1);
            if (next > hi) {
                return true;
            }
        }
        return next > hi;
    }

    @Override
    public String toString() {
        return canonical();
    }
}
