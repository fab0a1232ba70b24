package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small real file system for disk-full tests: a tmpfs mounted inside a private mount namespace
 * ({@code unshare}), so it vanishes with the processes that use it and never shows on the host.
 * Two ways are tried, as root: {@code unshare --mount} (needs CAP_SYS_ADMIN, as root on a VM or a
 * privileged container has) and {@code unshare --user --map-root-user --mount} (needs user
 * namespaces). If neither works the test fails, naming both errors: it does not skip.
 */
final class TmpfsNamespace {
    private static final List<List<String>> WAYS = List.of(List.of("unshare", "--mount"),
            List.of("unshare", "--user", "--map-root-user", "--mount"));

    private final List<String> prefix;

    private TmpfsNamespace(List<String> prefix) {
        this.prefix = prefix;
    }

    /** The first way that mounts a tmpfs here; fails the test with every way's error if none does. */
    static TmpfsNamespace find(Path probeDir) {
        List<String> errors = new ArrayList<>();
        for (List<String> way : WAYS) {
            try {
                Path mount = Files.createDirectories(probeDir.resolve("mnt" + errors.size()));
                Process p = new ProcessBuilder(concat(way, List.of("sh", "-c", "mount -t tmpfs -o size=64k tmpfs '" + mount
                        + "' && touch '" + mount + "/probe'"))).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return new TmpfsNamespace(way);
                }
                errors.add(String.join(" ", way) + ": " + output);
            } catch (IOException e) {
                errors.add(String.join(" ", way) + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("cannot mount a tmpfs for the disk-full test (run as root with CAP_SYS_ADMIN, or allow user"
                + " namespaces): " + String.join("; ", errors));
    }

    /** A script run in one namespace with a fresh tmpfs of {@code kib} KiB; its results land in {@code dir}. */
    Script script(Path dir, int kib) throws IOException {
        return new Script(this, Files.createDirectories(dir), kib);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Shell steps inside the namespace: {@code ota} commands (each a child JVM, its exit code,
     * standard output and error kept per step), plain commands, and copies of the state directory
     * out of the tmpfs for the test to inspect once the namespace is gone.
     */
    static final class Script {
        private final TmpfsNamespace ns;
        private final Path dir;
        private final Path mount;
        private final Path out;
        private final StringBuilder text = new StringBuilder();

        private Script(TmpfsNamespace ns, Path dir, int kib) throws IOException {
            this.ns = ns;
            this.dir = dir;
            this.mount = Files.createDirectories(dir.resolve("mnt"));
            this.out = Files.createDirectories(dir.resolve("out"));
            text.append("mount -t tmpfs -o size=").append(kib).append("k tmpfs '").append(mount).append("' || exit 97\n");
        }

        String mount() {
            return mount.toString();
        }

        String out() {
            return out.toString();
        }

        String state() {
            return mount.resolve("state").toString();
        }

        Script sh(String line) {
            text.append(line).append('\n');
            return this;
        }

        Script ota(String step, String... args) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), FixedClockMain.class.getName()));
            command.addAll(List.of(args));
            StringBuilder line = new StringBuilder();
            command.forEach(c -> line.append('\'').append(c.replace("'", "'\\''")).append("' "));
            line.append(">'").append(out.resolve(step + ".out")).append("' 2>'").append(out.resolve(step + ".err"))
                    .append("'; echo $? >'").append(out.resolve(step + ".rc")).append("'");
            return sh(line.toString());
        }

        Script copyState(String name) {
            return sh("cp -a '" + state() + "' '" + out.resolve("state-" + name) + "'");
        }

        /** Runs the script; fails the test if the namespace could not be set up. */
        void run() throws IOException, InterruptedException {
            Path file = Files.writeString(dir.resolve("script.sh"), text.toString());
            Process p = new ProcessBuilder(concat(ns.prefix, List.of("sh", file.toString()))).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("script.log").toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("the disk-full script did not finish in 5 minutes; see " + dir.resolve("script.log"));
            }
            if (p.exitValue() != 0) {
                fail("the disk-full script exited " + p.exitValue() + ": " + Files.readString(dir.resolve("script.log")));
            }
        }

        EcuCli.Result result(String step) {
            try {
                return new EcuCli.Result(Integer.parseInt(Files.readString(out.resolve(step + ".rc")).strip()),
                        Files.readString(out.resolve(step + ".out")), Files.readString(out.resolve(step + ".err")));
            } catch (IOException e) {
                throw new UncheckedIOException("step " + step + " left no result", e);
            }
        }

        Path copied(String name) {
            return out.resolve("state-" + name);
        }
    }
}
