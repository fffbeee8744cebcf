-- Each change of weekly charge, with when it took effect and why: the account row holds only
-- the charge in force.
CREATE TABLE charge_changes (
    id                 bigserial   PRIMARY KEY,
    account_id         uuid        NOT NULL REFERENCES rent_accounts (id),
    effective_from     date        NOT NULL,
    old_weekly_pence   bigint      NOT NULL,
    new_weekly_pence   bigint      NOT NULL,
    reason             text        NOT NULL,
    source_event_id    uuid        UNIQUE,
    decided_by         text        NOT NULL,
    decided_at         timestamptz NOT NULL
);
