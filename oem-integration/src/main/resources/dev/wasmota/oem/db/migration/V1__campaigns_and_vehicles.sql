-- The OEM database, version 1: vehicles and campaigns (what the hand-written migrations called
-- schema version 1). One script for H2 and PostgreSQL; where their SQL differs, a placeholder:
-- ${bytes} is a bounded binary column (H2 VARBINARY, PostgreSQL BYTEA), ${blob} a large one
-- (H2 BLOB, PostgreSQL BYTEA).
CREATE TABLE vehicle (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  hardware_id VARCHAR(64) NOT NULL,
  last_counter BIGINT NOT NULL,
  registered_at TIMESTAMP WITH TIME ZONE NOT NULL);

CREATE INDEX vehicle_by_hardware ON vehicle (hardware_id);

CREATE TABLE campaign (
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
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL);

CREATE TABLE campaign_wave (
  campaign_id VARCHAR(64) NOT NULL REFERENCES campaign (id),
  wave_index INTEGER NOT NULL,
  step VARCHAR(16) NOT NULL,
  state VARCHAR(16) NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (campaign_id, wave_index));

CREATE TABLE campaign_action (
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
  instruction ${bytes},
  cause VARCHAR(64),
  detail VARCHAR(500),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (campaign_id, vehicle_id, kind));

CREATE UNIQUE INDEX action_vehicle_counter ON campaign_action (vehicle_id, counter);

CREATE INDEX action_by_status ON campaign_action (status, expires_at);
