package dev.wasmota.oem.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.sandbox.Corpus;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TestVectorsTest {
    private static TestVectors parse(String json) {
        return TestVectors.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldOfTheContractFormat() {
        TestVectors v = parse("[{\"export\": \"scale\", \"args\": [\"-5\"], \"expect\": [\"18446744073709551615\"]},"
                + "{\"export\": \"tick\", \"args\": [], \"repeat\": 100, \"can\": {\"0x1A0\": 8000, \"120\": \"-1\"}},"
                + "{\"export\": \"f\", \"args\": [1.5, 7], \"name\": \"floats\"}]");

        TestVectors.Case scale = v.cases().get(0);
        assertEquals("scale", scale.export());
        assertEquals(List.of(BigInteger.valueOf(-5)), scale.args());
        assertEquals(Optional.of(List.of(new BigInteger("18446744073709551615"))), scale.expect());
        assertEquals(1, scale.repeat());
        TestVectors.Case tick = v.cases().get(1);
        assertEquals(100, tick.repeat());
        assertEquals(Map.of(0x1A0, 8000L, 0x120, -1L), tick.can());
        assertTrue(tick.expect().isEmpty());
        assertEquals(List.of(1.5, BigInteger.valueOf(7)), v.cases().get(2).args());
        assertEquals("case 2 (floats)", v.cases().get(2).label());
    }

    @Test
    void readsTheCorpusVectorFiles() {
        for (String name : List.of("healthy_v1", "brake_temp", "sha256", "large_100k", "huge_function")) {
            TestVectors v = TestVectors.read(Corpus.path(name + ".vectors.json"));
            assertTrue(v.cases().size() > 1, name);
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{}                                                            | a JSON list",
        "[]                                                            | 0 cases",
        "[1]                                                           | case 0: not a JSON object",
        "[{\"args\": []}]                                              | case 0: 'export' must be",
        "[{\"export\": 3}]                                             | case 0: 'export' must be",
        "[{\"export\": \"f\", \"expected\": [1]}]                      | unknown field 'expected'",
        "[{\"export\": \"f\", \"args\": 1}]                            | 'args' must be a list",
        "[{\"export\": \"f\", \"args\": [\"0x10\"]}]                   | neither a number nor a decimal",
        "[{\"export\": \"f\", \"args\": [true]}]                       | neither a number nor a decimal",
        "[{\"export\": \"f\", \"expect\": [18446744073709551616]}]     | does not fit in 64 bits",
        "[{\"export\": \"f\", \"repeat\": 0}]                          | 'repeat' must be an integer",
        "[{\"export\": \"f\", \"repeat\": 1.5}]                        | 'repeat' must be an integer",
        "[{\"export\": \"f\", \"repeat\": 1000001}]                    | 'repeat' must be an integer",
        "[{\"export\": \"f\", \"can\": [1]}]                           | 'can' must be an object",
        "[{\"export\": \"f\", \"can\": {\"0xZZ\": 1}}]                 | is not hex",
        "[{\"export\": \"f\", \"can\": {\"0x20000000\": 1}}]           | exceeds 0x1fffffff",
        "[{\"export\": \"f\", \"can\": {\"0x120\": 1.5}}]              | must be an integer",
        "[{\"export\": \"f\", \"can\": {\"0x120\": 1, \"120\": 2}}]    | given twice",
        "[{\"export\": \"f\", \"export\": \"g\"}]                      | not valid JSON",
        "[{\"export\": \"f\"}] [1]                                     | not valid JSON",
        "[[[[[[[[[[1]]]]]]]]]]                                         | not valid JSON",
    })
    void refusesMalformedFilesNamingTheProblem(String json, String expected) {
        var e = assertThrows(RejectedException.class, () -> parse(json));
        assertEquals(VectorFailure.MALFORMED_VECTORS, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void refusesOversizedInputBeforeParsing() {
        byte[] big = new byte[TestVectors.MAX_BYTES + 1];
        var e = assertThrows(RejectedException.class, () -> TestVectors.parse(big));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }
}
