-- Version 51 (issue 20): the campaign counts its install actions per wave and status after every
-- status report; this index answers that count without reading the actions' rows.
CREATE INDEX action_by_wave ON campaign_action (campaign_id, kind, wave_index, status);
