-- Version 50 (issue 20): the releases published in chunks on the broker's retained release topics
-- (ROOT/release/<sha256>/index and .../chunk/<n>), so that every worker publishes a release once
-- and the sweep knows what to clear once no campaign needs it any more.
CREATE TABLE release_topic (
  package_sha256 CHAR(64) NOT NULL PRIMARY KEY,
  chunk_bytes INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  published_at TIMESTAMP WITH TIME ZONE NOT NULL);
