-- Version 20 (issue 17): every head of a vehicle's own audit log that its signed status reports
-- named, one row per report, with the continuation proof it carried (the hash its log held at the
-- head it reported before) and the OEM's verdict when it took the report in: CONSISTENT, or the
-- contradiction it found (a security event in the trail). Later reports are checked against the
-- consistent rows; `ota oem evidence verify --vehicle` checks a log file against them.
CREATE TABLE vehicle_log_anchor (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vehicle_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  hash CHAR(64) NOT NULL,
  prev_seq BIGINT NOT NULL,
  prev_hash CHAR(64),
  campaign_id VARCHAR(64) NOT NULL,
  instruction_id VARCHAR(64) NOT NULL,
  reported_at TIMESTAMP WITH TIME ZONE NOT NULL,
  received_at TIMESTAMP WITH TIME ZONE NOT NULL,
  verdict VARCHAR(32) NOT NULL,
  UNIQUE (vehicle_id, instruction_id, seq, hash));

CREATE INDEX anchor_by_vehicle ON vehicle_log_anchor (vehicle_id, seq);
