-- Version 25 (issue 17): each campaign's update record (UN R156 §7.1.2) as the operator stated it,
-- canonical JSON (wasmota-update-record/1); it no longer changes once the campaign has started.
CREATE TABLE update_record (
  campaign_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES campaign (id),
  record VARCHAR(65536) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  stated_at TIMESTAMP WITH TIME ZONE NOT NULL);
