package dev.wasmota.signing.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pkg.AcceptanceVectors.Case;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The acceptance vectors carried in the OEM's countersignature: round trip and a refusal per malformed field. */
class AcceptanceVectorsTest {
    private static final AcceptanceVectors VECTORS = new AcceptanceVectors(List.of(
            new Case(0, "double", "scale", List.of(21L), Optional.of(List.of(42L)), 1, Map.of()),
            new Case(1, "", "tick", List.of(), Optional.empty(), 100, Map.of(0x120, -7L)),
            new Case(2, "", "wide", List.of(Long.MIN_VALUE), Optional.of(List.of(Long.MAX_VALUE)), 1, Map.of())));

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughARealCountersignature() {
        Fixtures fx = new Fixtures(dir);
        ModulePackage signed = fx.supplierSigned(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), fx.acme);
        ModulePackage released = new PackageSigner(fx.clock).countersign(signed, fx.oem.release().key(),
                fx.oem.release().cert(), VECTORS.addTo(new AttributeTable(new org.bouncycastle.asn1.ASN1EncodableVector())));

        VerifiedPackage v = new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(PackageFile.fromBytes(
                PackageFile.toBytes(released)));

        assertEquals(Optional.of(VECTORS), AcceptanceVectors.of(v));
        assertEquals(Optional.empty(), AcceptanceVectors.of(new PackageVerifier(fx.oem.trustStore(), fx.clock)
                .verify(fx.released())), "a countersignature without them carries none");
    }

    @Test
    void encodesCanonicallyWithValuesAsDecimalStrings() {
        String json = new String(VECTORS.encode(), StandardCharsets.UTF_8);

        assertTrue(json.startsWith("{\"cases\":[{\"args\":[\"21\"],\"expect\":[\"42\"],\"export\":\"scale\""), json);
        assertTrue(json.contains("\"can\":{\"288\":\"-7\"}"), json);
        assertEquals(VECTORS, AcceptanceVectors.decode(VECTORS.encode()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                 | [1,2                                                                       | not valid JSON",
        "format                   | {'format':2,'cases':[{'export':'f','args':[],'repeat':1}]}                 | format must be 1",
        "unknown top field        | {'format':1,'cases':[{'export':'f','args':[],'repeat':1}],'x':1}          | unknown field 'x'",
        "no cases                 | {'format':1,'cases':[]}                                                    | cases must be a list",
        "unknown case field       | {'format':1,'cases':[{'export':'f','args':[],'repeat':1,'expected':[]}]}   | unknown field 'expected'",
        "export missing           | {'format':1,'cases':[{'args':[],'repeat':1}]}                              | export must be a name",
        "value as number          | {'format':1,'cases':[{'export':'f','args':[5],'repeat':1}]}                | is not a decimal string",
        "value too wide           | {'format':1,'cases':[{'export':'f','args':['9223372036854775808'],'repeat':1}]} | does not fit in 64 bits",
        "repeat zero              | {'format':1,'cases':[{'export':'f','args':[],'repeat':0}]}                 | repeat must be 1..1000",
        "repeat missing           | {'format':1,'cases':[{'export':'f','args':[]}]}                            | repeat must be",
        "CAN id not decimal       | {'format':1,'cases':[{'export':'f','args':[],'repeat':1,'can':{'0x120':'1'}}]} | CAN id 0x120",
        "too many calls           | {'format':1,'cases':[{'export':'f','args':[],'repeat':1000},{'export':'f','args':[],'repeat':1}]} | 1001 calls",
        "duplicate key            | {'format':1,'format':1,'cases':[]}                                         | not valid JSON",
    })
    void refusesAMalformedAttributeNamingTheField(String what, String json, String message) {
        RejectedException e = assertThrows(RejectedException.class,
                () -> AcceptanceVectors.decode(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
        assertEquals(TrustFailure.BAD_SIGNATURE, e.reason());
        assertTrue(e.getMessage().contains(message), what + ": " + e.getMessage());
    }

    @Test
    void refusesMoreThanTheMostCasesAndAnOversizedValue() {
        List<Case> many = new ArrayList<>();
        for (int i = 0; i <= AcceptanceVectors.MAX_CASES; i++) {
            many.add(new Case(i, "", "f", List.of(), Optional.empty(), 1, Map.of()));
        }
        assertThrows(IllegalArgumentException.class, () -> new AcceptanceVectors(many));
        byte[] big = new byte[AcceptanceVectors.MAX_BYTES + 1];
        RejectedException e = assertThrows(RejectedException.class, () -> AcceptanceVectors.decode(big));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }
}
