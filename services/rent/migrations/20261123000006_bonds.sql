-- Rent deposit and bond scheme: the council guarantees a private landlord's deposit. No money
-- moves until the landlord claims; a paid claim becomes the household's debt to recover.
CREATE TABLE bonds (
    id                 uuid        PRIMARY KEY,
    application_id     uuid,
    household_name     text        NOT NULL,
    landlord           text        NOT NULL,
    property_address   text        NOT NULL,
    guaranteed_pence   bigint      NOT NULL CHECK (guaranteed_pence > 0),
    issued_on          date        NOT NULL,
    status             text        NOT NULL,
    request_id         text        UNIQUE,
    issued_by          text        NOT NULL,
    issued_at          timestamptz NOT NULL
);

CREATE TABLE bond_claims (
    id            bigserial   PRIMARY KEY,
    bond_id       uuid        NOT NULL REFERENCES bonds (id),
    amount_pence  bigint      NOT NULL CHECK (amount_pence > 0),
    reason        text        NOT NULL,
    journal_id    bigint      NOT NULL REFERENCES journal_entries (id),
    request_id    text        NOT NULL UNIQUE,
    decided_by    text        NOT NULL,
    decided_at    timestamptz NOT NULL
);
