-- A unit's life after registration: withdrawn from use (never offered again), and every
-- change to it kept with who made it, when and why.
ALTER TABLE units
    ADD COLUMN withdrawn_on       date,
    ADD COLUMN withdrawn_by       text,
    ADD COLUMN withdrawal_reason  text,
    ADD CONSTRAINT units_withdrawal_complete CHECK (
        (withdrawn_on IS NULL) = (withdrawn_by IS NULL AND withdrawal_reason IS NULL));

CREATE TYPE unit_change AS ENUM ('created', 'updated', 'certificate_renewed', 'withdrawn');

CREATE TABLE unit_history (
    id          bigserial    PRIMARY KEY,
    unit_id     uuid         NOT NULL REFERENCES units (id),
    change      unit_change  NOT NULL,
    detail      text         NOT NULL,
    changed_by  text         NOT NULL,
    changed_at  timestamptz  NOT NULL
);
CREATE INDEX unit_history_by_unit ON unit_history (unit_id, id);
-- Units listed in the order they were registered.
CREATE INDEX units_by_creation ON units (created_at, id);
