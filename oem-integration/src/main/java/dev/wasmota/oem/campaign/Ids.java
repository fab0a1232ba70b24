package dev.wasmota.oem.campaign;

import java.util.HexFormat;
import java.util.Random;

/** Campaign ids, instruction ids and nonces from the injected randomness (seeded in tests, secure in use). */
final class Ids {
    private final Random random;

    Ids(Random random) {
        this.random = random;
    }

    String campaignId() {
        return "c-" + hex(5);
    }

    String instructionId() {
        return "i-" + hex(8);
    }

    String commandId() {
        return "s-" + hex(8);
    }

    /** 128 random bits as 32 hex digits; a vehicle echoes it to bind its status to the instruction. */
    String nonce() {
        return hex(16);
    }

    private synchronized String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
