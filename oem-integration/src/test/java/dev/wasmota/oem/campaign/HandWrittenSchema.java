package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The campaign database as the hand-written migrations before Flyway left it (H2 only): schema
 * versions 1 and 2, their statements copied verbatim, with the {@code schema_version} table they
 * kept. What an OEM directory of an earlier version holds, for the baseline tests.
 */
final class HandWrittenSchema {
    private static final String VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_version (
              version INTEGER NOT NULL PRIMARY KEY,
              applied_at TIMESTAMP WITH TIME ZONE NOT NULL)""";

    private static final List<String> V1 = List.of("""
            CREATE TABLE IF NOT EXISTS vehicle (
              id VARCHAR(64) NOT NULL PRIMARY KEY,
              hardware_id VARCHAR(64) NOT NULL,
              last_counter BIGINT NOT NULL,
              registered_at TIMESTAMP WITH TIME ZONE NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS vehicle_by_hardware ON vehicle (hardware_id)",
            """
            CREATE TABLE IF NOT EXISTS campaign (
              id VARCHAR(64) NOT NULL PRIMARY KEY,
              module_id VARCHAR(64) NOT NULL,
              release_version VARCHAR(64) NOT NULL,
              security_version BIGINT NOT NULL,
              package_sha256 CHAR(64) NOT NULL,
              wasm_sha256 CHAR(64) NOT NULL,
              target_hardware VARCHAR(64),
              wave_plan VARCHAR(1000) NOT NULL,
              advance_at INTEGER NOT NULL,
              stop_at INTEGER NOT NULL,
              validity_seconds BIGINT NOT NULL,
              state VARCHAR(16) NOT NULL,
              current_wave INTEGER NOT NULL,
              cause VARCHAR(500),
              rollback_version VARCHAR(64),
              rollback_package_sha256 CHAR(64),
              created_at TIMESTAMP WITH TIME ZONE NOT NULL,
              updated_at TIMESTAMP WITH TIME ZONE NOT NULL)""",
            """
            CREATE TABLE IF NOT EXISTS campaign_wave (
              campaign_id VARCHAR(64) NOT NULL REFERENCES campaign (id),
              wave_index INTEGER NOT NULL,
              step VARCHAR(16) NOT NULL,
              state VARCHAR(16) NOT NULL,
              started_at TIMESTAMP WITH TIME ZONE,
              PRIMARY KEY (campaign_id, wave_index))""",
            """
            CREATE TABLE IF NOT EXISTS campaign_action (
              campaign_id VARCHAR(64) NOT NULL REFERENCES campaign (id),
              vehicle_id VARCHAR(64) NOT NULL REFERENCES vehicle (id),
              kind VARCHAR(16) NOT NULL,
              wave_index INTEGER NOT NULL,
              member_pos INTEGER NOT NULL,
              status VARCHAR(16) NOT NULL,
              instruction_id VARCHAR(64) UNIQUE,
              counter BIGINT,
              nonce VARCHAR(64),
              package_sha256 CHAR(64),
              issued_at TIMESTAMP WITH TIME ZONE,
              expires_at TIMESTAMP WITH TIME ZONE,
              instruction VARBINARY(16384),
              cause VARCHAR(64),
              detail VARCHAR(500),
              updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
              PRIMARY KEY (campaign_id, vehicle_id, kind))""",
            "CREATE UNIQUE INDEX IF NOT EXISTS action_vehicle_counter ON campaign_action (vehicle_id, counter)",
            "CREATE INDEX IF NOT EXISTS action_by_status ON campaign_action (status, expires_at)");

    private static final List<String> V2 = List.of(
            "ALTER TABLE campaign ADD COLUMN IF NOT EXISTS hold_seconds BIGINT DEFAULT 0 NOT NULL");

    private HandWrittenSchema() {
    }

    /** Creates the schema at {@code version} (1 or 2) as the hand-written migrations did, recording it as they did. */
    static void create(Connection c, int version) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(VERSION_TABLE);
            for (int v = 1; v <= version; v++) {
                for (String sql : v == 1 ? V1 : V2) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", CURRENT_TIMESTAMP)");
            }
        }
    }
}
