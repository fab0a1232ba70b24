-- Version 60 (issue 17): software identification (UN R156 7.1.1, 7.2).
-- The RXSWIN register: per hardware id (the vehicle type the OEM approves), which module versions
-- make up each RXSWIN, as canonical JSON ({"moduleId":"version",...}).
CREATE TABLE rxswin (
  hardware_id VARCHAR(64) NOT NULL,
  rxswin VARCHAR(64) NOT NULL,
  modules VARCHAR(16384) NOT NULL,
  description VARCHAR(500) NOT NULL,
  defined_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (hardware_id, rxswin));

-- What each release changes of the RXSWIN: from one to another, or none (both null), and why;
-- the modules it requires on the vehicle (canonical JSON [{"moduleId":..,"atLeast":..}]).
CREATE TABLE release_rxswin (
  module_id VARCHAR(64) NOT NULL,
  version VARCHAR(64) NOT NULL,
  from_rxswin VARCHAR(64),
  to_rxswin VARCHAR(64),
  reason VARCHAR(500) NOT NULL,
  requires VARCHAR(4096) NOT NULL,
  stated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (module_id, version));

-- Each vehicle's configuration as its last signed status report stated it: its RXSWIN (null if it
-- knows none) and each module's version and package digest (canonical JSON).
CREATE TABLE vehicle_configuration (
  vehicle_id VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES vehicle (id),
  rxswin VARCHAR(64),
  modules VARCHAR(16384) NOT NULL,
  instruction_id VARCHAR(64) NOT NULL,
  reported_at TIMESTAMP WITH TIME ZONE NOT NULL);
