-- Version 61 (issue 17): vehicle user information (UN R156 7.1.2).
-- What a campaign's vehicles tell their users before the update, beyond the update record's purpose:
-- the expected duration and the functions unavailable meanwhile (canonical JSON list); frozen at start.
CREATE TABLE campaign_notice (
  campaign_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES campaign (id),
  purpose VARCHAR(240),
  expected_seconds BIGINT NOT NULL,
  unavailable VARCHAR(2000) NOT NULL,
  stated_at TIMESTAMP WITH TIME ZONE NOT NULL);

-- What each vehicle's signed status reported of it: when the notice was shown, what the user was told after.
CREATE TABLE vehicle_user_notice (
  campaign_id VARCHAR(64) NOT NULL,
  vehicle_id VARCHAR(64) NOT NULL,
  instruction_id VARCHAR(64) NOT NULL,
  shown_at TIMESTAMP WITH TIME ZONE NOT NULL,
  outcome VARCHAR(240) NOT NULL,
  reported_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (campaign_id, vehicle_id, instruction_id));
