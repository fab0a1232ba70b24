package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supplier's and the OEM's command lines end to end, through {@link Main#run}, as a user types them. */
class CliRoundTripTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    Result ota(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SecureRandom random = new SecureRandom(new byte[] {1});
        CliEnv env = new CliEnv(Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC), random);
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String corpus(String name) {
        String d = System.getProperty("ota.corpus");
        return (d != null ? Path.of(d) : Path.of("..", "testdata", "wasm")).resolve(name).toString();
    }

    Result ok(String... args) {
        Result r = ota(args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + " -> " + r);
        return r;
    }

    @Test
    void supplierRoundTripEndsAtTheVehicleAskingForTheOemCountersignature() throws Exception {
        String oem = dir.resolve("oem").toString();
        ok("oem", "init", "--out", oem);
        assertTrue(Files.isRegularFile(dir.resolve("oem/vehicle-trust/root-ca.cert.pem")));
        ok("supplier", "keygen", "--supplier", "acme", "--out", dir.resolve("acme").toString());
        ok("oem", "enroll", "--oem", oem, "--csr", dir.resolve("acme/acme.csr.pem").toString(), "--supplier", "acme",
                "--capabilities", "log,clock,can.read:100-1ff,can.write:200-2ff", "--out", dir.resolve("acme/acme.cert.pem").toString());
        String pkg = dir.resolve("healthy.wotapkg").toString();
        Result packaged = ok("supplier", "package", "--wasm", corpus("healthy_v1.wasm"), "--module", "healthy", "--version", "1.0.0",
                "--security-version", "1", "--capabilities", "log,clock,can.read:120,can.write:220", "--memory-pages", "1",
                "--deadline-us", "2000", "--period-ms", "10", "--hardware", "ecu-a", "--out", pkg);
        assertTrue(packaged.out().contains("scale(i64)->(i64)"), packaged.out());
        ok("supplier", "sign", "--package", pkg, "--key", dir.resolve("acme/acme.key.pem").toString(),
                "--cert", dir.resolve("acme/acme.cert.pem").toString());
        Result verify = ota("ecu", "verify", "--trust", dir.resolve("oem/vehicle-trust").toString(), "--package", pkg);
        assertEquals(3, verify.code(), verify.toString());
        assertTrue(verify.err().contains("missing OEM countersignature"), verify.err());
        assertEquals(1, verify.err().lines().count(), "one line on standard error: " + verify.err());
    }

    @Test
    void packagingAForbiddenImportIsRefusedWithExitFour() {
        Result r = ota("supplier", "package", "--wasm", corpus("forbidden_import.wasm"), "--module", "bad", "--version", "1.0.0",
                "--security-version", "1", "--capabilities", "log", "--memory-pages", "1", "--deadline-us", "1000",
                "--period-ms", "10", "--out", dir.resolve("bad.wotapkg").toString());
        assertEquals(4, r.code(), r.toString());
        assertTrue(r.err().contains("ecu.i2c_write"), r.err());
        assertFalse(Files.exists(dir.resolve("bad.wotapkg")), "nothing written on refusal");
    }

    @Test
    void verifyingRandomBytesIsRefusedAsMalformedWithExitFour() throws Exception {
        ok("oem", "init", "--out", dir.resolve("oem").toString());
        Path junk = dir.resolve("junk.wotapkg");
        byte[] bytes = new byte[4096];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(junk, bytes);
        Result r = ota("ecu", "verify", "--trust", dir.resolve("oem/vehicle-trust").toString(), "--package", junk.toString());
        assertEquals(4, r.code(), r.toString());
        assertTrue(r.err().startsWith("rejected (MALFORMED_PACKAGE)"), r.err());
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        Result missing = ota("supplier", "sign", "--package", "x");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--help"), missing.err());
        assertEquals(2, ota("ecu").code());
        Result noFile = ota("ecu", "verify", "--trust", dir.toString(), "--package", dir.resolve("nope").toString());
        assertEquals(2, noFile.code(), noFile.toString());
        assertTrue(noFile.err().contains("no such file"), noFile.err());
    }

    @Test
    void oemInitRefusesToOverwriteAnExistingOem() {
        ok("oem", "init", "--out", dir.resolve("oem").toString());
        Result again = ota("oem", "init", "--out", dir.resolve("oem").toString());
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("refusing to overwrite"), again.err());
    }

    @Test
    void everyCommandPrintsHelp() {
        for (String[] cmd : new String[][] {{"--help"}, {"oem", "init", "--help"}, {"oem", "enroll", "--help"},
                {"supplier", "keygen", "--help"}, {"supplier", "package", "--help"}, {"supplier", "sign", "--help"},
                {"ecu", "verify", "--help"}, {"bench", "verify", "--help"}}) {
            Result r = ota(cmd);
            assertEquals(0, r.code(), String.join(" ", cmd));
            assertTrue(r.out().contains("Usage:"), r.out());
        }
    }
}
