-- The reference a household quotes when paying; payment files are matched on it.
CREATE SEQUENCE payment_reference_seq;
ALTER TABLE rent_accounts ADD COLUMN payment_reference text UNIQUE;
UPDATE rent_accounts SET payment_reference = 'TA' || lpad(nextval('payment_reference_seq')::text, 8, '0');
ALTER TABLE rent_accounts ALTER COLUMN payment_reference SET NOT NULL;
CREATE INDEX rent_accounts_to_charge ON rent_accounts (charged_through, id) WHERE status = 'open';

-- One charge per account and period: a second run for the same week finds it and posts nothing.
CREATE TABLE charges (
    account_id    uuid    NOT NULL REFERENCES rent_accounts (id),
    period_start  date    NOT NULL,
    period_end    date    NOT NULL CHECK (period_end > period_start),
    amount_pence  bigint  NOT NULL,
    journal_id    bigint  NOT NULL REFERENCES journal_entries (id),
    PRIMARY KEY (account_id, period_start)
);

-- Progress of each weekly run, so an officer (or a restarted run) can see how far it got.
CREATE TABLE charge_runs (
    week_start        date        PRIMARY KEY,
    started_at        timestamptz NOT NULL,
    finished_at       timestamptz,
    accounts_charged  integer     NOT NULL DEFAULT 0,
    total_pence       bigint      NOT NULL DEFAULT 0,
    run_by            text        NOT NULL
);

CREATE TABLE payments (
    id            bigserial   PRIMARY KEY,
    account_id    uuid        NOT NULL REFERENCES rent_accounts (id),
    journal_id    bigint      NOT NULL REFERENCES journal_entries (id),
    -- What makes a payment the same payment when it arrives twice: the request id of a
    -- recorded payment, or the file's hash and line of an imported one.
    source_key    text        NOT NULL UNIQUE,
    received_on   date        NOT NULL,
    amount_pence  bigint      NOT NULL CHECK (amount_pence > 0),
    method        text        NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX payments_account ON payments (account_id, received_on);
