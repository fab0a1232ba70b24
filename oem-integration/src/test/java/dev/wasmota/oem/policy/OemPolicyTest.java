package dev.wasmota.oem.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OEM's policy file: absent means lenient; read strictly, so an ambiguous file is refused, not guessed at. */
class OemPolicyTest {
    @TempDir
    Path oem;

    @Test
    void noFileIsTheLenientPolicyAndAWellFormedOneIsRead() throws Exception {
        assertEquals(OemPolicy.LENIENT, OemPolicy.load(oem));
        Files.writeString(oem.resolve(OemPolicy.FILE), "{\"format\":\"" + OemPolicy.FORMAT + "\",\"updateRecordRequired\":true}");
        OemPolicy p = OemPolicy.load(oem);
        assertTrue(p.updateRecordRequired());
        assertEquals(false, p.sbomRequired());
    }

    @Test
    void aDuplicateKeyIsRefusedNotDecidedByWhichComesLast() throws Exception {
        // read leniently, the second value would have turned the requirement off
        Files.writeString(oem.resolve(OemPolicy.FILE), "{\"format\":\"" + OemPolicy.FORMAT + "\",\"updateRecordRequired\":true,"
                + "\"updateRecordRequired\":false}");
        RejectedException e = assertThrows(RejectedException.class, () -> OemPolicy.load(oem));
        assertEquals(OemPolicy.PolicyFileFailure.MALFORMED_POLICY, e.reason());
        assertTrue(e.getMessage().contains(OemPolicy.FILE), e.getMessage());
    }

    @Test
    void contentAfterThePolicyObjectIsRefused() throws Exception {
        Files.writeString(oem.resolve(OemPolicy.FILE), "{\"format\":\"" + OemPolicy.FORMAT + "\"} {\"sbomRequired\":true}");
        assertEquals(OemPolicy.PolicyFileFailure.MALFORMED_POLICY, assertThrows(RejectedException.class, () -> OemPolicy.load(oem)).reason());
    }
}
