-- What the council owes: approved by the service that decides it, paid from here.
CREATE TABLE payables (
    id                uuid        PRIMARY KEY,
    kind              text        NOT NULL,
    payee             text        NOT NULL,
    reference         text        NOT NULL,
    amount_pence      bigint      NOT NULL CHECK (amount_pence > 0),
    -- The approval event: one payable per approval, however often it is delivered.
    source_event_id   uuid        NOT NULL UNIQUE,
    approved_by       text        NOT NULL,
    approval_journal  bigint      NOT NULL REFERENCES journal_entries (id),
    paid_on           date,
    payment_journal   bigint      REFERENCES journal_entries (id),
    created_at        timestamptz NOT NULL
);
CREATE INDEX payables_unpaid ON payables (created_at, id) WHERE paid_on IS NULL;
