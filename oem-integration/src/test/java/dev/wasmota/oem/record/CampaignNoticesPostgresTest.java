package dev.wasmota.oem.record;

import dev.wasmota.oem.campaign.TestDatabase;

/** {@link CampaignNoticesTest} on PostgreSQL. */
class CampaignNoticesPostgresTest extends CampaignNoticesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
