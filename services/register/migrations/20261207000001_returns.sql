-- Statutory returns count the register as it stood on a past date, so each assessment
-- keeps what they count apart: additional preference, and whether the household were
-- social tenants seeking a transfer.
ALTER TABLE assessments
    ADD COLUMN additional_preference boolean NOT NULL DEFAULT false,
    ADD COLUMN transfer              boolean NOT NULL DEFAULT false;

-- Assessments made before these columns existed take the tenure the application holds now,
-- the best that is known of it.
UPDATE assessments s
   SET transfer = COALESCE(a.details -> 'circumstances' ->> 'tenure'
                           IN ('council_tenant', 'housing_association_tenant'), false)
  FROM applications a
 WHERE a.id = s.application_id;

-- Lettings to the register's applicants, as nominations reported them: LAHS counts a
-- financial year's lettings by landlord and by who the household were when housed.
CREATE TABLE lettings (
    letting_id          text        PRIMARY KEY,
    application_id      uuid        NOT NULL REFERENCES applications (id),
    council_stock       boolean     NOT NULL,
    choice_based        boolean     NOT NULL,
    tenancy_start_date  date        NOT NULL,
    housed_at           timestamptz NOT NULL
);
CREATE INDEX lettings_tenancy_start ON lettings (tenancy_start_date);

-- The waiting list on a date reads each application's latest status and assessment before it.
CREATE INDEX status_changes_application ON status_changes (application_id, id);
