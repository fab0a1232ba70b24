-- Version 3: everything a worker used to keep in its own OEM directory, so that workers on other
-- machines, sharing only this database and the broker, see one OEM.

-- Releases: each countersigned package and its intake report; a module version never changes.
CREATE TABLE oem_release (
  module_id VARCHAR(64) NOT NULL,
  version VARCHAR(64) NOT NULL,
  publication BIGINT GENERATED ALWAYS AS IDENTITY,
  security_version BIGINT NOT NULL,
  supplier_id VARCHAR(64) NOT NULL,
  wasm_sha256 CHAR(64) NOT NULL,
  package_sha256 CHAR(64) NOT NULL,
  published_at TIMESTAMP WITH TIME ZONE NOT NULL,
  package ${blob} NOT NULL,
  report ${blob},
  PRIMARY KEY (module_id, version),
  UNIQUE (publication));

CREATE INDEX release_by_package ON oem_release (package_sha256);

-- Module owners: one row per module, its ownership and transfers as canonical JSON
-- (wasmota-module-owners/1 holding that one module).
CREATE TABLE module_owner (
  module_id VARCHAR(64) NOT NULL PRIMARY KEY,
  ownership VARCHAR(1000000) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL);

-- The OEM's one audit trail: each record exactly as an audit log line (canonical JSON, chained by
-- hash); audit_head is the chain's head, locked by every append so records are numbered one at a time.
CREATE TABLE audit_record (
  seq BIGINT NOT NULL PRIMARY KEY,
  event VARCHAR(48) NOT NULL,
  line VARCHAR(65536) NOT NULL);

CREATE INDEX audit_by_event ON audit_record (event, seq);

CREATE TABLE audit_head (
  id INTEGER NOT NULL PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash CHAR(64) NOT NULL);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The outbox: signed instructions and trust updates on their way to vehicles, written in the
-- transaction that issued them; a worker claims a message, publishes it and marks it sent. A claim
-- whose worker's lease ran out is taken over by another.
CREATE TABLE outbox_message (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vehicle_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  priority INTEGER NOT NULL,
  file_name VARCHAR(160) NOT NULL,
  payload ${bytes} NOT NULL,
  package_sha256 CHAR(64),
  state VARCHAR(16) NOT NULL,
  claimed_by VARCHAR(64),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  claimed_at TIMESTAMP WITH TIME ZONE,
  sent_at TIMESTAMP WITH TIME ZONE,
  UNIQUE (vehicle_id, file_name));

CREATE INDEX outbox_by_state ON outbox_message (state, priority, id);

-- The serving workers and their leases: a worker renews its lease while it runs.
CREATE TABLE oem_worker (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  host VARCHAR(255) NOT NULL,
  pid BIGINT NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  lease_until TIMESTAMP WITH TIME ZONE NOT NULL);

-- Root-signed trust updates (revocations), newest sequence in force; queued_at once sent to the fleet.
CREATE TABLE trust_update (
  seq BIGINT NOT NULL PRIMARY KEY,
  update_file ${bytes} NOT NULL,
  recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
  queued_at TIMESTAMP WITH TIME ZONE);

-- The hand-written migrations' version table, read once to baseline an existing database.
DROP TABLE IF EXISTS schema_version;
