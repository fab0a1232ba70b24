package dev.wasmota.oem.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The index file of the file release store of earlier versions, read once to import it. */
class ReleaseIndexTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final ReleaseIndex.Entry R1 = new ReleaseIndex.Entry(new Release("healthy", "1.0.0", 1, "acme", A, B,
            true, Instant.parse("2026-06-01T08:00:00Z")), "healthy/1.0.0/package.wotapkg",
            Optional.of("healthy/1.0.0/report.json"));
    private static final ReleaseIndex.Entry R2 = new ReleaseIndex.Entry(new Release("brake-temp", "2.1.0-rc.1", 7, "acme",
            B, A, false, Instant.parse("2026-06-02T09:30:00Z")), "brake-temp/2.1.0-rc.1/package.wotapkg", Optional.empty());

    @Test
    void roundTripsInCanonicalForm() {
        byte[] bytes = ReleaseIndex.bytes(List.of(R1, R2));

        assertEquals(List.of(R1, R2), ReleaseIndex.parse(bytes));
        assertArrayEquals(bytes, ReleaseIndex.bytes(ReleaseIndex.parse(bytes)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "moduleId|\"moduleId\":\"healthy\"|\"moduleId\":\"Healthy!\"",
        "version|\"version\":\"1.0.0\"|\"version\":\"1.0\"",
        "securityVersion|\"securityVersion\":1|\"securityVersion\":-1",
        "securityVersion type|\"securityVersion\":1|\"securityVersion\":\"1\"",
        "supplierId|\"supplierId\":\"acme\"|\"supplierId\":\"ACME\"",
        "wasmSha256|\"wasmSha256\":\"aaaa|\"wasmSha256\":\"Aaaa",
        "packageSha256|\"packageSha256\":\"bbbb|\"packageSha256\":\"zbbb",
        "package|\"package\":\"healthy/1.0.0/package.wotapkg\"|\"package\":\"../../etc/passwd\"",
        "report|\"report\":\"healthy/1.0.0/report.json\"|\"report\":\"/tmp/report.json\"",
        "publishedAt|\"publishedAt\":\"2026-06-01T08:00:00Z\"|\"publishedAt\":\"yesterday\"",
        "unknown field|\"moduleId\":\"healthy\"|\"moduleId\":\"healthy\",\"extra\":1",
        "format|wasmota-release-index/1|wasmota-release-index/2"})
    void refusesMalformedField(String field, String good, String bad) {
        String text = new String(ReleaseIndex.bytes(List.of(R1)), StandardCharsets.UTF_8);
        String broken = text.replaceFirst(java.util.regex.Pattern.quote(good), java.util.regex.Matcher.quoteReplacement(bad));
        assertEquals(false, broken.equals(text), "test did not change " + field);

        RejectedException e = assertThrows(RejectedException.class,
                () -> ReleaseIndex.parse(broken.getBytes(StandardCharsets.UTF_8)));

        assertEquals(ReleaseFailure.MALFORMED_INDEX, e.reason());
    }

    @Test
    void refusesTheSameReleaseListedTwice() {
        RejectedException e = assertThrows(RejectedException.class,
                () -> ReleaseIndex.parse(ReleaseIndex.bytes(List.of(R1, R1))));

        assertEquals(ReleaseFailure.MALFORMED_INDEX, e.reason());
    }

    @Test
    void parsesReleaseIdAndRefusesOthers() {
        assertEquals(new ReleaseId("brake-temp", "1.2.0"), ReleaseId.parse("brake-temp@1.2.0"));
        assertThrows(IllegalArgumentException.class, () -> ReleaseId.parse("brake-temp"));
        assertThrows(IllegalArgumentException.class, () -> ReleaseId.parse("brake-temp@latest"));
    }
}
