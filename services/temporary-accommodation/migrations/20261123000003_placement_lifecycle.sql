-- A placement is 'offered' (moved in, sign-up outstanding), 'active' (signed up) or
-- 'closed'; an offered placement holds its unit as much as an active one.
ALTER TABLE placements ADD COLUMN signed_up_at timestamptz;
-- The first day of the household's current run of nights in bed and breakfast.
ALTER TABLE placements ADD COLUMN bnb_since date;
UPDATE placements p SET bnb_since = p.start_date
FROM units u WHERE u.id = p.unit_id AND u.unit_type = 'bed_and_breakfast' AND p.status <> 'closed';

DROP INDEX placements_one_active_per_unit;
DROP INDEX placements_one_active_per_request;
DROP INDEX placements_application;
CREATE UNIQUE INDEX placements_one_open_per_unit ON placements (unit_id) WHERE status <> 'closed';
CREATE UNIQUE INDEX placements_one_open_per_request ON placements (placement_request_id) WHERE status <> 'closed';
CREATE INDEX placements_open_application ON placements (application_id) WHERE status <> 'closed';
CREATE INDEX placements_bnb ON placements (bnb_since) WHERE status <> 'closed' AND bnb_since IS NOT NULL;

-- One placement's history: each unit the household lived in, in order.
CREATE TABLE placement_stays (
    placement_id  uuid  NOT NULL REFERENCES placements (id),
    unit_id       uuid  NOT NULL REFERENCES units (id),
    from_date     date  NOT NULL,
    to_date       date,
    PRIMARY KEY (placement_id, from_date),
    CHECK (to_date IS NULL OR to_date >= from_date)
);
INSERT INTO placement_stays (placement_id, unit_id, from_date, to_date)
SELECT id, unit_id, start_date, end_date FROM placements;

-- s.208: a household placed in another council's district is notified to that council.
CREATE TABLE s208_notifications (
    placement_id         uuid  NOT NULL REFERENCES placements (id),
    receiving_authority  text  NOT NULL,
    placed_on            date  NOT NULL,
    due_on               date  NOT NULL,
    sent_on              date,
    PRIMARY KEY (placement_id, placed_on)
);
CREATE INDEX s208_unsent ON s208_notifications (due_on) WHERE sent_on IS NULL;

-- Removals and storage of belongings: paid once a manager approves.
CREATE TABLE removals (
    id                  uuid        PRIMARY KEY,
    placement_id        uuid        NOT NULL REFERENCES placements (id),
    kind                text        NOT NULL,
    supplier_name       text        NOT NULL,
    supplier_reference  text        NOT NULL,
    amount_pence        bigint      NOT NULL CHECK (amount_pence > 0),
    requested_by        text        NOT NULL,
    requested_at        timestamptz NOT NULL,
    approved_by         text,
    approved_at         timestamptz
);

-- What the daily sweeps have announced, so each notice goes out once however often they run.
CREATE TABLE notices (
    subject_id  uuid  NOT NULL,
    notice      text  NOT NULL,
    -- What the notice is about: a certificate's expiry, the day a B&B run began.
    about       date  NOT NULL,
    sent_on     date  NOT NULL,
    PRIMARY KEY (subject_id, notice, about)
);
