-- What each anchor is (school, work, care, medical support), in the order of `anchors`.
ALTER TABLE placement_requests ADD COLUMN anchor_kinds jsonb NOT NULL DEFAULT '[]';
