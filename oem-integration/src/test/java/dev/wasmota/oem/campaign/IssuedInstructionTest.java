package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every instruction is signed with the campaign key and names its vehicle, the package and the vehicle's next counter. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class IssuedInstructionTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    List<String> vehicles;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(3);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void everyInstructionVerifiesAndNamesVehiclePackageAndCounter() throws Exception {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%")
                .validity(Duration.ofMinutes(30)).build()).id());
        byte[] pkg = kit.releases.packageBytes(kit.v2);

        List<IssuedInstruction> issued = kit.outbox.of(k.id());

        assertEquals(3, issued.size());
        for (int n = 0; n < 3; n++) {
            IssuedInstruction i = issued.get(n);
            Instruction opened = SignedInstruction.open(i.file(), kit.fx.oem.trustStore(), kit.clock);
            assertEquals(i.instruction(), opened);
            assertEquals(vehicles.get(n), opened.vehicleId());
            assertEquals(k.id(), opened.campaignId());
            assertEquals("healthy", opened.moduleId());
            assertEquals(Digests.sha256Hex(pkg), opened.packageSha256());
            assertEquals(1, opened.counter());
            assertEquals(kit.clock.instant(), opened.issuedAt());
            assertEquals(kit.clock.instant().plus(Duration.ofMinutes(30)), opened.expiresAt());
            SignedInstruction.check(opened, vehicles.get(n), Digests.sha256Hex(pkg), kit.clock.instant(), 0);
        }
        assertEquals(3, issued.stream().map(i -> i.instruction().nonce()).distinct().count());
        assertEquals(1, kit.service.vehicles().find("veh-1").orElseThrow().lastCounter());
    }

    @Test
    void countersPerVehicleOnlyGrowAcrossCampaigns() {
        Campaign first = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").build()).id());
        kit.answerAll(kit.outbox.of(first.id()), COMMITTED);
        Campaign second = kit.service.start(kit.service.create(kit.spec(kit.v1, vehicles, "100%").build()).id());

        for (String v : vehicles) {
            List<Long> counters = kit.outbox.all().stream().filter(i -> i.instruction().vehicleId().equals(v))
                    .map(i -> i.instruction().counter()).toList();
            assertEquals(List.of(1L, 2L), counters, v);
            assertEquals(2, kit.service.vehicles().find(v).orElseThrow().lastCounter());
        }
        Instruction replayed = kit.outbox.of(first.id()).get(0).instruction();
        RejectedException e = assertThrows(RejectedException.class, () -> SignedInstruction.check(replayed, "veh-1",
                replayed.packageSha256(), kit.clock.instant(), kit.outbox.of(second.id()).get(0).instruction().counter()));
        assertEquals(InstructionFailure.REPLAYED, e.reason());
    }

    @Test
    void fileOutboxWritesInstructionAndPackageOnce() throws Exception {
        FileOutbox files = new FileOutbox(kit.oemDir.resolve(FileOutbox.DIR), kit.releases);
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").build()).id());

        kit.outbox.of(k.id()).forEach(files::deliver);

        IssuedInstruction i = kit.outbox.lastTo("veh-2");
        Path file = kit.oemDir.resolve("outbox/veh-2/1-" + i.instruction().instructionId() + ".wotains");
        assertTrue(Files.isRegularFile(file), file.toString());
        assertEquals(i.instruction(), SignedInstruction.open(Files.readAllBytes(file), kit.fx.oem.trustStore(), kit.clock));
        Path pkg = files.packageFile(kit.v2.packageSha256());
        assertEquals(kit.v2.packageSha256(), Digests.sha256Hex(Files.readAllBytes(pkg)));
        try (var entries = Files.list(pkg.getParent())) {
            assertEquals(1, entries.count());
        }
    }
}
