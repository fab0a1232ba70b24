package dev.wasmota.signing.manifest;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The most a module may make its host allocate besides linear memory (which
 * {@link Manifest#memoryPages()} caps): the supplier declares these in the manifest, where both
 * signatures bind them, and every host holds them under its own ceilings. Only tables can grow at
 * run time, so {@link #tableElements} is the one figure that may exceed what the module declares;
 * the others are checked against the module's declarations before anything is instantiated.
 *
 * @param tables most tables, imported and defined
 * @param tableElements most elements over all tables together, initial sizes plus every growth
 * @param globals most globals, imported and defined
 * @param dataSegments most data segments
 * @param dataBytes most bytes over all data segments
 * @param elementSegments most element segments
 * @param elementEntries most entries over all element segments
 */
public record ResourceCaps(long tables, long tableElements, long globals, long dataSegments, long dataBytes,
        long elementSegments, long elementEntries) {
    /** Most tables any manifest may state: the WASM bounds check refuses more before parsing. */
    public static final long MAX_TABLES = 100;
    /** Most table elements any manifest may state: Chicory's limit for one table. */
    public static final long MAX_TABLE_ELEMENTS = 10_000_000;
    /** Most globals any manifest may state. */
    public static final long MAX_GLOBALS = 1_000_000;
    /** Most data segments any manifest may state. */
    public static final long MAX_DATA_SEGMENTS = 100_000;
    /** Most data bytes any manifest may state: the largest module. */
    public static final long MAX_DATA_BYTES = Manifest.MAX_WASM_LENGTH;
    /** Most element segments any manifest may state. */
    public static final long MAX_ELEMENT_SEGMENTS = 100_000;
    /** Most element entries any manifest may state. */
    public static final long MAX_ELEMENT_ENTRIES = 10_000_000;

    /** The largest caps a manifest can state at all (the format's bounds, not a host's ceilings). */
    public static final ResourceCaps FORMAT_MAXIMA = new ResourceCaps(MAX_TABLES, MAX_TABLE_ELEMENTS, MAX_GLOBALS,
            MAX_DATA_SEGMENTS, MAX_DATA_BYTES, MAX_ELEMENT_SEGMENTS, MAX_ELEMENT_ENTRIES);

    /** The default ceiling on table elements, growth included. */
    public static final long DEFAULT_TABLE_ELEMENTS = 65_536;

    /**
     * The ceilings a host applies unless configured otherwise, and the packager's: 16 tables,
     * 65,536 table elements (about 512 KiB of references in Chicory, twice that while a table is
     * copied to grow), 4,096 globals, 1,024 data segments of 4 MiB in all, 1,024 element segments
     * of 65,536 entries in all.
     */
    public static final ResourceCaps DEFAULT_CEILINGS = new ResourceCaps(16, ResourceCaps.DEFAULT_TABLE_ELEMENTS, 4_096,
            1_024, 4L << 20, 1_024, 65_536);

    /** Checks every field against {@link #FORMAT_MAXIMA} and reports all problems in one refusal. */
    public ResourceCaps {
        List<String> problems = new ArrayList<>();
        range(problems, "tables", tables, MAX_TABLES);
        range(problems, "tableElements", tableElements, MAX_TABLE_ELEMENTS);
        range(problems, "globals", globals, MAX_GLOBALS);
        range(problems, "dataSegments", dataSegments, MAX_DATA_SEGMENTS);
        range(problems, "dataBytes", dataBytes, MAX_DATA_BYTES);
        range(problems, "elementSegments", elementSegments, MAX_ELEMENT_SEGMENTS);
        range(problems, "elementEntries", elementEntries, MAX_ELEMENT_ENTRIES);
        if (!problems.isEmpty()) {
            throw new RejectedException(PolicyFailure.MALFORMED_MANIFEST, "resource caps out of range: "
                    + String.join("; ", problems));
        }
    }

    /** These caps with room for {@code elements} table elements in all. */
    public ResourceCaps withTableElements(long elements) {
        return new ResourceCaps(tables, elements, globals, dataSegments, dataBytes, elementSegments, elementEntries);
    }

    /** Each figure of {@code this} above {@code limit}'s, as {@code "NAME WANTED above LIMIT"}; empty if none. */
    public List<String> excessOver(ResourceCaps limit) {
        List<String> out = new ArrayList<>();
        over(out, "tables", tables, limit.tables);
        over(out, "table elements", tableElements, limit.tableElements);
        over(out, "globals", globals, limit.globals);
        over(out, "data segments", dataSegments, limit.dataSegments);
        over(out, "data bytes", dataBytes, limit.dataBytes);
        over(out, "element segments", elementSegments, limit.elementSegments);
        over(out, "element entries", elementEntries, limit.elementEntries);
        return out;
    }

    /**
     * Refuses caps above a host's {@code ceilings}, naming each.
     *
     * @throws RejectedException {@link PolicyFailure#RESOURCE_LIMIT}
     */
    public ResourceCaps requireWithin(ResourceCaps ceilings, String whose) {
        List<String> excess = excessOver(ceilings);
        if (!excess.isEmpty()) {
            throw new RejectedException(PolicyFailure.RESOURCE_LIMIT, "the manifest's caps exceed " + whose + ": "
                    + String.join(", ", excess));
        }
        return this;
    }

    /** One line for people: {@code 1 table, 64 table elements, ...}. */
    public String describe() {
        return String.format(Locale.ROOT, "%d tables, %d table elements, %d globals, %d data segments of %d bytes,"
                + " %d element segments of %d entries", tables, tableElements, globals, dataSegments, dataBytes,
                elementSegments, elementEntries);
    }

    private static void range(List<String> problems, String name, long value, long max) {
        if (value < 0 || value > max) {
            problems.add(name + " " + value + " is outside 0.." + max);
        }
    }

    private static void over(List<String> out, String name, long value, long limit) {
        if (value > limit) {
            out.add(String.format(Locale.ROOT, "%,d %s above %,d", value, name, limit));
        }
    }
}
