-- Under-occupation moves: the incentive paid per bedroom released.
CREATE TABLE incentives (
    id                 uuid        PRIMARY KEY,
    application_id     uuid        NOT NULL,
    payee_name         text        NOT NULL,
    bedrooms_released  integer     NOT NULL CHECK (bedrooms_released > 0),
    amount_pence       bigint      NOT NULL CHECK (amount_pence > 0),
    approved_by        text        NOT NULL,
    approved_at        timestamptz NOT NULL
);

-- Whether the nominee was homeless or owed a duty when nominated, for the share of lets
-- to homeless households.
ALTER TABLE nominations ADD COLUMN homeless boolean NOT NULL DEFAULT false;
