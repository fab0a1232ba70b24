package dev.wasmota.oem.campaign;

import java.util.List;

/**
 * The campaign database's schema as plain SQL, one list of statements per version; version n is
 * reached by applying migrations 1..n in order, each recorded in {@code schema_version}. Every
 * statement is idempotent, so a migration interrupted between DDL statements is simply re-run.
 */
final class Schema {
    /** The version this program writes. */
    static final int LATEST = 2;

    static final String VERSION_TABLE = """
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

    /** The per-campaign wave hold (observation period); campaigns created before it have none. */
    private static final List<String> V2 = List.of(
            "ALTER TABLE campaign ADD COLUMN IF NOT EXISTS hold_seconds BIGINT DEFAULT 0 NOT NULL");

    private Schema() {
    }

    /** The statements that take the schema from {@code version - 1} to {@code version}. */
    static List<String> migration(int version) {
        return switch (version) {
            case 1 -> V1;
            case 2 -> V2;
            default -> throw new IllegalArgumentException("no migration to schema version " + version);
        };
    }
}
