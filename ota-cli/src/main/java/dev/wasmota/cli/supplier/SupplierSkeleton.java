package dev.wasmota.cli.supplier;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.manifest.EcuAbi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A supplier's project skeleton made from the supplier kit: the language's template files with
 * the module id filled in, and the kit's host ABI binding (C header or Rust crate) copied as it is,
 * so the project builds on its own. Written whole into a temporary sibling and renamed into
 * place, so a failure leaves no half-made project.
 */
public final class SupplierSkeleton {
    /** The languages the kit has templates for. */
    public enum Lang {
        C("c"), RUST("rust");

        private final String dir;

        Lang(String dir) {
            this.dir = dir;
        }

        /** {@code c} or {@code rust}, in any case. */
        public static Lang parse(String text) {
            for (Lang l : values()) {
                if (l.dir.equals(text.toLowerCase(Locale.ROOT))) {
                    return l;
                }
            }
            throw new IllegalArgumentException("unknown language '" + text + "' (expected c or rust)");
        }
    }

    /** Longest template file read. */
    static final long MAX_TEMPLATE_BYTES = 1 << 20;

    private SupplierSkeleton() {
    }

    /**
     * Writes the skeleton of module {@code moduleId} in {@code lang} to {@code dir}, which must not
     * exist or be empty; returns the files written, relative to {@code dir}.
     *
     * @throws NoSuchFileException when {@code kit} has no templates for {@code lang}
     * @throws FileAlreadyExistsException when {@code dir} holds anything
     */
    public static List<Path> write(Path kit, Lang lang, String moduleId, Path dir) throws IOException {
        Path templates = kit.resolve("templates").resolve(lang.dir);
        if (!Files.isDirectory(templates)) {
            throw new NoSuchFileException(templates.toString(), null, "no supplier kit here; name it with --kit DIR");
        }
        requireEmpty(dir);
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        DurableFiles.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".new-");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<Path> written = new ArrayList<>();
            for (Path t : files(templates)) {
                Path rel = templates.relativize(t);
                write(temp.resolve(rel.toString()), fill(read(t), moduleId));
                written.add(rel);
            }
            for (Path rel : binding(lang)) {
                Path from = kit.resolve(lang == Lang.C ? "c" : "rust").resolve(rel.toString());
                Path to = lang == Lang.C ? rel : Path.of("ecu").resolve(rel.toString().substring("ecu/".length()));
                write(temp.resolve(to.toString()), read(from));
                written.add(to);
            }
            Files.setPosixFilePermissions(temp.resolve("build.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
            if (Files.isDirectory(target)) {
                Files.delete(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return written.stream().sorted().toList();
        } finally {
            deleteTree(temp);
        }
    }

    /** The Rust crate name of a module id: its letters and digits, {@code _} for the rest, never starting with a digit. */
    static String crateName(String moduleId) {
        String name = moduleId.replaceAll("[^a-z0-9]", "_");
        return Character.isDigit(name.charAt(0)) ? "m_" + name : name;
    }

    private static String fill(String template, String moduleId) {
        return template.replace("@MODULE@", moduleId).replace("@CRATE@", crateName(moduleId))
                .replace("@ABI_VERSION@", Integer.toString(EcuAbi.VERSION));
    }

    private static List<Path> binding(Lang lang) {
        return lang == Lang.C ? List.of(Path.of("ecu.h"))
                : List.of(Path.of("ecu/Cargo.toml"), Path.of("ecu/src/lib.rs"), Path.of("ecu/src/abi.rs"));
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new FileAlreadyExistsException(dir.toString(), null, "the directory is not empty");
            }
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String read(Path p) throws IOException {
        if (Files.size(p) > MAX_TEMPLATE_BYTES) {
            throw new IOException(p + " is larger than a template may be (" + MAX_TEMPLATE_BYTES + " bytes)");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
