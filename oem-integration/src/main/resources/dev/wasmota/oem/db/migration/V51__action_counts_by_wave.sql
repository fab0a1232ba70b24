-- Version 51 (issue 20): the campaign counts its install actions per wave and status after every
-- status report; this index answers that count without reading the actions' rows.
CREATE INDEX action_by_wave ON campaign_action (campaign_id, kind, wave_index, status);
-- Loading a campaign lists its install members in order after every report: read them from this
-- index in order rather than sorting the campaign's rows each time.
CREATE INDEX action_members ON campaign_action (campaign_id, kind, member_pos, vehicle_id);
