package dev.wasmota.oem.record;

import dev.wasmota.oem.campaign.TestDatabase;

/** {@link ReleaseRecordsTest} on PostgreSQL. */
class ReleaseRecordsPostgresTest extends ReleaseRecordsTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
