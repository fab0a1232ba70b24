package dev.wasmota.signing.wasm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.TableImport;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a module's declarations make a host allocate when it is instantiated, besides linear
 * memory: tables and their initial sizes, globals, data and element segments. Read either from
 * the bytes before any parser runs ({@link #of(byte[])}, through {@link WasmBounds}) or from
 * Chicory's parsed module ({@link #of(WasmModule)}); both give the same figures for the same module.
 *
 * @param tables tables, imported and defined
 * @param tableElements the tables' initial sizes together
 * @param globals globals, imported and defined
 * @param dataSegments data segments
 * @param dataBytes bytes of all data segments together
 * @param elementSegments element segments
 * @param elementEntries entries of all element segments together
 */
public record DeclaredResources(long tables, long tableElements, long globals, long dataSegments, long dataBytes,
        long elementSegments, long elementEntries) {

    /**
     * The declarations of {@code wasm}, read by the allocation-free bounds check before anything
     * parses it.
     *
     * @throws RejectedException {@link PolicyFailure#INVALID_WASM} as {@link WasmBounds#check} does
     */
    public static DeclaredResources of(byte[] wasm) {
        return WasmBounds.check(wasm);
    }

    /**
     * The declarations of a module Chicory parsed. Read it before any instance is built from that
     * module: Chicory 1.7.5 raises a parsed table's minimum each time an instance grows it.
     */
    public static DeclaredResources of(WasmModule module) {
        long tables = module.tableSection().tableCount();
        long tableElements = 0;
        long globals = module.globalSection().globalCount();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            if (imp.importType() == ExternalType.TABLE) {
                tables++;
                tableElements += ((TableImport) imp).limits().min();
            } else if (imp.importType() == ExternalType.GLOBAL) {
                globals++;
            }
        }
        for (int i = 0; i < module.tableSection().tableCount(); i++) {
            tableElements += module.tableSection().getTable(i).limits().min();
        }
        long dataBytes = 0;
        for (DataSegment d : module.dataSection().dataSegments()) {
            dataBytes += d.data().length;
        }
        long entries = 0;
        for (Element e : module.elementSection().elements()) {
            entries += e.elementCount();
        }
        return new DeclaredResources(tables, tableElements, globals, module.dataSection().dataSegmentCount(), dataBytes,
                module.elementSection().elementCount(), entries);
    }

    /**
     * Caps equal to these declarations: what the packager states when the supplier asks for no
     * more (the tables may not grow).
     *
     * @throws RejectedException {@link PolicyFailure#RESOURCE_LIMIT} when a figure is beyond what
     *     any manifest can state
     */
    public ResourceCaps exactCaps() {
        List<String> excess = asCaps(ResourceCaps.FORMAT_MAXIMA);
        if (!excess.isEmpty()) {
            throw refusal("the manifest format's bounds", excess);
        }
        return new ResourceCaps(tables, tableElements, globals, dataSegments, dataBytes, elementSegments, elementEntries);
    }

    /**
     * Refuses declarations above {@code caps}, naming each figure over.
     *
     * @param whose whose caps they are, for the message: "its manifest's caps", "the host's ceilings"
     * @throws RejectedException {@link PolicyFailure#RESOURCE_LIMIT}
     */
    public DeclaredResources requireWithin(ResourceCaps caps, String whose) {
        List<String> excess = asCaps(caps);
        if (!excess.isEmpty()) {
            throw refusal(whose, excess);
        }
        return this;
    }

    /** One line for people: {@code 1 tables of 365 elements in all, ...}. */
    public String describe() {
        return String.format(Locale.ROOT, "%d tables of %d elements in all, %d globals, %d data segments of %d bytes,"
                + " %d element segments of %d entries", tables, tableElements, globals, dataSegments, dataBytes,
                elementSegments, elementEntries);
    }

    private List<String> asCaps(ResourceCaps limit) {
        List<String> out = new ArrayList<>();
        over(out, "tables", tables, limit.tables());
        over(out, "table elements at start", tableElements, limit.tableElements());
        over(out, "globals", globals, limit.globals());
        over(out, "data segments", dataSegments, limit.dataSegments());
        over(out, "data bytes", dataBytes, limit.dataBytes());
        over(out, "element segments", elementSegments, limit.elementSegments());
        over(out, "element entries", elementEntries, limit.elementEntries());
        return out;
    }

    private static void over(List<String> out, String name, long declared, long limit) {
        if (declared > limit) {
            out.add(String.format(Locale.ROOT, "%,d %s (cap %,d)", declared, name, limit));
        }
    }

    private static RejectedException refusal(String whose, List<String> excess) {
        return new RejectedException(PolicyFailure.RESOURCE_LIMIT, "the module declares more than " + whose
                + " allow: " + String.join("; ", excess));
    }
}
