-- Units paid by the night keep their nightly rate, so invoices are checked against it to the
-- penny; weekly_cost_pence stays the weekly equivalent that matching and the optimiser compare.
ALTER TABLE units
    ADD COLUMN lift boolean NOT NULL DEFAULT false,
    ADD COLUMN nightly_cost_pence bigint CHECK (nightly_cost_pence >= 0);

ALTER TABLE placement_requests ADD COLUMN needs_lift boolean NOT NULL DEFAULT false;
