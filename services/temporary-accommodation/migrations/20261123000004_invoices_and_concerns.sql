-- A provider's invoice for nightly-paid units, reconciled line by line against the nights
-- households actually spent there.
CREATE TABLE invoices (
    id                     uuid        PRIMARY KEY,
    provider_id            uuid        NOT NULL REFERENCES providers (id),
    provider_reference     text        NOT NULL,
    period_start           date        NOT NULL,
    period_end             date        NOT NULL CHECK (period_end > period_start),
    submitted_by           text        NOT NULL,
    submitted_at           timestamptz NOT NULL,
    approved_by            text,
    approved_at            timestamptz,
    approved_amount_pence  bigint,
    UNIQUE (provider_id, provider_reference)
);

CREATE TABLE invoice_lines (
    invoice_id       uuid    NOT NULL REFERENCES invoices (id),
    line             integer NOT NULL,
    unit_id          uuid    NOT NULL REFERENCES units (id),
    invoiced_nights  integer NOT NULL CHECK (invoiced_nights >= 0),
    invoiced_pence   bigint  NOT NULL CHECK (invoiced_pence >= 0),
    occupied_nights  integer NOT NULL,
    expected_pence   bigint  NOT NULL,
    PRIMARY KEY (invoice_id, line)
);

-- Concerns and complaints about a unit, from residents, neighbours or the provider.
CREATE TABLE concerns (
    id           uuid        PRIMARY KEY,
    unit_id      uuid        NOT NULL REFERENCES units (id),
    source       text        NOT NULL,
    description  text        NOT NULL,
    status       text        NOT NULL,
    logged_by    text        NOT NULL,
    logged_at    timestamptz NOT NULL
);
CREATE INDEX concerns_unit ON concerns (unit_id, logged_at);

-- Everything done about a concern, in order.
CREATE TABLE concern_actions (
    id          bigserial   PRIMARY KEY,
    concern_id  uuid        NOT NULL REFERENCES concerns (id),
    action      text        NOT NULL,
    note        text        NOT NULL,
    taken_by    text        NOT NULL,
    taken_at    timestamptz NOT NULL
);

CREATE INDEX placement_stays_unit ON placement_stays (unit_id, from_date);
