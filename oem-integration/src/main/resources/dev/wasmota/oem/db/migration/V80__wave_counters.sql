-- Version 80 (issue 20): each campaign's install actions counted per wave and status, kept in the
-- same transaction as every change of an action's status, so a status report reads a handful of
-- counter rows instead of counting the campaign's actions. Filled from the actions as they are.
CREATE TABLE campaign_wave_count (
  campaign_id VARCHAR(64) NOT NULL REFERENCES campaign (id),
  wave_index INTEGER NOT NULL,
  status VARCHAR(16) NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, wave_index, status));

INSERT INTO campaign_wave_count (campaign_id, wave_index, status, n)
  SELECT campaign_id, wave_index, status, COUNT(*) FROM campaign_action WHERE kind = 'INSTALL'
  GROUP BY campaign_id, wave_index, status;
