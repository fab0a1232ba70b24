package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.ecu.sandbox.CompilerOutput;
import dev.wasmota.ecu.slots.CompiledClassStore;
import dev.wasmota.ecu.slots.Slot;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.ReleaseAttributes.CompiledOutput;
import dev.wasmota.signing.pkg.VerifiedPackage;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * A slot's module as compiled classes, the cheapest sound way. At install the module is compiled
 * and its output checked against the digest the OEM countersigned (the "bookend"); the output is
 * then kept beside the slot. At start the kept output is loaded instead of compiling, but only
 * once its digest equals the OEM's statement for that very package: a missing, unreadable or
 * altered copy is never loaded; the module is compiled again from its verified package (checked
 * against the statement like at install) and the copy replaced, and an altered copy is audited
 * as a security event. A package without a compiled-output statement is compiled at every start:
 * a digest the host recorded itself would sit beside the classes it vouches for, where whoever
 * can change one can change the other.
 */
final class CompiledClasses {
    /** The audit cause of a kept copy that was not loaded because it is not what the OEM stated. */
    static final String MISMATCH = "COMPILED_CLASSES_MISMATCH";

    private final HostConfig config;
    private final CompiledClassStore store;
    private final HostAudit audit;

    CompiledClasses(HostConfig config, SlotStore slots, HostAudit audit) {
        this.config = config;
        this.store = new CompiledClassStore(slots, config.stepHook());
        this.audit = audit;
    }

    /** A compiled module and how it came to be, for the host's output and its audit record. */
    record Compiled(CompiledModule module, String how) {
    }

    /**
     * The package's module compiled (or shared from this process's cache) and checked against
     * the OEM's statement.
     *
     * @throws RejectedException as the compilation does, or {@link UpdateFailure#COMPILED_OUTPUT_MISMATCH}
     */
    CompiledModule forInstall(VerifiedPackage verified) {
        Manifest m = verified.manifest();
        CompiledModule compiled = config.compiledModules().get(m.wasmSha256(), verified.wasm(), m.capabilities(),
                config.compileBudget(), Optional::empty);
        requireStated(verified, compiled);
        return compiled;
    }

    /**
     * Keeps the output of an install's compilation beside {@code slot}; says what it did. Only a
     * package with a compiled-output statement keeps one (see the class comment). The copy is an
     * optimization: a failure to write it is reported, the install goes on.
     */
    String keep(Slot slot, VerifiedPackage verified, CompiledModule compiled) {
        String id = verified.manifest().moduleId();
        if (stated(verified).isEmpty()) {
            discardQuietly(id, slot);
            return "no compiled-output statement: classes not kept, compiled at every start";
        }
        try {
            store.keep(id, slot, compiled.serializedOutput());
            return "compiled classes kept";
        } catch (UncheckedIOException | RejectedException e) {
            return "compiled classes not kept (" + e.getMessage() + "): compiled at the next start";
        }
    }

    /**
     * The module of the package active in {@code slot}, from the classes kept beside it when
     * they are what the OEM stated, else compiled again and checked like at install.
     *
     * @throws RejectedException as the compilation does, or {@link UpdateFailure#COMPILED_OUTPUT_MISMATCH}
     */
    Compiled forStart(Slot slot, VerifiedPackage verified) {
        Manifest m = verified.manifest();
        Optional<CompiledOutput> stated = stated(verified);
        Lookup lookup = new Lookup();
        long start = System.nanoTime();
        CompiledModule compiled = config.compiledModules().get(m.wasmSha256(), verified.wasm(), m.capabilities(),
                config.compileBudget(), () -> stated.isEmpty() ? lookup.none("no compiled-output statement")
                        : verifiedCopy(m, slot, stated.get(), lookup));
        requireStated(verified, compiled);
        String ms = String.format(Locale.ROOT, "%.0f ms", (System.nanoTime() - start) / 1e6);
        if (!lookup.asked) {
            return new Compiled(compiled, "compiled classes shared in this process");
        }
        if (lookup.loaded) {
            return new Compiled(compiled, "compiled classes of slot " + slot + " loaded, as the OEM stated, in " + ms);
        }
        String how = "compiled in " + ms + " (" + lookup.why + ")";
        return new Compiled(compiled, stated.isEmpty() ? how : how + "; " + keep(slot, verified, compiled));
    }

    /** What the compiled-module cache found when it asked for a kept copy (it asks only on a miss). */
    private static final class Lookup {
        boolean asked;
        boolean loaded;
        String why;

        Optional<CompilerOutput> none(String reason) {
            asked = true;
            why = reason;
            return Optional.empty();
        }

        Optional<CompilerOutput> found(CompilerOutput out) {
            asked = true;
            loaded = true;
            return Optional.of(out);
        }
    }

    /** The kept copy, if it is there, readable and what the OEM stated. */
    private Optional<CompilerOutput> verifiedCopy(Manifest m, Slot slot, CompiledOutput stated, Lookup lookup) {
        long maxBytes = maxBytes(m.wasmLength());
        Optional<byte[]> bytes;
        try {
            bytes = store.read(m.moduleId(), slot, maxBytes);
        } catch (UncheckedIOException e) {
            return refused(m, slot, "unreadable (" + e.getCause().getMessage() + ")", lookup);
        }
        if (bytes.isEmpty()) {
            return lookup.none("no compiled classes kept");
        }
        CompilerOutput out;
        try {
            out = CompilerOutput.read(bytes.get(), maxBytes);
        } catch (IllegalArgumentException e) {
            return refused(m, slot, e.getMessage(), lookup);
        }
        if (!out.sha256().equals(stated.sha256())) {
            return refused(m, slot, "digest " + out.sha256() + ", the OEM stated " + stated.sha256(), lookup);
        }
        return lookup.found(out);
    }

    private Optional<CompilerOutput> refused(Manifest m, Slot slot, String why, Lookup lookup) {
        audit.append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).moduleId(m.moduleId()).toVersion(m.version())
                .toWasmSha256(m.wasmSha256()).securityVersion(m.securityVersion()).actor(HostAudit.ACTOR)
                .outcome(Outcome.REFUSED).cause(MISMATCH).detail("the compiled classes kept for slot " + slot + " ("
                        + store.file(m.moduleId(), slot) + ") are not what the OEM stated: " + why
                        + "; not loaded, compiled again from the verified package"));
        return lookup.none("kept classes refused: " + why);
    }

    /** The bookend: the compiled output must have the digest the OEM countersigned, if it stated one. */
    private static void requireStated(VerifiedPackage verified, CompiledModule compiled) {
        Optional<CompiledOutput> stated = ReleaseAttributes.compiledOutput(verified);
        if (stated.isEmpty()) {
            return;
        }
        if (!stated.get().compiler().equals(CompiledOutputDigest.COMPILER)
                || !stated.get().sha256().equals(compiled.compiledSha256())) {
            throw new RejectedException(UpdateFailure.COMPILED_OUTPUT_MISMATCH, "the OEM compiled "
                    + verified.manifest().moduleId() + " with " + stated.get().compiler() + " to " + stated.get().sha256()
                    + "; this ECU's " + CompiledOutputDigest.COMPILER + " gives " + compiled.compiledSha256());
        }
    }

    /** The OEM's statement, when it is about this host's compiler (another compiler's refuses at the bookend). */
    private static Optional<CompiledOutput> stated(VerifiedPackage verified) {
        return ReleaseAttributes.compiledOutput(verified).filter(s -> s.compiler().equals(CompiledOutputDigest.COMPILER));
    }

    /**
     * The most a kept copy may hold, compressed or inflated: 96 bytes for each byte of WASM plus
     * 16 MiB, four times what this compiler produced for the densest module seen (100,000
     * one-line functions: 1.0 MB of WASM, 23.8 MB of classes, a 4.1 MB jar).
     */
    static long maxBytes(long wasmBytes) {
        return 96 * wasmBytes + (16L << 20);
    }

    private void discardQuietly(String id, Slot slot) {
        try {
            store.discard(id, slot);
        } catch (UncheckedIOException e) {
            // nothing stale is loaded from it: a copy is loaded only against the OEM's statement
        }
    }
}
