package dev.wasmota.signing.pki;

import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.TrustUpdateFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trust update's canonical JSON: a round trip, and one refusal per malformed field. */
class TrustUpdateCodecTest {
    static final String K1 = "1".repeat(64);
    static final String K2 = "2".repeat(64);
    static final String C1 = "c".repeat(64);

    static TrustUpdate update() {
        return new TrustUpdate(3, Fixtures.T0, List.of(new Revocation(K2, "second"), new Revocation(K1, "leaked key")),
                List.of(new Revocation(C1, "")));
    }

    static String json() {
        return new String(TrustUpdateCodec.canonicalBytes(update()), StandardCharsets.UTF_8);
    }

    static void assertMalformed(String json, String expected) {
        var e = assertRejected(TrustUpdateFailure.MALFORMED_TRUST_UPDATE,
                () -> TrustUpdateCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(expected), () -> e.getMessage() + " should mention " + expected);
    }

    @Test
    void roundTripsInCanonicalFormWithEntriesSorted() {
        TrustUpdate u = update();
        assertEquals(u, TrustUpdateCodec.parse(TrustUpdateCodec.canonicalBytes(u)));
        assertEquals(List.of(K1, K2), u.revokedKeys().stream().map(Revocation::sha256).toList());
        assertEquals("{\"format\":\"wasmota-trust-update/1\",\"issuedAt\":\"2026-06-01T08:00:00Z\","
                + "\"revokedCertificates\":[{\"reason\":\"\",\"sha256\":\"" + C1 + "\"}],\"revokedKeys\":[{\"reason\":"
                + "\"leaked key\",\"sha256\":\"" + K1 + "\"},{\"reason\":\"second\",\"sha256\":\"" + K2 + "\"}],"
                + "\"sequence\":3}", json());
    }

    @Test
    void nextKeepsEarlierRevocationsAndCountsOnlyNewOnes() {
        TrustUpdate first = update();
        TrustUpdate next = TrustUpdate.next(Optional.of(first), Fixtures.T0, List.of(new Revocation(K1, "again"),
                new Revocation("3".repeat(64), "new")), List.of());
        assertEquals(4, next.sequence());
        assertEquals(3, next.revokedKeys().size());
        assertEquals("leaked key", next.revokedKeys().get(0).reason(), "the first reason stays");
        assertEquals(1, next.addedSince(Optional.of(first)));
        assertEquals(1, TrustUpdate.next(Optional.empty(), Fixtures.T0, List.of(), List.of()).sequence());
    }

    @Test
    void refusesAnotherFormat() {
        assertMalformed(json().replace("wasmota-trust-update/1", "wasmota-trust-update/2"), "format");
    }

    @Test
    void refusesSequenceThatIsNotAPositiveInteger() {
        assertMalformed(json().replace("\"sequence\":3", "\"sequence\":\"3\""), "sequence");
        assertMalformed(json().replace("\"sequence\":3", "\"sequence\":0"), "sequence");
        assertMalformed(json().replace("\"sequence\":3", "\"sequence\":-3"), "sequence");
        assertMalformed(json().replace("\"sequence\":3", "\"sequence\":3.5"), "sequence");
    }

    @Test
    void refusesIssueTimeThatIsNotIso8601() {
        assertMalformed(json().replace("2026-06-01T08:00:00Z", "yesterday"), "issuedAt");
        assertMalformed(json().replace("\"2026-06-01T08:00:00Z\"", "1780300800"), "issuedAt");
    }

    @Test
    void refusesRevokedListThatIsNotAListOfEntries() {
        assertMalformed(json().replaceFirst("\"revokedKeys\":\\[.*?\\],\"sequence\"", "\"revokedKeys\":{},\"sequence\""),
                "revokedKeys");
        assertMalformed(json().replace("\"revokedCertificates\":[{\"reason\":\"\",\"sha256\":\"" + C1 + "\"}]",
                "\"revokedCertificates\":[\"" + C1 + "\"]"), "not an object");
    }

    @Test
    void refusesEntryWhoseDigestIsNotSha256Hex() {
        assertMalformed(json().replace(K1, K1.substring(2)), "64 lowercase hex");
        assertMalformed(json().replace(K1, K1.toUpperCase().replace('1', 'A')), "64 lowercase hex");
    }

    @Test
    void refusesEntryWithMissingOrUnknownFields() {
        assertMalformed(json().replace("{\"reason\":\"\",\"sha256\"", "{\"sha256\""), "misses fields [reason]");
        assertMalformed(json().replace("{\"reason\":\"\",\"sha256\"", "{\"reason\":\"\",\"serial\":1,\"sha256\""),
                "unknown field 'serial'");
    }

    @Test
    void refusesReasonWithControlCharactersOrTooLong() {
        assertMalformed(json().replace("leaked key", "leaked\\nkey"), "control characters");
        assertMalformed(json().replace("leaked key", "x".repeat(Revocation.MAX_REASON + 1)), "longer than");
    }

    @Test
    void refusesAnEntryListedTwice() {
        assertMalformed(json().replace(K2, K1), "listed twice");
    }

    @Test
    void refusesUnknownAndMissingTopLevelFields() {
        assertMalformed(json().replace("{\"format\"", "{\"extra\":1,\"format\""), "unknown field 'extra'");
        assertMalformed(json().replace(",\"sequence\":3", ""), "misses fields [sequence]");
    }

    @Test
    void refusesNonCanonicalBytes() {
        assertMalformed(json().replace(",\"sequence\"", ", \"sequence\""), "canonical");
        String k1 = "{\"reason\":\"leaked key\",\"sha256\":\"" + K1 + "\"}";
        String k2 = "{\"reason\":\"second\",\"sha256\":\"" + K2 + "\"}";
        assertMalformed(json().replace(k1 + "," + k2, k2 + "," + k1), "canonical");
    }

    @Test
    void refusesDuplicateJsonKeysAndTrailingTokens() {
        assertMalformed(json().replace("{\"format\"", "{\"sequence\":4,\"format\""), "not JSON");
        assertMalformed(json() + "{}", "not JSON");
        assertMalformed("[]", "not a JSON object");
    }

    @Test
    void refusesTooManyEntriesAndTooManyBytesBeforeParsing() {
        List<Revocation> many = new ArrayList<>();
        for (int i = 0; i <= TrustUpdate.MAX_ENTRIES; i++) {
            many.add(new Revocation(String.format("%064x", i), ""));
        }
        assertRejected(TrustUpdateFailure.MALFORMED_TRUST_UPDATE, () -> new TrustUpdate(1, Fixtures.T0, many, List.of()));
        byte[] huge = new byte[TrustUpdateCodec.MAX_BYTES + 1];
        var e = assertRejected(TrustUpdateFailure.MALFORMED_TRUST_UPDATE, () -> TrustUpdateCodec.parse(huge));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }
}
