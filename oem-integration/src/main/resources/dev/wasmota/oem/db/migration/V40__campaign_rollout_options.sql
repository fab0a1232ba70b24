-- Version 40 (issue 19): a campaign's rollout options beyond its spec, one row per campaign that has any:
-- the shadow run each vehicle makes before it installs (the instruction's "shadow" object, canonical JSON).
CREATE TABLE campaign_rollout (
  campaign_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES campaign(id),
  shadow_json VARCHAR(4096)
);
