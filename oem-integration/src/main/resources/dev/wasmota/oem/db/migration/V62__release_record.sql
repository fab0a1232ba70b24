-- Version 62 (issue 17): a release's own update record (UN R156 7.1.2), canonical JSON
-- (wasmota-update-record/1); each campaign of the release inherits it, its own record's fields
-- taking precedence. It no longer changes once a campaign of the release has started.
CREATE TABLE release_record (
  module_id VARCHAR(64) NOT NULL,
  version VARCHAR(64) NOT NULL,
  record VARCHAR(65536) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  stated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (module_id, version));
