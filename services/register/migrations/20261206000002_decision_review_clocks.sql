-- A decision review is decided within the scheme's period of its request; one not decided
-- by then is announced as overdue, once.
ALTER TABLE decision_reviews
    ADD COLUMN decide_by        date,
    ADD COLUMN overdue_noted_on date;
UPDATE decision_reviews SET decide_by = (requested_at AT TIME ZONE 'Europe/London')::date + 56;
ALTER TABLE decision_reviews ALTER COLUMN decide_by SET NOT NULL;
CREATE INDEX decision_reviews_undecided ON decision_reviews (decide_by)
    WHERE outcome = 'pending' AND overdue_noted_on IS NULL;
