package dev.wasmota.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checkout is, for tests that read its documents (README, docs) or its test corpus. */
public final class Repository {
    private Repository() {
    }

    /**
     * The repository's root: two levels above the corpus the build names ({@code ota.corpus},
     * {@code ROOT/testdata/wasm}), else the nearest directory above the working directory that holds
     * {@code testdata/wasm}.
     */
    public static Path root() {
        String corpus = System.getProperty("ota.corpus");
        if (corpus != null && !corpus.isBlank() && Files.isDirectory(Path.of(corpus))) {
            return Path.of(corpus).toAbsolutePath().getParent().getParent();
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("testdata").resolve("wasm"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no testdata/wasm above " + System.getProperty("user.dir"));
    }

    /** {@code relative} under the repository's root. */
    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
