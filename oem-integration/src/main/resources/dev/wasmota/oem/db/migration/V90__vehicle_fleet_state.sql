-- Version 90 (issue 20): each vehicle's latest action (status, when it changed, its instruction
-- counter, 0 when none) and when the OEM last counted a status report from it, kept in the same
-- transaction as every change of an action, so the fleet meters read one short row per vehicle
-- instead of every action with its signed instruction. Filled from the actions as they are: the
-- latest is the last changed, of two changed at the same instant the later instruction.
CREATE TABLE vehicle_fleet_state (
  vehicle_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES vehicle (id),
  status VARCHAR(16) NOT NULL,
  changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  action_counter BIGINT NOT NULL,
  reported_at TIMESTAMP WITH TIME ZONE);

INSERT INTO vehicle_fleet_state (vehicle_id, status, changed_at, action_counter, reported_at)
  SELECT l.vehicle_id, l.status, l.updated_at, l.counter, r.t FROM
    (SELECT vehicle_id, status, updated_at, COALESCE(counter, 0) AS counter, ROW_NUMBER() OVER
       (PARTITION BY vehicle_id ORDER BY updated_at DESC, COALESCE(counter, 0) DESC) AS rn FROM campaign_action) l
    LEFT JOIN (SELECT vehicle_id, MAX(updated_at) AS t FROM campaign_action WHERE cause = 'REPORTED'
       GROUP BY vehicle_id) r ON r.vehicle_id = l.vehicle_id
  WHERE l.rn = 1;
