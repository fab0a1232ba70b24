package dev.wasmota.oem.owner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The owner registry file: a round trip, and a refusal for each malformed field. */
class OwnerRegistryCodecTest {
    static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
    static final String SIG = "c2ln";
    static final String TRANSFER = "{\"at\":\"2026-06-01T09:00:00Z\",\"from\":\"acme\",\"minSecurityVersion\":2,"
            + "\"reason\":\"sold\",\"signature\":\"" + SIG + "\",\"to\":\"globex\"}";

    static String registry(String modules) {
        return "{\"format\":\"wasmota-module-owners/1\",\"modules\":[" + modules + "]}";
    }

    static String module(String supplier, String transfers) {
        return "{\"highestSecurityVersion\":1,\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\""
                + supplier + "\",\"transfers\":[" + transfers + "]}";
    }

    @Test
    void roundTripsCanonically() {
        ModuleTransfer t = new ModuleTransfer("healthy", "acme", "globex", 2, T0.plusSeconds(3600), "sold", SIG);
        List<ModuleOwnership> all = List.of(new ModuleOwnership("brake-temp", "brakes", T0, 4, List.of()),
                new ModuleOwnership("healthy", "globex", T0.plusSeconds(3600), 1, List.of(t)));

        byte[] bytes = OwnerRegistryCodec.bytes(all);

        assertEquals(all, OwnerRegistryCodec.parse(bytes));
        assertArrayEquals(bytes, OwnerRegistryCodec.bytes(OwnerRegistryCodec.parse(bytes)));
        assertEquals(registry(module("brakes", "").replace("\"highestSecurityVersion\":1", "\"highestSecurityVersion\":4")
                .replace("healthy", "brake-temp") + "," + module("globex", TRANSFER)
                .replace("\"since\":\"2026-06-01T08:00:00Z\"", "\"since\":\"2026-06-01T09:00:00Z\"")),
                new String(bytes, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "{\"format\":\"wasmota-module-owners/2\",\"modules\":[]}",
        "{\"format\":\"wasmota-module-owners/1\",\"modules\":{}}",
        "{\"format\":\"wasmota-module-owners/1\",\"modules\":[],\"extra\":1}",
        "{\"format\":\"wasmota-module-owners/1\",\"format\":\"wasmota-module-owners/1\",\"modules\":[]}",
        "{\"format\":\"wasmota-module-owners/1\",\"modules\":[]} trailing",
        "{\"format\":\"wasmota-module-owners/1\",\"modules\":[7]}",
        "MODULE:{\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"acme\",\"transfers\":[]}",
        "MODULE:{\"highestSecurityVersion\":1,\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"acme\",\"transfers\":[],\"x\":1}",
        "MODULE:{\"highestSecurityVersion\":-1,\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"acme\",\"transfers\":[]}",
        "MODULE:{\"highestSecurityVersion\":4294967296,\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"acme\",\"transfers\":[]}",
        "MODULE:{\"highestSecurityVersion\":\"1\",\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"acme\",\"transfers\":[]}",
        "MODULE:{\"highestSecurityVersion\":1,\"moduleId\":\"Healthy!\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"acme\",\"transfers\":[]}",
        "MODULE:{\"highestSecurityVersion\":1,\"moduleId\":\"healthy\",\"since\":\"yesterday\",\"supplierId\":\"acme\",\"transfers\":[]}",
        "MODULE:{\"highestSecurityVersion\":1,\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"\",\"transfers\":[]}",
        "MODULE:{\"highestSecurityVersion\":1,\"moduleId\":\"healthy\",\"since\":\"2026-06-01T08:00:00Z\",\"supplierId\":\"acme\",\"transfers\":{}}",
        "TWICE",
        "TRANSFER:acme:" + "{\"at\":\"2026-06-01T09:00:00Z\",\"from\":\"acme\",\"minSecurityVersion\":2,\"reason\":\"sold\",\"signature\":\"c2ln\",\"to\":\"globex\"}",
        "TRANSFER:globex:" + "{\"at\":\"2026-06-01T09:00:00Z\",\"from\":\"acme\",\"minSecurityVersion\":2,\"reason\":\"\",\"signature\":\"c2ln\",\"to\":\"globex\"}",
        "TRANSFER:globex:" + "{\"at\":\"2026-06-01T09:00:00.5Z\",\"from\":\"acme\",\"minSecurityVersion\":2,\"reason\":\"sold\",\"signature\":\"c2ln\",\"to\":\"globex\"}",
        "TRANSFER:globex:" + "{\"at\":\"2026-06-01T09:00:00Z\",\"from\":\"globex\",\"minSecurityVersion\":2,\"reason\":\"sold\",\"signature\":\"c2ln\",\"to\":\"globex\"}",
        "TRANSFER:globex:" + "{\"at\":\"2026-06-01T09:00:00Z\",\"from\":\"acme\",\"minSecurityVersion\":2,\"reason\":\"sold\",\"to\":\"globex\"}",
        "TRANSFER:globex:" + "{\"at\":\"2026-06-01T09:00:00Z\",\"from\":\"acme\",\"minSecurityVersion\":2,\"reason\":\"sold\",\"signature\":7,\"to\":\"globex\"}",
        "TRANSFER:globex:" + "{\"at\":\"2026-06-01T09:00:00Z\",\"from\":\"acme\",\"minSecurityVersion\":2,\"reason\":\"sold\",\"signature\":\"c2ln\",\"to\":\"initech\"}"
    })
    void refusesAMalformedRegistry(String variant) {
        String text;
        if (variant.startsWith("MODULE:")) {
            text = registry(variant.substring("MODULE:".length()));
        } else if (variant.equals("TWICE")) {
            text = registry(module("acme", "") + "," + module("acme", ""));
        } else if (variant.startsWith("TRANSFER:")) {
            String[] parts = variant.split(":", 3);
            text = registry(module(parts[1], parts[2]));
        } else {
            text = variant;
        }

        RejectedException e = assertThrows(RejectedException.class,
                () -> OwnerRegistryCodec.parse(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(OwnershipFailure.MALFORMED_OWNER_REGISTRY, e.reason(), e.getMessage());
        assertEquals(4, e.exitCode().code());
    }
}
