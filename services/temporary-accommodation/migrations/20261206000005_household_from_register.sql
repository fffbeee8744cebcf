-- A placement request's household as taken from the register application, and the answers
-- the officer confirmed where they differ from it (confirmed by requested_by).
ALTER TABLE placement_requests
    ADD COLUMN from_register boolean NOT NULL DEFAULT false,
    ADD COLUMN people jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN confirmed_differences text[] NOT NULL DEFAULT '{}';
