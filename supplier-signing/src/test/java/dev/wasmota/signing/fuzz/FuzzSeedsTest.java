package dev.wasmota.signing.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed fuzz seeds are those {@link FuzzSeeds} makes now, so they still reach the code past the manifest. */
class FuzzSeedsTest {
    @Test
    void committedSeedsAreMadeFromTheCurrentFormats() throws IOException {
        for (Map.Entry<Path, byte[]> e : FuzzSeeds.seeds().entrySet()) {
            Path file = FuzzSeeds.INPUTS.resolve(e.getKey());
            assertArrayEquals(e.getValue(), Files.readAllBytes(file), () -> file + " is out of date: run FuzzSeeds.main"
                    + " from supplier-signing/");
        }
    }
}
