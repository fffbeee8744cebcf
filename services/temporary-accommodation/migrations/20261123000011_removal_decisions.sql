-- A manager decides a removal or storage request once: approved (the rent service pays it)
-- or declined, with who declined it, when and why.
CREATE TYPE removal_status AS ENUM ('awaiting_approval', 'approved', 'declined');

ALTER TABLE removals
    ADD COLUMN status          removal_status NOT NULL DEFAULT 'awaiting_approval',
    ADD COLUMN declined_by     text,
    ADD COLUMN declined_at     timestamptz,
    ADD COLUMN decline_reason  text;
UPDATE removals SET status = 'approved' WHERE approved_by IS NOT NULL;

-- The decision matches the state: an approval only on an approved removal, a decline (with
-- its reason) only on a declined one.
ALTER TABLE removals ADD CONSTRAINT removals_decision_matches_status CHECK (
    (status = 'approved') = (approved_by IS NOT NULL AND approved_at IS NOT NULL)
    AND (status = 'declined') = (declined_by IS NOT NULL AND declined_at IS NOT NULL
                                 AND decline_reason IS NOT NULL)
);

-- The manager's queue and the lists of decided removals, oldest request first.
CREATE INDEX removals_by_status ON removals (status, requested_at, id);
CREATE INDEX removals_by_request ON removals (requested_at, id);
CREATE INDEX removals_placement ON removals (placement_id);

-- Officers' queues of placements, oldest start first.
CREATE INDEX placements_by_start ON placements (start_date, id);
