-- A rent account referred for arrears asks an officer whether the placement should end.
-- The officer keeps it or closes it, with who, when and why; nothing closes it on its own.
CREATE TYPE closure_review_status AS ENUM ('open', 'placement_kept', 'placement_closed');

CREATE TABLE closure_reviews (
    id                uuid                   PRIMARY KEY,
    placement_id      uuid                   NOT NULL REFERENCES placements (id),
    rent_account_id   uuid                   NOT NULL,
    balance_pence     bigint                 NOT NULL,
    weeks_in_arrears  double precision       NOT NULL,
    opened_on         date                   NOT NULL,
    opened_at         timestamptz            NOT NULL,
    status            closure_review_status  NOT NULL DEFAULT 'open',
    reason            text,
    decided_by        text,
    decided_at        timestamptz,
    CHECK ((status = 'open') = (decided_by IS NULL AND decided_at IS NULL AND reason IS NULL))
);

-- One open review a placement: a referral repeated while one is open adds nothing.
CREATE UNIQUE INDEX closure_reviews_one_open ON closure_reviews (placement_id) WHERE status = 'open';
-- Officers' queue, oldest first, and each placement's reviews.
CREATE INDEX closure_reviews_by_status ON closure_reviews (status, opened_at, id);
CREATE INDEX closure_reviews_by_opening ON closure_reviews (opened_at, id);
CREATE INDEX closure_reviews_placement ON closure_reviews (placement_id);
