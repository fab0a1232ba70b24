-- Version 70 (issue 19): an operator's decision on a campaign's shadow runs (promote or discard, at
-- most one per campaign), and the signed command each vehicle running the campaign's shadow was sent
-- for it (queued in the outbox in the same transaction; the vehicle answers in its status report
-- of the instruction that started the shadow).
CREATE TABLE campaign_shadow_decision (
  campaign_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES campaign(id),
  action VARCHAR(16) NOT NULL,
  reason VARCHAR(200) NOT NULL,
  actor VARCHAR(64) NOT NULL,
  decided_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE shadow_command (
  command_id VARCHAR(64) NOT NULL PRIMARY KEY,
  campaign_id VARCHAR(64) NOT NULL REFERENCES campaign(id),
  vehicle_id VARCHAR(64) NOT NULL,
  instruction_id VARCHAR(64) NOT NULL,
  action VARCHAR(16) NOT NULL,
  issued_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  command_file ${bytes} NOT NULL
);

CREATE INDEX shadow_command_by_campaign ON shadow_command (campaign_id, vehicle_id);
