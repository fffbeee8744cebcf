-- The household's weekly income, when known, for judging affordability.
ALTER TABLE placement_requests ADD COLUMN weekly_income_pence bigint
    CHECK (weekly_income_pence IS NULL OR weekly_income_pence > 0);
