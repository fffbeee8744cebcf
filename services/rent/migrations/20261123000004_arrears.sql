-- Where each account stands in arrears recovery, and every move it made.
CREATE TABLE arrears_cases (
    account_id     uuid        PRIMARY KEY REFERENCES rent_accounts (id),
    stage          text        NOT NULL,
    balance_pence  bigint      NOT NULL,
    reviewed_on    date        NOT NULL,
    changed_at     timestamptz NOT NULL
);

CREATE TABLE arrears_stage_changes (
    id             bigserial   PRIMARY KEY,
    account_id     uuid        NOT NULL REFERENCES rent_accounts (id),
    from_stage     text        NOT NULL,
    to_stage       text        NOT NULL,
    balance_pence  bigint      NOT NULL,
    reason         text        NOT NULL,
    decided_by     text        NOT NULL,
    decided_at     timestamptz NOT NULL
);

CREATE TABLE payment_plans (
    id                   uuid        PRIMARY KEY,
    account_id           uuid        NOT NULL REFERENCES rent_accounts (id),
    start_date           date        NOT NULL,
    start_balance_pence  bigint      NOT NULL,
    instalment_pence     bigint      NOT NULL CHECK (instalment_pence > 0),
    status               text        NOT NULL,
    request_id           text        UNIQUE,
    agreed_by            text        NOT NULL,
    agreed_at            timestamptz NOT NULL
);
CREATE UNIQUE INDEX payment_plans_one_active ON payment_plans (account_id) WHERE status = 'active';
