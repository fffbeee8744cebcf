-- A house in multiple occupation needs a licence from its council.
ALTER TABLE units ADD COLUMN hmo boolean NOT NULL DEFAULT false;
-- What each anchor is (school, work, care, medical support), in the order of `anchors`.
ALTER TABLE placement_requests ADD COLUMN anchor_kinds jsonb NOT NULL DEFAULT '[]';
