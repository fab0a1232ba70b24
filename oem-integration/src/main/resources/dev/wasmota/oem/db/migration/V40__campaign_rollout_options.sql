-- Version 40 (issue 19): a campaign's rollout options beyond its spec, one row per campaign that has any:
-- the shadow run each vehicle makes before it installs (the instruction's "shadow" object, canonical JSON),
-- and the runtime-health gate of its waves (the intake's baseline and the campaign's margin, canonical JSON).
CREATE TABLE campaign_rollout (
  campaign_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES campaign(id),
  shadow_json VARCHAR(4096),
  health_json VARCHAR(1024)
);

-- The latest runtime health each vehicle signed into its status reports for a campaign's install.
CREATE TABLE vehicle_health (
  campaign_id VARCHAR(64) NOT NULL REFERENCES campaign(id),
  vehicle_id VARCHAR(64) NOT NULL,
  health_json VARCHAR(1024) NOT NULL,
  reported_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (campaign_id, vehicle_id)
);
