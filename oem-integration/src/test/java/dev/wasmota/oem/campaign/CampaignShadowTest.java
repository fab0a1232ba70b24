package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A campaign that delivers its release as a shadow: the options are stored, and every install instruction carries them, signed. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class CampaignShadowTest {
    private static final ShadowDelivery SHADOW = new ShadowDelivery(600, 10_000, 1,
            List.of(new ShadowDelivery.Tolerance(0x220, 2, 0)));

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    List<String> vehicles;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(2);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void everyInstallInstructionOfAShadowCampaignCarriesTheShadowSigned() {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "1,100%").advanceAt(100).build(),
                RolloutOptions.shadow(SHADOW));
        kit.service.start(k.id());

        assertEquals(Optional.of(SHADOW), kit.service.rolloutOptions(k.id()).shadow());
        Instruction sent = kit.outbox.all().get(0).instruction();
        assertEquals(Optional.of(SHADOW), sent.shadow());
        byte[] file = kit.service.instructionFile(sent.instructionId()).orElseThrow();
        assertEquals(Optional.of(SHADOW), SignedInstruction.open(file, kit.oem.trustStore(), kit.clock).shadow(),
                "the shadow is inside the campaign signature");
    }

    @Test
    void aPlainCampaignsInstructionsCarryNoShadow() {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "1,100%").build());
        kit.service.start(k.id());

        assertEquals(RolloutOptions.NONE, kit.service.rolloutOptions(k.id()));
        assertTrue(kit.outbox.all().get(0).instruction().shadow().isEmpty());
    }
}
