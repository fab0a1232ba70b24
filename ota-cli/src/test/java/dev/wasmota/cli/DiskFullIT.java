package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk on a real file system: the vehicle's state directory on a small tmpfs, mounted in a
 * private mount namespace ({@link TmpfsNamespace}), driven through {@code ota ecu} in child
 * processes. An install that does not fit is refused with one line and exit 4
 * ({@code STORAGE_FULL}); the old slot stays active and runs; no temp file or torn audit line is
 * left; once space is freed the same install goes through.
 */
class DiskFullIT {
    /** The tmpfs: room for the state with v1 and the filler, not for v2 as well. */
    private static final int TMPFS_KIB = 512;
    /** What is left free for the v2 install: its audit records fit, its package (over 48 KiB) does not. */
    private static final int LEFT_FREE_KIB = 16;
    private static final int PADDING_BYTES = 48 * 1024;
    /** Installs tried on a disk with no byte free: each logs a little, until the log itself is refused. */
    private static final int ATTEMPTS = 4;

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
        v2 = cli.write(cli.fx.countersigned(cli.fx.supplierSigned(dev.wasmota.signing.pkg.Packager.build(
                padded(Fixtures.wasm("healthy_v2.wasm"), PADDING_BYTES), EcuCli.spec("healthy", "2.0.0",
                        EcuCli.HEALTHY_CAPS)), cli.fx.acme)), "healthy-2.0.0-padded.wotapkg");
    }

    @Test
    void installOnAFullDiskIsRefusedAndTheOldSlotKeepsRunning() throws Exception {
        TmpfsNamespace.Script s = namespace.script(dir.resolve("staging"), TMPFS_KIB);
        s.ota("install-v1", install(s, v1))
                .sh("dd if=/dev/zero of=" + s.mount() + "/reserve bs=1024 count=" + LEFT_FREE_KIB + " 2>/dev/null")
                .sh("dd if=/dev/zero of=" + s.mount() + "/filler bs=4096 2>/dev/null; true")
                .sh("rm " + s.mount() + "/reserve")
                .sh("df -k " + s.mount() + " > " + s.out() + "/df-full.txt")
                .ota("install-v2-full", install(s, v2))
                .copyState("after-full")
                .ota("log-verify-full", "ecu", "log", "--state", s.state(), "--verify")
                .ota("run-full", "ecu", "run", "--state", s.state(), "--duration", "300ms")
                .sh("rm " + s.mount() + "/filler")
                .ota("install-v2-freed", install(s, v2))
                .copyState("final");
        s.run();

        assertEquals(0, s.result("install-v1").code(), () -> s.result("install-v1").toString());
        EcuCli.Result full = s.result("install-v2-full");
        assertRefusedAsDiskFull(full);
        assertTrue(full.err().contains("cannot stage healthy 2.0.0"), "refused while staging: " + full.err());

        Path after = s.copied("after-full");
        assertEquals(List.of(), tempFiles(after), "no temp or half-written file is left");
        assertFalse(Files.exists(after.resolve("slots/modules/healthy/B/slot.json")), "slot B holds no stage");
        ModuleState state = SlotStore.open(after.resolve("slots")).state("healthy").orElseThrow();
        assertEquals("1.0.0", state.activeMetadata().version(), "the old slot stays active");
        assertEquals(null, state.previous(), "nothing was committed beside it");
        Path log = after.resolve(EcuHost.AUDIT_FILE);
        assertTrue(AuditLog.verify(log).ok(), () -> AuditLog.verify(log).summary());
        assertTrue(AuditLog.read(log).stream().anyMatch(r -> r.event() == AuditEvent.INSTALL_REFUSED
                && "STORAGE_FULL".equals(r.cause()) && "2.0.0".equals(r.toVersion())), "the refusal is logged");

        assertEquals(0, s.result("log-verify-full").code(), () -> s.result("log-verify-full").toString());
        EcuCli.Result run = s.result("run-full");
        assertEquals(0, run.code(), run::toString);
        EcuCli.Row row = run.row("healthy");
        assertEquals("1.0.0", row.version());
        assertTrue(row.calls() > 0, "v1 still runs on the full disk: " + run.out());

        EcuCli.Result freed = s.result("install-v2-freed");
        assertEquals(0, freed.code(), freed::toString);
        assertTrue(freed.out().contains("installed healthy 2.0.0 -> slot B (was 1.0.0)"), freed.out());
        Path finalLog = s.copied("final").resolve(EcuHost.AUDIT_FILE);
        assertTrue(AuditLog.verify(finalLog).ok(), () -> AuditLog.verify(finalLog).summary());
        assertEquals(1, committed(finalLog, "2.0.0"), "v2 committed once");
    }

    @Test
    void aDiskTooFullForTheAuditLogRefusesWithoutTearingIt() throws Exception {
        TmpfsNamespace.Script s = namespace.script(dir.resolve("audit"), TMPFS_KIB);
        s.ota("install-v1", install(s, v1))
                .sh("dd if=/dev/zero of=" + s.mount() + "/filler bs=1024 2>/dev/null; true");
        for (int i = 1; i <= ATTEMPTS; i++) {
            s.ota("install-v2-" + i, install(s, v2));
        }
        s.copyState("after-full")
                .sh("rm " + s.mount() + "/filler")
                .ota("install-v2-freed", install(s, v2))
                .copyState("final");
        s.run();

        assertEquals(0, s.result("install-v1").code(), () -> s.result("install-v1").toString());
        boolean auditRefused = false;
        for (int i = 1; i <= ATTEMPTS; i++) {
            EcuCli.Result r = s.result("install-v2-" + i);
            assertRefusedAsDiskFull(r);
            auditRefused |= r.err().contains("audit log");
        }
        assertTrue(auditRefused, "within " + ATTEMPTS + " attempts the audit log itself ran out of space");
        Path after = s.copied("after-full");
        assertEquals(List.of(), tempFiles(after), "no temp file is left");
        Path log = after.resolve(EcuHost.AUDIT_FILE);
        assertTrue(AuditLog.verify(log).ok(), () -> "the log is not torn: " + AuditLog.verify(log).summary());
        assertEquals("1.0.0", SlotStore.open(after.resolve("slots")).state("healthy").orElseThrow().activeMetadata()
                .version());

        EcuCli.Result freed = s.result("install-v2-freed");
        assertEquals(0, freed.code(), freed::toString);
        Path finalLog = s.copied("final").resolve(EcuHost.AUDIT_FILE);
        assertTrue(AuditLog.verify(finalLog).ok(), () -> AuditLog.verify(finalLog).summary());
        assertFalse(AuditLog.read(finalLog).stream().anyMatch(r -> r.event() == AuditEvent.RECOVERY),
                "no torn line was ever left to recover");
        assertEquals(1, committed(finalLog, "2.0.0"));
    }

    private static String[] install(TmpfsNamespace.Script s, Path pkg) {
        return new String[] {"ecu", "install", "--state", s.state(), "--trust", cli.trust.toString(), "--hardware-id",
                "ecu-a", "--package", pkg.toString()};
    }

    private static void assertRefusedAsDiskFull(EcuCli.Result r) {
        EcuCli.assertRefused(4, r);
        assertTrue(r.err().startsWith("rejected (STORAGE_FULL): the disk is full"), r.err());
        assertFalse(r.err().contains("Exception") || r.out().contains("\tat "), "no stack trace: " + r);
    }

    private static long committed(Path log, String version) {
        return AuditLog.read(log).stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED
                && version.equals(r.toVersion())).count();
    }

    private static List<Path> tempFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(DurableFiles.TEMP_SUFFIX)).toList();
        }
    }

    /** {@code wasm} with a custom section of {@code size} zero bytes appended: the same module, a bigger package. */
    static byte[] padded(byte[] wasm, int size) {
        byte[] name = "padding".getBytes(StandardCharsets.US_ASCII);
        byte[] payloadLength = leb128(name.length + 1 + size);
        byte[] out = new byte[wasm.length + 1 + payloadLength.length + 1 + name.length + size];
        System.arraycopy(wasm, 0, out, 0, wasm.length);
        int at = wasm.length;
        out[at++] = 0;
        System.arraycopy(payloadLength, 0, out, at, payloadLength.length);
        at += payloadLength.length;
        out[at++] = (byte) name.length;
        System.arraycopy(name, 0, out, at, name.length);
        return out;
    }

    private static byte[] leb128(int value) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int v = value;
        do {
            int bits = v & 0x7f;
            v >>>= 7;
            b.write(v != 0 ? bits | 0x80 : bits);
        } while (v != 0);
        return b.toByteArray();
    }
}
