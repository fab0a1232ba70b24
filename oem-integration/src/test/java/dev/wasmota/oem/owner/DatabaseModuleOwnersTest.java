package dev.wasmota.oem.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The owner registry in the OEM database, shared by every process that opens it; and the import of the file of earlier versions. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class DatabaseModuleOwnersTest extends ModuleOwnersContract {
    @Parameter
    TestDatabase database;

    private String url;
    private final List<CampaignDatabase> opened = new CopyOnWriteArrayList<>();

    @Override
    ModuleOwners open() {
        url = database.freshUrl();
        return another();
    }

    /** A registry on its own connection to the same database, as another worker's. */
    @Override
    ModuleOwners another() {
        CampaignDatabase db = CampaignDatabase.open(url, fx.clock);
        opened.add(db);
        return new DatabaseModuleOwners(db);
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(CampaignDatabase::close);
    }

    @Test
    void importsTheFileRegistryOfAnEarlierVersionOnce() {
        Path oemDir = dir.resolve("oem");
        FileModuleOwners file = FileModuleOwners.in(oemDir);
        file.claim("healthy", "acme", 3, T0);
        OwnershipTransfers.transfer(file, fx.oem.release(), "healthy", "globex", "sold", OptionalLong.empty(), LATER);
        file.claim("brake", "acme", 1, T0);
        List<ModuleOwnership> before = file.list();

        assertEquals(2, ((DatabaseModuleOwners) owners).importFile(oemDir));

        assertEquals(before, owners.list());
        assertFalse(Files.exists(file.file()));
        assertTrue(Files.exists(oemDir.resolve(DatabaseModuleOwners.IMPORTED)));
        assertEquals(0, ((DatabaseModuleOwners) owners).importFile(oemDir), "imported once");
        owners.find("healthy").orElseThrow().statement(fx.oem.release().cert());
    }

    @Test
    void aTransferEditedInTheDatabaseNoLongerVerifies() throws Exception {
        owners.claim("healthy", "acme", 1, T0);
        transfer("healthy", "globex", OptionalLong.empty());
        try (Connection c = DriverManager.getConnection(url)) {
            String json;
            try (PreparedStatement p = c.prepareStatement("SELECT ownership FROM module_owner WHERE module_id = 'healthy'");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                json = rs.getString(1);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE module_owner SET ownership = ? WHERE module_id = 'healthy'")) {
                p.setString(1, json.replace("\"minSecurityVersion\":2", "\"minSecurityVersion\":1"));
                p.executeUpdate();
            }
        }

        ModuleOwnership read = owners.find("healthy").orElseThrow();
        assertEquals(1, read.floor(), "the edit parsed");
        assertRefused(OwnershipFailure.TRANSFER_UNVERIFIED, 3, () -> read.statement(fx.oem.release().cert()));
    }

    @Test
    void refusesAMalformedRowOnEveryRead() throws Exception {
        owners.claim("healthy", "acme", 1, T0);
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement p = c.prepareStatement("UPDATE module_owner SET ownership = ? WHERE module_id = 'healthy'")) {
            p.setString(1, "{\"format\":\"wasmota-module-owners/1\"}");
            p.executeUpdate();
        }

        assertRefused(OwnershipFailure.MALFORMED_OWNER_REGISTRY, 4, () -> owners.find("healthy"));
        assertRefused(OwnershipFailure.MALFORMED_OWNER_REGISTRY, 4, () -> owners.claim("healthy", "acme", 2, T0));
    }
}
