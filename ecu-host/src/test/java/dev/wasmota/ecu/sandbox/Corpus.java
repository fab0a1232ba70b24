package dev.wasmota.ecu.sandbox;

import dev.wasmota.signing.manifest.CapabilitySet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The shared test-module corpus ({@code testdata/wasm}), found via system property {@code ota.corpus}. */
public final class Corpus {
    private static final CompiledModuleCache CACHE = new CompiledModuleCache();

    private Corpus() {
    }

    public static Path path(String name) {
        String configured = System.getProperty("ota.corpus");
        if (configured != null && !configured.isBlank() && Files.isDirectory(Paths.get(configured))) {
            return Paths.get(configured).resolve(name);
        }
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("testdata").resolve("wasm");
            if (Files.isDirectory(candidate)) {
                return candidate.resolve(name);
            }
        }
        throw new IllegalStateException("no testdata/wasm above " + System.getProperty("user.dir"));
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code name.wasm} compiled once per test JVM for {@code capabilities}. */
    public static CompiledModule compiled(String name, String capabilities) {
        return CACHE.get(bytes(name + ".wasm"), CapabilitySet.parse(capabilities));
    }
}
