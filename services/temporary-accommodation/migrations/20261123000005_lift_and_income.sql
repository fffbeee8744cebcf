-- A lift to the unit's floor, for households who cannot manage stairs.
ALTER TABLE units ADD COLUMN lift boolean NOT NULL DEFAULT false;
ALTER TABLE placement_requests ADD COLUMN needs_lift boolean NOT NULL DEFAULT false;
-- The household's weekly income, when known, for judging affordability.
ALTER TABLE placement_requests ADD COLUMN weekly_income_pence bigint
    CHECK (weekly_income_pence IS NULL OR weekly_income_pence > 0);
