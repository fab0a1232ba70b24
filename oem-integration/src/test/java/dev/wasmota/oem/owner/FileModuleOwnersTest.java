package dev.wasmota.oem.owner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The owner registry as one file in the OEM directory (earlier versions' registry; what the database imports). */
class FileModuleOwnersTest extends ModuleOwnersContract {
    @Override
    ModuleOwners open() {
        return FileModuleOwners.in(dir.resolve("oem"));
    }

    @Override
    ModuleOwners another() {
        return FileModuleOwners.in(dir.resolve("oem"));
    }

    private FileModuleOwners file() {
        return (FileModuleOwners) owners;
    }

    @Test
    void aRefusedClaimLeavesTheFileAsItWas() throws Exception {
        owners.claim("healthy", "acme", 1, T0);
        byte[] before = Files.readAllBytes(file().file());

        assertRefused(OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, 4, () -> owners.claim("healthy", "globex", 9, LATER));

        assertArrayEquals(before, Files.readAllBytes(file().file()));
    }

    @Test
    void aTransferEditedInTheFileNoLongerVerifies() throws Exception {
        owners.claim("healthy", "acme", 1, T0);
        transfer("healthy", "globex", OptionalLong.empty());
        String edited = Files.readString(file().file()).replace("\"minSecurityVersion\":2", "\"minSecurityVersion\":1");
        Files.writeString(file().file(), edited);

        ModuleOwnership read = owners.find("healthy").orElseThrow();
        assertEquals(1, read.floor(), "the edit parsed");
        assertRefused(OwnershipFailure.TRANSFER_UNVERIFIED, 3, () -> read.statement(fx.oem.release().cert()));
    }

    @Test
    void refusesAMalformedRegistryOnEveryRead() throws Exception {
        Files.createDirectories(file().file().getParent());
        Files.writeString(file().file(), "{\"format\":\"wasmota-module-owners/1\"}");

        assertRefused(OwnershipFailure.MALFORMED_OWNER_REGISTRY, 4, () -> owners.find("healthy"));
        assertRefused(OwnershipFailure.MALFORMED_OWNER_REGISTRY, 4, () -> owners.claim("healthy", "acme", 1, T0));
    }
}
