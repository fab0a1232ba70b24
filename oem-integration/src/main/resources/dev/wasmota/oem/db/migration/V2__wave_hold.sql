-- Version 2: the per-campaign wave hold (observation period); campaigns created before it have none.
ALTER TABLE campaign ADD COLUMN hold_seconds BIGINT DEFAULT 0 NOT NULL;
