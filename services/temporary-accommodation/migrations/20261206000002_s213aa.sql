-- s.213AA Housing Act 1996 (Children's Wellbeing and Schools Act 2026, s.11): a household
-- with a child placed in temporary accommodation is asked, within 14 days, whether the
-- council may notify the child's school, GP practice and health visiting service.
CREATE TYPE s213aa_consent AS ENUM ('pending', 'given', 'refused');

CREATE TABLE s213aa_notifications (
    placement_id             uuid            PRIMARY KEY REFERENCES placements (id),
    placed_on                date            NOT NULL,
    due_on                   date            NOT NULL,
    consent                  s213aa_consent  NOT NULL DEFAULT 'pending',
    school                   text            NOT NULL DEFAULT '',
    gp_practice              text            NOT NULL DEFAULT '',
    health_visiting_service  text            NOT NULL DEFAULT '',
    recorded_by              text,
    recorded_at              timestamptz,
    notified_on              date,
    CHECK ((consent = 'pending') = (recorded_by IS NULL AND recorded_at IS NULL)),
    CHECK ((consent = 'given') = (notified_on IS NOT NULL))
);
CREATE INDEX s213aa_pending ON s213aa_notifications (due_on) WHERE consent = 'pending';
