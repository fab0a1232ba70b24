package dev.wasmota.oem.rxswin;

import dev.wasmota.oem.campaign.TestDatabase;

/** {@link CompatibilityTest} on PostgreSQL (the register, statements, configurations and exclusions in its SQL). */
class CompatibilityPostgresTest extends CompatibilityTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
