package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory on a file system mounted read-only (a real tmpfs remounted {@code ro} in a
 * private mount namespace, {@link TmpfsNamespace}), driven through {@code ota ecu} in child
 * processes: every command that must write its state is refused with one line naming the cause,
 * {@code STORAGE_READ_ONLY} (exit 4, like a full disk), not an internal error; the audit log can
 * still be read and verified.
 */
class ReadOnlyStateIT {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path v1;
    static Path v2;
    static TmpfsNamespace namespace;

    @BeforeAll
    static void releases() {
        namespace = TmpfsNamespace.find(dir.resolve("probe"));
        cli = new EcuCli(dir);
        v1 = cli.healthy(1);
        v2 = cli.healthy(2);
    }

    @Test
    void aReadOnlyStateDirectoryIsNamedAsSuchWithExit4() throws Exception {
        TmpfsNamespace.Script s = namespace.script(dir.resolve("ro"), 1024);
        s.ota("install-v1", install(s, v1))
                .sh("mount -o remount,ro '" + s.mount() + "' || exit 96")
                .ota("run", "ecu", "run", "--state", s.state(), "--duration", "300ms")
                .ota("install-v2", install(s, v2))
                .ota("rollback", "ecu", "rollback", "--state", s.state(), "--module", "healthy")
                .ota("first-install", "ecu", "install", "--state", s.mount() + "/fresh", "--trust", cli.trust.toString(),
                        "--hardware-id", "ecu-a", "--package", v1.toString())
                .ota("log-verify", "ecu", "log", "--state", s.state(), "--verify");
        s.run();

        assertEquals(0, s.result("install-v1").code(), () -> s.result("install-v1").toString());
        for (String step : new String[] {"run", "install-v2", "rollback", "first-install"}) {
            EcuCli.Result r = s.result(step);
            EcuCli.assertRefused(4, r);
            assertTrue(r.err().startsWith("rejected (STORAGE_READ_ONLY): "), step + ": " + r.err());
            assertTrue(r.err().contains("Read-only file system"), step + ": " + r.err());
            assertFalse(r.err().contains("internal error") || r.err().contains("Exception"), step + ": " + r);
        }
        EcuCli.Result verified = s.result("log-verify");
        assertEquals(0, verified.code(), verified::toString);
        assertTrue(verified.out().startsWith("audit log intact"), verified.out());
    }

    private static String[] install(TmpfsNamespace.Script s, Path pkg) {
        return new String[] {"ecu", "install", "--state", s.state(), "--trust", cli.trust.toString(), "--hardware-id",
                "ecu-a", "--package", pkg.toString()};
    }
}
