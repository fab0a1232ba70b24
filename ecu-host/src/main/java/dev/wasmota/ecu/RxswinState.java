package dev.wasmota.ecu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.manifest.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The vehicle's RXSWIN (UN R156 7.1.1, issue 17), kept in its state directory as {@value #FILE}
 * (canonical JSON, format {@value #FORMAT}, written atomically). A signed instruction that changes
 * the RXSWIN makes it <em>pending</em>, bound to the package it names, before the install; it
 * becomes current only once that package is the module's active, committed slot, so a crash
 * between the commit and this file, a refused install, or a rollback never leaves an RXSWIN the
 * vehicle does not run: {@link #resolve} promotes a pending one whose package is active, and goes
 * back to the previous one when the module returned to the previous package (a rollback).
 */
public final class RxswinState {
    public static final String FILE = "rxswin.json";
    public static final String FORMAT = "wasmota-rxswin/1";
    private static final int MAX_BYTES = 4096;

    /** An RXSWIN bound to the package (of one module) that brought it. */
    public record Binding(String rxswin, String moduleId, String packageSha256) {
        public Binding {
            if (rxswin == null || !Instruction.RXSWIN.matcher(rxswin).matches() || moduleId == null
                    || !Manifest.ID.matcher(moduleId).matches() || packageSha256 == null
                    || !Digests.SHA256_HEX.matcher(packageSha256).matches()) {
                throw new IllegalArgumentException("RXSWIN binding is not well formed");
            }
        }
    }

    private record Stored(Optional<Binding> current, Optional<Binding> previous, Optional<Binding> pending) {
    }

    private final Path file;

    private RxswinState(Path file) {
        this.file = file;
    }

    /** The RXSWIN state of the vehicle whose state directory is {@code stateDir}. */
    public static RxswinState in(Path stateDir) {
        return new RxswinState(stateDir.resolve(FILE));
    }

    /** Before installing the package an instruction names: its RXSWIN becomes current once that package commits. */
    public synchronized void expect(String rxswin, String moduleId, String packageSha256) {
        Stored s;
        try {
            s = read();
        } catch (IllegalArgumentException e) {
            s = new Stored(Optional.empty(), Optional.empty(), Optional.empty());
        }
        Binding b = new Binding(rxswin, moduleId, packageSha256);
        if (s.current().equals(Optional.of(b))) {
            return;
        }
        write(new Stored(s.current(), s.previous(), Optional.of(b)));
    }

    /**
     * The vehicle's RXSWIN given what runs now ({@code modules}), its change persisted: a pending
     * one whose package is active becomes current (the one before it kept as previous); a current
     * one whose module went back to the previous RXSWIN's package gives way to it. Empty while the
     * vehicle has none, or when its file cannot be read (the OEM then judges it by its modules).
     */
    public synchronized Optional<String> resolve(List<ModuleState> modules) {
        Stored s;
        try {
            s = read();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        Stored next = next(s, modules);
        if (!next.equals(s)) {
            try {
                write(next);
            } catch (UncheckedIOException e) {
                return next.current().map(Binding::rxswin);
            }
        }
        return next.current().map(Binding::rxswin);
    }

    /** As {@link #resolve}, writing nothing: what {@code ota ecu status} prints. */
    public synchronized Optional<String> peek(List<ModuleState> modules) {
        try {
            return next(read(), modules).current().map(Binding::rxswin);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Stored next(Stored s, List<ModuleState> modules) {
        if (s.pending().isPresent() && runs(modules, s.pending().get())) {
            return new Stored(s.pending(), s.current(), Optional.empty());
        }
        if (s.current().isPresent() && s.previous().isPresent() && !runs(modules, s.current().get())
                && runs(modules, s.previous().get())) {
            return new Stored(s.previous(), Optional.empty(), s.pending());
        }
        return s;
    }

    private static boolean runs(List<ModuleState> modules, Binding b) {
        return modules.stream().anyMatch(m -> m.moduleId().equals(b.moduleId())
                && m.activeMetadata().packageSha256().equals(b.packageSha256()));
    }

    private Stored read() {
        byte[] bytes;
        try {
            bytes = DurableFiles.readBounded(file, MAX_BYTES);
        } catch (NoSuchFileException e) {
            return new Stored(Optional.empty(), Optional.empty(), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not JSON");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException(file + " is not " + FORMAT);
        }
        return new Stored(binding(root.get("current")), binding(root.get("previous")), binding(root.get("pending")));
    }

    private void write(Stored s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        s.current().ifPresent(b -> o.set("current", json(b)));
        s.previous().ifPresent(b -> o.set("previous", json(b)));
        s.pending().ifPresent(b -> o.set("pending", json(b)));
        try {
            DurableFiles.writeAtomic(file, CanonicalJson.bytes(o));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ObjectNode json(Binding b) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("rxswin", b.rxswin()).put("moduleId", b.moduleId()).put("packageSha256", b.packageSha256());
        return o;
    }

    private static Optional<Binding> binding(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        return Optional.of(new Binding(n.path("rxswin").asText(), n.path("moduleId").asText(),
                n.path("packageSha256").asText()));
    }
}
