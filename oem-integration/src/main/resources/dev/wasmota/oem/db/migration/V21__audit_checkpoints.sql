-- Version 21 (issue 17): the OEM's signed checkpoints of its own audit trail. At each campaign step,
-- in the step's transaction, the campaign key signs the trail's head (seq and hash); a trail
-- rewritten afterwards, even with its chain recomputed, no longer holds the hash a checkpoint signed.
CREATE TABLE audit_checkpoint (
  seq BIGINT NOT NULL PRIMARY KEY,
  hash CHAR(64) NOT NULL,
  signed_at TIMESTAMP WITH TIME ZONE NOT NULL,
  signer CHAR(64) NOT NULL,
  signature VARCHAR(200) NOT NULL);
