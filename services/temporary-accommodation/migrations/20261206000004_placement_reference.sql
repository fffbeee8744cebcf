-- A placement's reference for people: the household, the receiving council, the school
-- quote it, never the placement's id.
CREATE SEQUENCE placement_reference_seq;
ALTER TABLE placements ADD COLUMN reference text;
UPDATE placements SET reference = 'TAP-' || lpad(nextval('placement_reference_seq')::text, 7, '0');
ALTER TABLE placements
    ALTER COLUMN reference SET DEFAULT 'TAP-' || lpad(nextval('placement_reference_seq')::text, 7, '0'),
    ALTER COLUMN reference SET NOT NULL,
    ADD CONSTRAINT placements_reference_unique UNIQUE (reference);
